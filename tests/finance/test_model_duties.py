"""Seed 000's statutory financial duties (F01) as data. Their words are checked against the
seed lines in tests/seed_wording.py (the one place that reads the documents)."""

from __future__ import annotations

from placehealth.finance.model_duties import load_duties
from tests.conftest import ROOT


def test_f01_has_the_four_duties() -> None:
    """Seed 000, 4855–4891: three general duties under s27, and the publication of how
    quality payments were spent; each cites its own lines within the block."""
    (duties,) = load_duties(ROOT / "plans" / "ccg-2014")
    assert [d.id for d in duties.duties] == [
        "expenditure", "use-of-resources", "additional-controls", "quality-payments",
    ]  # fmt: skip
    assert "s27" in duties.legislation and str(duties.src) == "4855–4891"
    assert all(4855 <= d.src.first <= d.src.last <= 4891 for d in duties.duties)
    assert [d.achieved_by is not None for d in duties.duties] == [True, True, True, False]
