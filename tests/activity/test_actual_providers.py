"""The synthetic place's providers: the activity plans' providers with the plan's shares
(seed 000, tables A3, A7, A8 and A10, 2014-15: lines 1961-1968, 2455-2462, 2817-2824 and
2907-2914), and the generator draws them by those shares."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from placehealth.activity.load import load_activity
from placehealth.data.synth.model import simulate
from placehealth.places import load_place

PLANS = Path(__file__).parents[2] / "plans"


def test_place_shares_are_the_plan_counts() -> None:
    providers = load_place("liverpool").providers
    assert providers is not None
    activity = load_activity(PLANS / providers.plan)
    checked = 0
    for table in activity.tables():
        year = [c.id for c in table.columns].index(providers.year)
        plan = {row.id: row.cell(year) for row in table.rows if row.id != "total"}
        for provider in providers.providers:
            if table.pod in provider.shares:
                cell = plan[provider.id]
                assert cell is not None
                assert provider.shares[table.pod] == cell.value.value, (table.id, provider.id)
                checked += 1
    assert checked == 8 * 4  # eight providers, four points of delivery
    assert {p.id for p in providers.providers} == set(plan)  # the plan's eight rows


def test_generator_draws_providers_by_the_shares() -> None:
    place = load_place("liverpool")
    assert place.providers is not None
    records = simulate(3_000, seed=5, place=place).records
    op = records.op.columns()
    weights = {p.code: p.shares["op-follow-up"] for p in place.providers.providers}
    follow_up = op["provider"][~op["first"].astype(bool)]
    codes, counts = np.unique(follow_up, return_counts=True)
    assert set(codes) <= set(weights)
    share = dict(zip(codes, counts / counts.sum(), strict=True))
    total, n = sum(weights.values()), follow_up.size
    for code, weight in weights.items():  # within 4 binomial standard errors of the plan share
        p = weight / total
        assert share.get(code, 0.0) == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / n))
    apc = records.apc.columns()
    spire = apc["provider"] == "NT3"
    assert not (spire & apc["emergency"].astype(bool)).any()  # no planned non-elective at Spire
    assert (spire & ~apc["emergency"].astype(bool)).any()
