"""The sparse-matrix recomputation of every declared sum (finance.model_sums) gives what
the checker's claim-by-claim recomputation gives, for every money table of the seeds."""

from __future__ import annotations

import pytest

from placehealth.finance.load import load_book
from placehealth.finance.model_sums import sum_system
from placehealth.finance.relations import claims
from tests.conftest import ROOT
from tests.finance.helpers import TABLE, write_finance


def test_every_additive_claim_of_the_seeds_matches_the_checker() -> None:
    """Seed 000's F06 TOTAL (5324) recomputes to 789.2 both ways; every other sum agrees."""
    book = load_book(ROOT / "plans")
    system = sum_system(book)
    expected = {
        (c.table, c.row, c.column, c.check): (c.stated.value, c.computed)
        for c in claims(book)
        if c.check in {"total-column", "row-sum", "difference"}
    }
    computed = dict(zip(system.ids, system.computed(), strict=True))
    stated = dict(zip(system.ids, system.values[system.stated], strict=True))
    assert set(computed) == set(expected) and len(computed) > 100
    for key, (printed, value) in expected.items():
        assert computed[key] == pytest.approx(value, abs=1e-9), key
        assert stated[key] == printed
    assert computed[("F06", "allocation", "total", "total-column")] == pytest.approx(789.2)


def test_blank_inputs_and_differences(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A blank input is left out of a sum; a difference with a blank input is no claim."""
    write_finance(
        tmp_path,
        TABLE
        + """\
      - {id: a, label: A}
      - {id: b, label: B}
      - {id: total, label: Total, sum_of: [a, b]}
      - {id: gap, label: Gap, difference: [a, b]}
    rows:
      - {id: x, label: X, values: [1.0, null, 1.5, null], src: 1}
      - {id: y, label: Y, values: [2.0, 0.5, 2.5, 1.5], src: 2}
""",
    )
    system = sum_system(load_book(tmp_path))
    got = dict(zip(system.ids, system.computed(), strict=True))
    assert got == {
        ("F90", "x", "total", "total-column"): 1.0,
        ("F90", "y", "total", "total-column"): 2.5,
        ("F90", "y", "gap", "difference"): 1.5,
    }
