"""Seed 000's statutory financial duties (F01) as data: each duty's words are on the lines
it cites (where the seed documents are; a plain clone warns that words went unchecked)."""

from __future__ import annotations

import re
import warnings

from placehealth.finance.model_duties import load_duties
from tests.conftest import ROOT, SEEDS, WordsNotChecked, seed_lines


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def test_f01_duties_are_on_their_lines() -> None:
    """Seed 000, 4855–4891: three general duties and the publication duty; the columns are
    interleaved by the text conversion, so each duty's words (not its phrase) are checked."""
    (duties,) = load_duties(ROOT / "plans" / "ccg-2014")
    assert [d.id for d in duties.duties] == [
        "expenditure", "use-of-resources", "additional-controls", "quality-payments",
    ]  # fmt: skip
    assert "s27" in duties.legislation and str(duties.src) == "4855–4891"
    if not SEEDS.is_dir():
        warnings.warn(WordsNotChecked("F01's words not compared"), stacklevel=1)
        return
    for duty in duties.duties:
        words = _words(seed_lines("000", duty.src.first, duty.src.last))
        assert _words(duty.requires) <= words, duty.id
        assert _words(duty.duty) - {"in", "of", "on", "respect"} <= words | _words(
            seed_lines("000", duty.src.last, duty.src.last + 2)
        ), duty.id
