"""A demand table goes through the one disclosure step: a projection of a tiny count would
give the count back (the base year's P50 is the baseline), so a point of delivery whose
baseline counts fewer than the threshold is blanked on every row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.publish import HIGH
from placehealth.services import activity
from tests.demand.helpers import baseline_frame, projection_frame, write


def test_a_pod_resting_on_a_small_count_is_blanked_and_the_rest_published(
    tmp_path: Path,
) -> None:
    small, large = HIGH, 500  # HIGH is the largest count the rule hides
    baseline = baseline_frame(
        {("non-elective", "70-74"): large, ("ae", "70-74"): small}, pods=("non-elective", "ae")
    )
    projection = projection_frame({2020: {}, 2021: {"70-74": 1.1}})
    out = tmp_path / "projection.csv"
    activity.project(
        baseline=write(baseline, tmp_path / "b.csv"),
        projection=write(projection, tmp_path / "p.csv"),
        runs=20,
        seed=1,
        resample=False,
        output=out,
        bom=False,
    )
    table = pd.read_csv(out)
    ae, ne = table[table["pod"] == "ae"], table[table["pod"] == "non-elective"]
    assert ae[["p10", "p50", "p90", "mean"]].isna().all().all()
    assert ae["baseline_activity"].isna().all()
    assert (ae["disclosure"] != "published").all()
    base_year = ne[(ne["year"] == 2020) & (ne["measure"] == "activity")]
    assert base_year["p50"].tolist() == [large]
    assert (ne["disclosure"] == "published").all()
    assert str(small) not in set(table.drop(columns="disclosure").astype(str).to_numpy().ravel())
