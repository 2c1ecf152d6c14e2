"""The small-number disclosures of issue 10, each reproduced on the product's own outputs.

- segment profiles by PCN and by practice gave hidden counts back by subtraction;
- the indicator values (``placehealth indicators compute``, the demo's indicators.csv)
  published numerators of 1-7;
- summaries at nearby thresholds or index dates differed by 1-7.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.geography import lookups
from placehealth.engine.indicators import Context, compute_all
from placehealth.phm.profiles import COUNTS, KEY, MEASURES, profile
from placehealth.phm.segments import SEGMENTS
from placehealth.publish import DISCLOSURE
from tests.phm.test_cli_cohort import _environment as _environment
from tests.phm.test_cli_cohort import built as built
from tests.phm.test_cli_cohort import cohort
from tests.phm.test_cli_cohort import site as site
from tests.phm.test_cohort import World
from tests.phm.test_segments import synthetic_warehouse
from tests.publish.solver import disclosed
from tests.test_cli import run_cli

Equation = tuple[int, list[int]]


def practice_people(counts: dict[tuple[str, str], int], pcn: dict[str, str]) -> pd.DataFrame:
    """One row per person: ``counts[(practice, segment)]`` people, no hospital use."""
    practices, segments = zip(*counts, strict=True)
    sizes = list(counts.values())
    frame = pd.DataFrame(
        {"practice": np.repeat(practices, sizes), "segment": np.repeat(segments, sizes)}
    )
    frame[KEY] = [f"p{i}" for i in range(len(frame))]
    frame["pcn"] = frame["practice"].map(pcn)
    for measure in MEASURES:
        frame[measure] = 0
    return frame


def profile_equations(frame: pd.DataFrame, pcn: dict[str, str]) -> list[Equation]:
    """What a reader of a profile knows adds up: segments to 'all', practices to their
    PCN, PCNs and practices to the place — in every segment column."""
    index = {(r.area_type, r.area_code, r.segment): i for i, r in enumerate(frame.itertuples())}
    place = str(frame.loc[frame["area_type"] == "place", "area_code"].iloc[0])
    areas = frame[["area_type", "area_code"]].drop_duplicates().itertuples(index=False)
    equations: list[Equation] = []
    for area_type, code in areas:
        parts = [index[(area_type, code, s)] for s in SEGMENTS]
        equations.append((index[(area_type, code, "all")], parts))
    for segment in [*SEGMENTS, "all"]:
        for top in ("pcn", "practice"):
            codes = frame.loc[frame["area_type"] == top, "area_code"].unique()
            parts = [index[(top, c, segment)] for c in codes]
            equations.append((index[("place", place, segment)], parts))
        for group in sorted(set(pcn.values())):
            parts = [index[("practice", p, segment)] for p, g in pcn.items() if g == group]
            equations.append((index[("pcn", group, segment)], parts))
    return equations


def test_a_practice_count_is_not_its_pcn_minus_the_other_practices() -> None:
    pcn = {"A": "P1", "B": "P1", "C": "P2", "D": "P2"}
    segment0, segment1 = SEGMENTS[-2], SEGMENTS[-1]
    counts = {("A", segment0): 3, ("A", segment1): 50, ("B", segment0): 40,
              ("B", segment1): 60, ("C", segment0): 30, ("C", segment1): 45,
              ("D", segment0): 35, ("D", segment1): 70}  # fmt: skip
    people = practice_people(counts, pcn)
    truth = people.groupby(["practice", "segment"]).size()
    published = profile(people, area_types=["pcn", "practice"], place="X", rounded=False)
    # the true table behind the output: every area × segment count, before suppression
    true = published.apply(
        lambda r: _true_people(people, r.area_type, r.area_code, r.segment), axis=1
    ).to_numpy()
    hidden = published["people"].isna().to_numpy()
    assert truth[("A", segment0)] == 3 and hidden[_row(published, "practice", "A", segment0)]
    assert disclosed(true, profile_equations(published, pcn), hidden) == []
    shown = published["people"].dropna()
    assert not shown.between(1, 7).any()


def _row(frame: pd.DataFrame, area_type: str, code: str, segment: str) -> int:
    where = (frame["area_type"] == area_type) & (frame["area_code"] == code)
    return int(np.flatnonzero(where & (frame["segment"] == segment))[0])


def _true_people(people: pd.DataFrame, area_type: str, code: str, segment: str) -> int:
    chosen = people if area_type == "place" else people[people[area_type] == code]
    return int(len(chosen) if segment == "all" else (chosen["segment"] == segment).sum())


def test_indicator_values_publish_no_numerator_of_one_to_seven(
    indicator_world: tuple[Path, pd.DataFrame],
) -> None:
    _, values = indicator_world
    assert not values["numerator"].dropna().between(1, 7).any()
    hidden = values["numerator"].isna()
    assert hidden.sum() > 100  # 4,000 people: many LSOA and practice numerators are small
    # a blank value says why, and a value derived from a hidden count is blank too
    assert values.loc[hidden, DISCLOSURE].str.contains("numerator").all()
    assert values.loc[hidden, ["value", "lower95_0cl", "upper95_0cl"]].isna().all().all()


def test_indicator_numerators_cannot_be_had_back_across_the_area_hierarchy(
    indicator_world: tuple[Path, pd.DataFrame],
) -> None:
    warehouse, published = indicator_world
    backend = DuckDBBackend(warehouse)
    try:
        lsoa, practice = lookups(backend)
        true = compute_all(Context(backend, years=list(range(2014, 2019)),
                                   pooled=[(2015, 2017), (2016, 2018)]))  # fmt: skip
    finally:
        backend.close()
    keys = ["indicator_id", "area_type", "area_code", "period", "sex", "age_band"]
    # a common count and a rare one, each in its period with the most numerators hidden
    for indicator in ("emergency-admissions", "infant-deaths"):
        rows = published[published["indicator_id"] == indicator]
        period = str(rows["numerator"].isna().groupby(rows["period"]).sum().idxmax())
        block = published[
            (published["indicator_id"] == indicator) & (published["period"] == period)
        ]
        block = block.reset_index(drop=True)
        truth = (
            true.astype({"area_code": str})
            .merge(block[keys].astype({"area_code": str, "period": str}), on=keys, how="right")[
                "numerator"
            ]
            .to_numpy(dtype=float)
        )
        equations = area_equations(block, lsoa, practice)
        holding = [e for e in equations if truth[e[0]] == sum(truth[p] for p in e[1])]
        assert len(holding) >= len(equations) // 2  # the hierarchy really adds up
        hidden = block["numerator"].isna().to_numpy()
        assert hidden.any()
        assert disclosed(truth.astype(np.int64), holding, hidden) == []


def area_equations(
    block: pd.DataFrame, lsoa: pd.DataFrame, practice: pd.DataFrame
) -> list[Equation]:
    """LSOAs add up to neighbourhoods and deciles, practices to PCNs, each level to the place."""
    where = {(r.area_type, str(r.area_code)): i for i, r in enumerate(block.itertuples())}
    place = [i for (t, _), i in where.items() if t == "place"]
    equations: list[Equation] = []
    for level in ("neighbourhood", "imd_decile", "pcn", "practice", "lsoa"):
        parts = [i for (t, _), i in where.items() if t == level]
        equations.append((place[0], parts))
    for child, parent, lookup in (("lsoa", "neighbourhood", lsoa), ("lsoa", "imd_decile", lsoa),
                                  ("practice_code", "pcn", practice)):  # fmt: skip
        level = "practice" if child == "practice_code" else child
        for code, group in lookup.groupby(parent):
            if (parent, str(code)) in where:
                parts = [where[(level, str(c))] for c in group[child] if (level, str(c)) in where]
                equations.append((where[(parent, str(code))], parts))
    return equations


def test_cohort_summaries_at_nearby_thresholds_publish_counts_rounded_to_five(
    built: World,
    tmp_path: Path,
) -> None:
    tables = []
    for threshold in ("0.30", "0.31"):
        out = tmp_path / f"summary-{threshold}.csv"
        result = cohort(built, "--user", "bob", "--summary",
                        "--threshold", threshold, "-o", str(out))  # fmt: skip
        assert result.returncode == 0, result.stderr
        tables.append(pd.read_csv(out))
    for table in tables:
        shown = table["people"].dropna()
        assert (shown % 5 == 0).all()
        assert not shown.between(1, 7).any()
        assert table[DISCLOSURE].str.contains("rounded to the nearest 5").any()


def test_segment_profiles_at_nearby_index_dates_publish_counts_rounded_to_five(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    warehouse = synthetic_warehouse(tmp_path_factory)
    for day in ("2017-04-01", "2017-04-02"):
        out = tmp_path / f"profile-{day}.csv"
        result = run_cli("phm", "segments", "-w", str(warehouse), "--index-date", day,
                         "--by", "practice", "-o", str(out))  # fmt: skip
        assert result.returncode == 0, result.stderr
        table = pd.read_csv(out)
        shown = table[list(COUNTS)].stack().dropna()
        assert (shown % 5 == 0).all()
        assert not shown.between(1, 7).any()
        assert table[DISCLOSURE].notna().all()
