"""Bad activity files: one clear message with file and line, exit 2, no traceback, for
``plan check`` and ``activity check`` (which read the same files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.activity.helpers import TABLES, write_activity
from tests.activity.test_checks import LINK, RATIO, SCHEMES
from tests.test_cli import run_cli

# (the file's body, a text on the line the message must name, the message)
CASES = {
    "unknown-pod": (TABLES.replace("pod: elective-daycase", "pod: day-surgery"), "day-surgery",
                    "pod: Input should be"),
    "values-for-columns": (TABLES.replace("[30, 30, '0.00%']", "[30, 30]"), "[30, 30]",
                           "has 2 values for 3 columns"),
    "identity-of-no-table": (TABLES.replace("parts: [A90, A91]", "parts: [A90, A99]"),
                             "parts: [A90, A99]", "no table A99"),
    "ratio-upside-down": (TABLES + RATIO.replace("high: 2.8", "low: 3, high: 2.8"),
                          "- {id: day-share", "low 3.0 is above high 2.8"),
    "link-to-no-ambition": (TABLES + LINK.replace("ambition: fewer-admissions", "ambition: none"),
                            "ambition: none", "plan t has no ambition 'none'"),
    "link-to-no-period": (TABLES + LINK.replace("2014-15: [2014/15]", "2014-15: [2016/17]"),
                          "points:", "has no point for 2016/17"),
    "scheme-of-no-statement": (TABLES + SCHEMES.replace("statement: scheme/y", "statement: zz"),
                               "statement: zz", "no statement 'zz'"),
    "figure-of-no-statement": (TABLES + "figures:\n  - {key: f, statement: nope}\n",
                               "statement: nope", "plan t has no statement 'nope'"),
    "figure-of-two-sources": (TABLES + "figures:\n  - {key: f, statement: net, ambition: x}\n",
                              "key: f", "give one of statement, ambition or value"),
}  # fmt: skip


@pytest.mark.parametrize("command", [("plan", "check"), ("activity", "check")])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_activity_file_is_one_line_with_file_and_line(
    tmp_path: Path, case: str, command: tuple[str, str]
) -> None:
    body, marker, message = CASES[case]
    path = write_activity(tmp_path, body)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if marker in text)
    before = path.read_bytes()
    result = run_cli(*command, str(tmp_path))
    assert result.returncode == 2, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert f"{path}:{line}" in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert path.read_bytes() == before
