"""The seed snapshot: the figures tests read from tests/seed-figures.json, not the documents.

One test here needs the documents (../shared/seeds): it rebuilds the snapshot from them
and fails if it differs. CI has them; without them (a plain clone) it says it did not
run. Every other test runs from the snapshot.
"""

from __future__ import annotations

from tests.conftest import SEEDS, shared_file
from tests.seed_figures import build, citations, dumps, figures, load


def test_snapshot_matches_the_seed_documents() -> None:
    """Rebuilt from the documents, the snapshot is byte for byte the one in the repository."""
    shared_file("seeds/README.md")  # fails under CI, says why it did not run elsewhere
    rebuilt = dumps(build(SEEDS)).splitlines()
    kept = dumps(load()).splitlines()
    changed = [(n, a, b) for n, (a, b) in enumerate(zip(kept, rebuilt, strict=False), 1) if a != b]
    assert (changed[:5], len(kept)) == ([], len(rebuilt)), (
        "tests/seed-figures.json differs from the documents: rebuild it with "
        "`python -m tests.seed_figures` and review the change"
    )


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
