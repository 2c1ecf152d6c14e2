"""Periods carry a kind that is read from the label or stated, never guessed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import ValidationError
from placehealth.periods import parse_period, readings
from placehealth.plans.load import load_plans
from placehealth.plans.status import read_actuals
from tests.conftest import ROOT, seed_quote
from tests.test_cli import run_cli

D = dt.date


@pytest.mark.parametrize(
    ("label", "kind", "start", "end", "months"),
    [
        ("2014-04", "month", D(2014, 4, 1), D(2014, 4, 30), 1),
        ("2014 Q1", "quarter", D(2014, 1, 1), D(2014, 3, 31), 3),
        ("2014/15 Q4", "fy_quarter", D(2015, 1, 1), D(2015, 3, 31), 3),
        ("2014 H2", "half_year", D(2014, 7, 1), D(2014, 12, 31), 6),
        ("2014/15 H1", "fy_half_year", D(2014, 4, 1), D(2014, 9, 30), 6),
        ("2014", "year", D(2014, 1, 1), D(2014, 12, 31), 12),
        ("2014/15", "financial_year", D(2014, 4, 1), D(2015, 3, 31), 12),
        ("2013-14", "financial_year", D(2013, 4, 1), D(2014, 3, 31), 12),
        ("2015-17", "pooled_years", D(2015, 1, 1), D(2017, 12, 31), 36),
        ("2015/16-2017/18", "pooled_financial_years", D(2015, 4, 1), D(2018, 3, 31), 36),
        ("2014-04..2014-12", "part_year", D(2014, 4, 1), D(2014, 12, 31), 9),
        ("2012-10..2013-09", "rolling_12_months", D(2012, 10, 1), D(2013, 9, 30), 12),
        ("at:2015-12", "point", D(2015, 12, 31), D(2015, 12, 31), 0),
        ("pooled:2009-11", "pooled_years", D(2009, 1, 1), D(2011, 12, 31), 36),
        ("month:2009-11", "month", D(2009, 11, 1), D(2009, 11, 30), 1),
        ("fy:2010-11", "financial_year", D(2010, 4, 1), D(2011, 3, 31), 12),
    ],
)
def test_each_kind_is_read_from_its_label(
    label: str, kind: str, start: dt.date, end: dt.date, months: int
) -> None:
    period = parse_period(label)
    assert (period.kind, period.start, period.end, period.months) == (kind, start, end, months)
    assert str(period) == label  # the label is kept as written


@pytest.mark.parametrize(
    ("label", "first", "second"),
    [
        ("2009-11", "month (November 2009)", "pooled window of 3 calendar years"),
        ("2010-11", "month (November 2010)", "financial year (Apr 2010–Mar 2011)"),
    ],
)
def test_an_ambiguous_label_is_refused_naming_both_readings(
    label: str, first: str, second: str
) -> None:
    with pytest.raises(ValidationError) as err:
        parse_period(label)
    assert first in err.value.message and second in err.value.message
    assert f":{label}'" in (err.value.hint or "")


def test_pooled_window_label_seed_001_line_4380() -> None:
    """Seed 001 line 4380: 'from 225.1 deaths per 100,000 in 2009-11 to 160.9 in 2019-21' is
    a pooled three-year mortality rate, and the plan says so."""
    assert seed_quote("225.1 deaths per 100,000 in 2009-11", "001", 4380)
    plan = next(p for p in load_plans(ROOT / "plans/blueprint-2015"))
    a = next(x for x in plan.ambitions if x.id == "all-age-cancer-mortality")
    assert a.baseline is not None and a.target is not None
    base, target = parse_period(a.baseline.period), parse_period(a.target.period)
    assert base.shape == target.shape == ("pooled_years", 36)
    assert (base.start, base.end) == (D(2009, 1, 1), D(2011, 12, 31))


def test_part_year_rates_seed_000_lines_4733_and_4759() -> None:
    """Seed 000 4736 '(April - December 2014)', 4755 '(January - June 2015)', 4726
    '(October 12-September 13)', 4740/4759 the BCF half-years: part-year periods."""
    assert seed_quote("( April - December 2014 )", "000", 4723, 4759)
    assert seed_quote("(October 12-September 13)", "000", 4723, 4759)
    plan = next(p for p in load_plans(ROOT / "plans/ccg-2014") if p.document.id == "ccg-2014")
    by_id = {a.id: a for a in plan.ambitions}
    delayed = [parse_period(p.period) for p in by_id["bcf-delayed-transfers"].published]
    assert [(p.kind, p.months) for p in delayed] == [("part_year", 9), ("part_year", 6)]
    avoidable = by_id["bcf-avoidable-admissions"]
    assert avoidable.baseline is not None
    assert parse_period(avoidable.baseline.period).kind == "rolling_12_months"
    halves = [parse_period(p.period) for p in avoidable.published]
    assert [(p.kind, p.start) for p in halves] == [
        ("fy_half_year", D(2014, 4, 1)),
        ("fy_half_year", D(2014, 10, 1)),
    ]


def test_no_plan_label_is_ambiguous() -> None:
    """Every period in every plan parses (the loader would refuse an ambiguous one)."""
    plans = load_plans(ROOT / "plans")
    labels = {
        p.period
        for plan in plans
        for a in plan.ambitions
        for p in (a.baseline, a.target, *a.published)
        if p is not None
    }
    assert all(parse_period(label).kind for label in labels)


def test_loader_refuses_an_ambiguous_label_with_file_and_line(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        'document: {id: x, seed: "001", title: X}\n'
        "ambitions:\n"
        "  - id: a\n"
        "    indicator: premature-mortality-cancer\n"
        "    baseline: {period: 2009-11, value: 148.5}\n"
    )
    result = run_cli("plan", "show", str(plan))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())  # one message, however the terminal wraps it
    assert message.startswith("error:") and message.count("error:") == 1
    assert f"{plan}:5" in message and "ambiguous period '2009-11'" in message
    assert "month (November 2009)" in message and "pooled window" in message


def test_actuals_state_the_kind_of_an_ambiguous_label(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    path = tmp_path / "a.csv"
    frame = pd.DataFrame(
        {"indicator": ["premature-mortality-cancer"], "area": ["Liverpool"], "period": ["2009-11"],
         "value": [148.5]}
    )  # fmt: skip
    frame.to_csv(path, index=False)
    with pytest.raises(ValidationError) as err:
        read_actuals(path, catalogue)
    assert err.value.row == 2 and "ambiguous period" in err.value.message
    frame.assign(period_kind="pooled").to_csv(path, index=False)
    read = read_actuals(path, catalogue)
    assert (read["period_kind"].iloc[0], read["months"].iloc[0]) == ("pooled_years", 36)


def test_engine_pooled_labels_are_pooled_windows(tmp_path: Path) -> None:
    """The engine's long format writes pooled windows as '2010-12' and never months."""
    path = tmp_path / "engine.csv"
    pd.DataFrame(
        {"indicator_id": ["premature-mortality-cancer"] * 2, "area_code": ["E08000012"] * 2,
         "period": ["2010-12", "2016-18"], "value": [150.0, 140.0]}
    ).to_csv(path, index=False)  # fmt: skip
    read = read_actuals(path, load_catalogue())
    assert list(read["period_kind"]) == ["pooled_years", "pooled_years"]
    assert read["start"].iloc[0] == pd.Timestamp("2010-01-01")


