"""The seed snapshot: the figures tests read from tests/seed-figures.json, not the documents.

One test here needs the documents (../shared/seeds, or $PLACEHEALTH_SHARED/seeds): it
rebuilds the snapshot from them and fails if it differs, and it checks the plans' and the
catalogue's wording against their words (tests/seed_wording.py). CI has the documents;
without them (a plain clone) it is the one test of the suite that does not run, and it
says why. Every other test runs from the snapshot.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import ROOT, SEEDS, seed_lines
from tests.seed_figures import build, citations, dumps, figures, load
from tests.seed_wording import CHECKS

NOT_HERE = (
    "the seed documents are not here ({seeds}): they stay outside the repository, so the "
    "check that rebuilds tests/seed-figures.json from them and compares the plans' wording "
    "with theirs (tests/seed_wording.py) did not run; CI runs it. Every other test runs "
    "from the snapshot."
)


def test_the_seed_documents_match_the_snapshot_and_the_wording() -> None:
    """Rebuilt from the documents, the snapshot is byte for byte the one in the repository;
    and every wording check passes against the documents' text."""
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"the seed documents are not at {SEEDS}: CI must have them (../shared/seeds, "
                "or $PLACEHEALTH_SHARED/seeds) to rebuild tests/seed-figures.json from them "
                "and check the plans' wording (tests/seed_wording.py)"
            )
        pytest.skip(NOT_HERE.format(seeds=SEEDS))
    rebuilt = dumps(build(SEEDS)).splitlines()
    kept = dumps(load()).splitlines()
    changed = [(n, a, b) for n, (a, b) in enumerate(zip(kept, rebuilt, strict=False), 1) if a != b]
    assert (changed[:5], len(kept)) == ([], len(rebuilt)), (
        "tests/seed-figures.json differs from the documents: rebuild it with "
        "`python -m tests.seed_figures` and review the change"
    )
    failed = []
    for check in CHECKS:
        try:
            check(seed_lines)
        except AssertionError as error:
            failed.append(f"{check.__name__}: {error}")
    assert not failed, "wording that differs from the seed documents:\n" + "\n".join(failed)


def test_only_the_documents_check_reads_the_documents() -> None:
    """A test reading the documents' text would skip on a plain clone: the words go in
    tests/seed_wording.py, the numbers come from the snapshot (seed_figures, seed_quote)."""
    allowed = {"tests/conftest.py", "tests/seed_wording.py", "tests/test_seed_figures.py"}
    readers = re.compile(r"\b(seed_lines|shared_file|SEEDS|SHARED)\b")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if readers.search(line)
    ]
    assert found == []


def test_wording_checks_are_named_and_registered_once() -> None:
    names = [c.__name__ for c in CHECKS]
    assert len(names) == len(set(names)) >= 15


def test_snapshot_holds_every_cited_line_and_nothing_else() -> None:
    cited = citations()
    kept = load()["seeds"]
    assert sorted(kept) == sorted(cited)
    for seed, lines in cited.items():
        assert sorted(int(n) for n in kept[seed]["lines"]) == sorted(lines), seed
        assert len(kept[seed]["sha256"]) == 64


def test_figures_are_the_numbers_as_printed() -> None:
    line = "Approximately 1% (4561 people in a population of 466,000, 2014/15, £56.8m)."
    assert figures(line) == "1% 4561 466,000 2014 15 56.8"
    assert figures("PYLL −3.2% in 2014-15, then -4%") == "−3.2% 2014 15 -4%"
    assert figures("- Increased male and female life expectancy") == ""
    assert figures("Nine metrics, five of them national; someone's 2 tones") == "nine five 2"
    assert figures("2.1.1\tPrevention\t9") == "2.1.1 9"
    assert figures("Other Savings\t2,000\t(1,000)\t1,000") == "2,000 (1,000) 1,000"
    assert figures("from 1 million to 5.5 million (2014)") == "1 million 5.5 million 2014"
