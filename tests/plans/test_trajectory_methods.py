"""Each trajectory method through ``compute``, on small hand-worked ambitions.

The seed plans exercise most methods (tests/plans/test_*_2014.py and others); these
cover the ones no seed plan uses through ``compute`` (best peers) and the refusals.
"""

from __future__ import annotations

from typing import Any

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import ValidationError
from placehealth.plans.model import Ambition
from placehealth.plans.trajectory import compute

CATALOGUE = load_catalogue()


def ambition(**fields: Any) -> Ambition:
    return Ambition.model_validate({"id": "a", "indicator": "not-catalogued", **fields})


def test_best_peers_steps_from_the_baseline_to_the_best_peers_average() -> None:
    # lower is better: the best two of 30, 20, 50 are 20 and 30, average 25; three equal
    # steps from 40 in 2015/16 to 25 in 2018/19 are 35, 30, 25
    peers = [{"name": "x", "value": 30}, {"name": "y", "value": 20}, {"name": "z", "value": 50}]
    got = compute(
        ambition(
            polarity="lower_is_better",
            baseline={"period": "2015/16", "value": 40},
            target={"period": "2018/19"},
            method={"kind": "best_peers", "peers": peers, "n": 2},
        ),
        CATALOGUE,
    )
    assert got.periods == ["2015/16", "2016/17", "2017/18", "2018/19"]
    assert got.values.tolist() == pytest.approx([40, 35, 30, 25])
    assert got.target == 25 and got.extras == {"peer_average": 25} and got.recomputed


def test_yearly_changes_without_a_baseline_are_an_index_from_100() -> None:
    got = compute(
        ambition(
            method={"kind": "yearly_changes", "changes_pct": [-10, -10],
                    "periods": ["2015/16", "2016/17"]},
        ),
        CATALOGUE,
    )  # fmt: skip
    assert got.periods == ["baseline", "2015/16", "2016/17"]
    assert got.values.tolist() == pytest.approx([100, 90, 81])
    assert got.extras == pytest.approx({"index": 1, "sum_pct": -20, "compound_pct": -19})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"method": {"kind": "yearly_changes", "changes_pct": [-10]}},
            "yearly changes without a baseline need method.periods",
        ),
        (
            {
                "baseline": {"period": "2015/16", "value": 100},
                "method": {"kind": "yearly_changes", "changes_pct": [-10, -5],
                           "periods": ["2016/17"]},
            },
            "2 yearly changes but 1 periods",
        ),
        (
            {"baseline": {"period": "2015/16", "value": 100}, "target": {"period": "2018/19"},
             "method": {"kind": "equal_steps"}},
            "equal steps need a target value",
        ),
    ],
)  # fmt: skip
def test_methods_refuse_what_they_cannot_compute(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        compute(ambition(**fields), CATALOGUE)