def test_engine_labels_are_read_once_each_however_many_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A values file has a few labels over many rows: each label is read once (not once a
    row), and every row still gets its own label's kind. 3,000 rows of three labels:
    '2009-11' reads two ways (November 2009, or 2009 to 2011) so it is a pooled window;
    '2016-18' reads only as a window and '2016/17' only as a financial year."""
    import placehealth.plans.status as status

    calls: list[str] = []

    def counted(label: str) -> list:
        calls.append(label)
        return readings(label)

    monkeypatch.setattr(status, "readings", counted)
    labels = ["2009-11", "2016-18", "2016/17"] * 1_000
    frame = pd.DataFrame(
        {"indicator_id": "premature-mortality-cancer", "area_code": "E08000012",
         "period": labels, "value": range(len(labels))}
    )  # fmt: skip
    read = status.from_long_format(frame, tmp_path / "values.csv")
    assert sorted(calls) == ["2009-11", "2016-18"]  # '2016/17' is not of the form at all
    assert list(read["period_kind"][:3]) == ["pooled", "", ""]
    assert (read["period_kind"] == "pooled").sum() == 1_000
    assert (read["period_kind"].to_numpy()[::3] == "pooled").all()


def test_engine_writes_pooled_windows_that_read_one_way(tmp_path: Path) -> None:
    """Windows ending in 2010 or 2011 would print as months (October 2008?): the engine writes
    it with its kind, through the one label rule, and it reads back as three years."""
    from placehealth.engine.indicators.context import pool

    years = pd.DataFrame({"area": "A", "year": [2008, 2009, 2010, 2011], "deaths": [1, 2, 3, 4]})
    pooled = pool(years, [(2008, 2010), (2009, 2011)], ["deaths"])
    assert sorted(pooled["period"]) == ["pooled:2008-10", "pooled:2009-11"]  # 11: November?
    path = tmp_path / "engine.csv"
    pd.DataFrame(
        {"indicator_id": ["premature-mortality-cancer"] * 2, "area_code": ["E08000012"] * 2,
         "period": sorted(pooled["period"]), "value": [150.0, 140.0]}
    ).to_csv(path, index=False)  # fmt: skip
    read = read_actuals(path, load_catalogue())
    assert list(read["period_kind"]) == ["pooled_years", "pooled_years"]
    assert sorted(read["start"]) == [pd.Timestamp("2008-01-01"), pd.Timestamp("2009-01-01")]
