"""The CLI fails like a CLI: usage errors exit 2 with the usage; bugs print a line and a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.cli import main as cli_main
from placehealth.private import is_owner_only
from tests.test_cli import run_cli, run_process


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "show", "--bogus"),
        ("synth", "--persons", "abc"),
        ("stats", "dsr"),
        ("phm", "cohort", "--threshold", "high"),
        ("no-such-command",),
    ],
)
def test_a_usage_error_prints_the_usage_and_exits_2_without_a_traceback(args: tuple[str]) -> None:
    result = run_process(*args)
    assert result.returncode == 2, result.stderr
    assert "Usage:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "ModuleNotFoundError" not in result.stderr


def test_an_internal_error_is_one_line_with_a_masked_owner_only_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("could not convert '943 476 5919' to INTEGER\nsecond line")

    monkeypatch.setenv("PLACEHEALTH_CRASH_DIR", str(tmp_path / "crashes"))
    monkeypatch.setattr(cli_main, "app", broken)
    result = run_cli("plan", "show")
    assert result.returncode == 70
    assert "Traceback" not in result.stderr
    assert "943 476 5919" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3  # one line, wrapped at most
    (report,) = (tmp_path / "crashes").iterdir()
    assert str(report) in result.stderr.replace("\n", "")
    body = report.read_text()
    assert "Traceback" in body and "RuntimeError" in body
    assert "9434765919" not in body.replace(" ", "")
    assert is_owner_only(report)
