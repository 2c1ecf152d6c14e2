"""The board pack's activity page on a small synthetic place: every number it prints is the
number the services publish — plan against actual (with the monthly series' variation
icon) and the demand projection's range in its last year."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from placehealth.reports.icons import VARIATION, variation_text
from placehealth.reports.render import render_html
from placehealth.services import activity, ingest, synth
from placehealth.services.activity_pack import board_section
from placehealth.services.demo import demo_key

PLANS = Path(__file__).parents[2] / "plans"
ROW = re.compile(r"<tr><td>(.*?)</tr>", re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
LABEL = re.compile(r'aria-label="([^"]*)"')


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page")
    synth.generate(out / "synth", persons=2_000, seed=3)
    path = out / "w.duckdb"
    ingest.load(out / "synth", path, key_file=demo_key(out), synthetic=True)
    return path


@pytest.fixture(scope="module")
def runs(warehouse: Path) -> tuple[Any, Any]:
    out = warehouse.parent
    actual = activity.plan_against_actual(warehouse, plans=PLANS)
    population = out / "population.csv"
    activity.population(PLANS / "sefton-bcf-2014", output=population)
    demand = activity.project(projection=population, warehouse=warehouse, runs=200, seed=2)
    return actual, demand


def _table(html: str, name: str) -> list[list[str]]:
    body = html.split(f'class="small {name}"')[1].split("</table>")[0]
    return [CELL.findall("<td>" + row) for row in ROW.findall(body)]


def _number(text: str) -> float | None:
    return float(text.replace(",", "")) if text else None


def test_the_page_prints_the_published_plan_against_actual(runs: tuple[Any, Any]) -> None:
    actual, demand = runs
    html = render_html("_activity.html", {"activity": board_section(actual, demand)})
    rows = _table(html, "activity-actual")
    total = actual.variance[actual.variance["month"] == "all"].reset_index(drop=True)
    assert len(rows) == len(total) > 10
    assert total["actual"].notna().sum() > 5  # the test compares counts, not only blanks
    spc = actual.spc.set_index(["provider", "pod"])
    labels = {variation_text(k): k for k in VARIATION} | {variation_text(None): None}
    for cells, (_, want) in zip(rows, total.iterrows(), strict=True):
        assert cells[:2] == [want["provider"], want["pod"]]
        for text, column, digits in [
            (cells[2], "plan", 0), (cells[3], "actual", 0),
            (cells[4], "difference", 0), (cells[5], "pct_difference", 1),
        ]:  # fmt: skip
            value = want[column]
            assert _number(text) == (None if pd.isna(value) else round(float(value), digits))
        icon = spc.loc[(want["provider"], want["pod"]), "variation_icon"]
        shown = labels[LABEL.search(cells[6])[1]]  # type: ignore[index]
        assert shown == (None if icon == "insufficient_data" else icon)


def test_the_page_prints_the_published_projection_range(runs: tuple[Any, Any]) -> None:
    actual, demand = runs
    html = render_html("_activity.html", {"activity": board_section(actual, demand)})
    rows = _table(html, "activity-projection")
    published = activity.published_demand(demand.projection, demand.base).frame
    counts = published[published["measure"] == "activity"]
    last = counts[counts["year"] == counts["year"].max()].set_index("pod")
    first = counts[counts["year"] == counts["year"].min()].set_index("pod")
    assert [r[0] for r in rows] == list(last.index)
    for cells in rows:
        pod = cells[0]
        want = [first.loc[pod, "p50"], *last.loc[pod, ["p10", "p50", "p90"]]]
        got = [_number(c) for c in cells[1:]]
        assert got == [None if pd.isna(w) else round(float(w)) for w in want]
        assert got[1] is None or got[1] <= got[2] <= got[3]  # type: ignore[operator]
    years = f"{counts['year'].min()} to {counts['year'].max()}"
    assert years in html


def test_no_activity_no_page() -> None:
    assert board_section(None, None) is None
    assert "activity-page" not in render_html("_activity.html", {"activity": None})


def test_a_synthetic_sample_is_set_against_its_share_of_the_plan(
    warehouse: Path, runs: tuple[Any, Any]
) -> None:
    """2,000 synthetic people against Liverpool's plans for 500,000: the plan is scaled to
    0.4% of itself, the page says so, and the actual reads near the plan, not 99% below."""
    whole, _ = runs
    scaled = activity.plan_against_actual(warehouse, plans=PLANS, population=2_000)
    html = render_html("_activity.html", {"activity": board_section(scaled, None)})
    assert "2,000 people, 0.4% of Liverpool's 500,000" in " ".join(unescape(html).split())
    total = scaled.variance[scaled.variance["month"] == "all"].set_index(["provider", "pod"])
    before = whole.variance[whole.variance["month"] == "all"].set_index(["provider", "pod"])
    planned = before["plan"].notna()
    share = 2_000 / 500_000
    assert list(total["plan"][planned]) == pytest.approx(list(before["plan"][planned] * share))
    assert list(total["place_plan"][planned]) == pytest.approx(list(before["plan"][planned]))
    for cells, (key, want) in zip(_table(html, "activity-actual"), total.iterrows(), strict=True):
        assert tuple(cells[:2]) == key
        assert _number(cells[2]) == (None if pd.isna(want["plan"]) else round(want["plan"]))
    # non-elective admissions: the generator is calibrated to the city's 53,828 a year
    # (seed 001, 2471), so scaled to its share the plan and the actual are of one size
    emergency = total.xs("non-elective", level="pod")[["plan", "actual"]].sum()
    assert 0.5 < emergency["actual"] / emergency["plan"] < 2
    unscaled = before.xs("non-elective", level="pod")["plan"].sum()
    assert emergency["actual"] / unscaled < 0.01  # what the whole plan showed: about -99%
