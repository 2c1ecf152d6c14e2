"""The financial model (finance.position_model): seed 000's position derived from its
planning assumptions, the lines the seed does not derive as it says, and the what-if."""

from __future__ import annotations

import json

import pytest

from placehealth.errors import ValidationError
from placehealth.finance.load import load_book
from placehealth.finance.position_model import (
    COLUMNS,
    derive,
    model_findings,
    parse_setting,
    printed_value,
    read_model,
)
from placehealth.plans.severity import Severity
from tests.conftest import ROOT
from tests.test_cli import run_cli

CCG = ROOT / "plans" / "ccg-2014"
MODEL = read_model(load_book(CCG))


def test_reads_seed_000_assumptions_and_givens() -> None:
    """Seed 000_931c192e03ae9ec3.txt: F02 growth 2.29% (4902), contingency 1.00% (4912),
    headroom 2.50% (4918), surplus c/fwd 1.00% (4924), tariff uplift −1.50% (4953); F04's
    baseline 714.8 / 5.5 (5142–5144), surplus returned 14.3 (5148), commitments −667.4 /
    −17.0 (5167–5169), recurrent investment −30.0 (5173); F08's 2013-14 contracts 476.174
    (5558)."""
    first = MODEL.years[0]
    assert first.period == "2014/15" and first.table.id == "F04"
    a = first.assumptions
    assert (a.growth, a.contingency, a.headroom, a.surplus, a.tariff_uplift) == (
        2.29,
        1.0,
        2.5,
        1.0,
        -1.5,
    )
    assert (a.surplus_return, a.recurrent_investment, a.bcf) == (14.3, 30.0, 0.0)
    assert first.given.baseline == (714.8, 5.5)
    assert first.given.commitments == (-667.4, -17.0)
    assert first.given.contract_base == pytest.approx(476.174)
    assert [y.period for y in MODEL.years] == ["2014/15", "2015/16"]
    assert MODEL.years[1].assumptions.bcf == 13.6  # seed 000, 5314


def test_reproduces_2014_15_position_within_rounding() -> None:
    """Seed 000, 5125–5216 (F04) from F02's rates (4893–4955) and the growth the position
    applies (16.0 on 714.8, 5155 and 5142): every printed line within half a unit of its
    last digit (0.05), except the non-recurrent investment reserve, which reads four
    printed values (19.8, 17.0, −7.4 and the headroom on 730.8 + 14.3) and is within one
    unit (14.06 against 14.0)."""
    derived = derive(MODEL, {"2014/15": {"growth": 16.0 / 714.8 * 100}})[0]
    table = MODEL.years[0].table
    compared = 0
    for row, (rec, nr) in derived.rows.items():
        for column, value in zip(COLUMNS, (rec, nr, rec + nr), strict=True):
            printed = printed_value(table, row, column) if row != "bcf" else None
            if printed is None:
                continue
            compared += 1
            reserve = {"investments", "total-commitments", "surplus"}
            reads_four = row in reserve and column != "recurrent"
            assert abs(value - printed) <= (0.1 if reads_four else 0.05), (row, column, value)
    assert compared == 24
    # the headroom is the non-recurrent deficit: 2.5% × (730.8 + 14.3) = 18.63 (5191: −18.6)
    assert derived.headroom == pytest.approx(18.6, abs=0.05)
    assert derived.rows["contingency"][1] == pytest.approx(-7.4, abs=0.05)  # 5179–5181


def test_growth_does_not_follow_the_assumed_rate() -> None:
    """Seed 000: F04 prints growth 16.0 (5155) on a recurrent baseline of 714.8 (5142), which
    is 2.24%; F02 assumes 2.29% (4902), 16.37. F06 prints 10.2 (5313) on 730.8 (5306): 1.40%
    against 1.70% (4904), 12.42. The other derived lines (contingency, non-recurrent
    investment) agree in both years."""
    found = {f.id: f for f in model_findings(load_book(CCG))}
    assert set(found) == {
        "ccg-2014/finance/F04/growth/recurrent/model",
        "ccg-2014/finance/F06/growth/recurrent/model",
        "ccg-2014/finance/F04/surplus/total/model-surplus",
    }
    f04 = found["ccg-2014/finance/F04/growth/recurrent/model"]
    assert f04.severity == Severity.ERROR and f04.check == "finance-model"
    assert (f04.stated, f04.expected) == (16.0, pytest.approx(16.369, abs=1e-3))
    assert f04.sources == ["seed 000, 5155", "seed 000, 4902", "seed 000, 5142–5146"]
    assert "2.24%" in f04.message
    f06 = found["ccg-2014/finance/F06/growth/recurrent/model"]
    assert (f06.stated, f06.expected) == (10.2, pytest.approx(12.424, abs=1e-3))
    assert "1.40%" in f06.message


def test_2014_15_surplus_is_twice_the_assumed_surplus() -> None:
    """Seed 000: F02 carries a 1.00% recurrent surplus forward (4924); F04 plans 14.8 (5193),
    2.0% of 730.8 + 14.3 (5159, 5148) where 1% is 7.45: a warning. F06's printed 7.7
    (5351) is 1% of 754.6 + 14.8 = 7.69 and raises none (its TOTAL column is what the
    checker faults: 29.0 − 7.7 = 21.3)."""
    found = {f.id: f for f in model_findings(load_book(CCG))}
    f = found["ccg-2014/finance/F04/surplus/total/model-surplus"]
    assert f.severity == Severity.WARNING and f.check == "finance-model-surplus"
    assert (f.stated, f.expected) == (14.8, pytest.approx(7.451, abs=1e-3))
    assert "2.0% where the assumption says 1.00%" in f.message
    assert f.sources == [
        "seed 000, 5189–5193", "seed 000, 4922–4926", "seed 000, 5159–5163", "seed 000, 5148–5150",
    ]  # fmt: skip
    assert "ccg-2014/finance/F06/surplus/total/model-surplus" not in found


def test_2015_16_contingency_and_reserve_follow_the_rules() -> None:
    """Seed 000, F06: contingency 1% × the allocation less the surplus returned and the
    Better Care Fund (730.8 + 19.8 + 10.2 = 760.8) = 7.6 (5345);
    non-recurrent reserve 34.6 + 1% × (754.6 + 14.8) − 17.0 − 7.6 = 17.69, printed 17.7
    (5338, and the recommendation's £17.7m, 5763)."""
    derived = derive(MODEL)[1]
    assert derived.period == "2015/16"
    # derived from the derived 2014/15 (growth 2.29%): allocation 731.17 + 12.43 + 13.6
    assert derived.rows["growth"][0] == pytest.approx(0.017 * (714.8 * 1.0229), abs=1e-9)
    calibrated = derive(
        MODEL,
        {"2014/15": {"growth": 16.0 / 714.8 * 100}, "2015/16": {"growth": 10.2 / 730.8 * 100}},
    )[1]
    assert calibrated.rows["contingency"][1] == pytest.approx(-7.6, abs=0.05)
    assert calibrated.rows["investments"][1] == pytest.approx(-17.7, abs=0.1)


def test_what_if_matches_a_hand_calculation() -> None:
    """tariff uplift −1.8% (printed −1.50%, 4953) and growth 2.14% (F03, 4999), 2014/15:
    growth 2.14% × 714.8 = 15.29672; allocation 730.09672 + 19.8;
    commitments −667.4 + 476.174 × 0.3% = −665.971478;
    contingency 1% × (749.89672 − 14.3) = 7.3559672;
    headroom 2.5% × (730.09672 + 14.3) = 18.609918;
    reserve 19.8 + 18.609918 − 17.0 − 7.3559672 = 14.0539508;
    surplus 730.09672 − 665.971478 − 30 = 34.125242 and 19.8 − 17 − 14.0539508 −
    7.3559672 = −18.609918, total 15.515324; required 1% × 744.39672 = 7.4439672;
    headroom for investment 15.515324 − 7.4439672 = 8.0713568."""
    result = run_cli(
        "finance", "model", str(CCG), "--set", "tariff_uplift=-1.8%", "--set", "growth=2.14%",
        "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    year = json.loads(result.stdout)["years"][0]
    rows = {r["id"]: r["what_if"] for r in year["rows"]}
    assert rows["growth"][0] == pytest.approx(15.29672)
    assert rows["commitments"][0] == pytest.approx(-665.971478)
    assert rows["contingency"][1] == pytest.approx(-7.3559672)
    assert rows["investments"][1] == pytest.approx(-14.0539508)
    assert rows["surplus"] == pytest.approx([34.125242, -18.609918, 15.515324])
    assert year["headroom"]["what_if"] == pytest.approx(18.609918)
    assert year["investment_headroom"]["what_if"] == pytest.approx(8.0713568)
    assert year["assumptions"]["tariff_uplift"] == {"printed": -1.5, "what_if": -1.8, "unit": "%"}
    # 2015/16 follows: its baseline is the what-if 2014/15 allocation
    later = {r["id"]: r["what_if"] for r in json.loads(result.stdout)["years"][1]["rows"]}
    assert later["baseline"][:2] == pytest.approx([730.09672, 19.8])
    assert later["surplus-return"][1] == pytest.approx(15.515324)


def test_terminal_output_shows_headroom() -> None:
    result = run_cli("finance", "model", str(CCG), "--set", "growth=2.14%")
    assert result.returncode == 0, result.stderr
    assert "headroom for investment" in result.stdout and "F04" in result.stdout


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("tarif=-1.8%", "no assumption 'tarif'"),
        ("growth=2.14", "growth is a percentage"),
        ("growth=£2m", "growth is a percentage"),
        ("surplus_return=14.3", "is money in £"),
        ("surplus_return=£14.3x", "is money in £"),
        ("growth@2016/17=1%", "no position for 2016/17"),
        ("growth", "is not NAME=VALUE"),
    ],
)
def test_bad_setting_is_one_line_exit_2(setting: str, message: str) -> None:
    before = {p: p.read_bytes() for p in (CCG / "finance").glob("*.yaml")}
    result = run_cli("finance", "model", str(CCG), "--set", setting)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in (CCG / "finance").glob("*.yaml")} == before


def test_money_units_are_parsed_strictly() -> None:
    periods = ["2014/15", "2015/16"]
    assert parse_setting("surplus_return=£14.3m", periods) == ("2014/15", "surplus_return", 14.3)
    assert parse_setting("surplus_return=£14,300k", periods)[2] == pytest.approx(14.3)
    assert parse_setting("surplus_return=£14,300000", periods)[2] == pytest.approx(14.3)
    assert parse_setting("bcf@2015-16=£0.5bn", periods) == ("2015/16", "bcf", 500.0)
    assert parse_setting("tariff_uplift=−1.8%", periods)[2] == -1.8
    with pytest.raises(ValidationError, match="given twice"):
        from placehealth.finance.position_model import settings_from

        settings_from(["growth=1%", "growth=2%"], MODEL)


def test_a_folder_without_a_position_is_one_line_exit_2() -> None:
    result = run_cli("finance", "model", str(ROOT / "plans" / "pct-2010"))
    assert result.returncode == 2
    assert "no financial position with planning assumptions" in result.stderr


def test_plan_check_reports_the_models_findings() -> None:
    """`plan check` (services.finance.findings) carries the model's findings beside the
    tables' own: seed 000's two growth lines (5155, 5313) and the 2014/15 surplus (5193)."""
    from placehealth.services.finance import findings

    ids = {f.id for f in findings(CCG)}
    assert {
        "ccg-2014/finance/F04/growth/recurrent/model",
        "ccg-2014/finance/F06/growth/recurrent/model",
        "ccg-2014/finance/F04/surplus/total/model-surplus",
        "ccg-2014/finance/F06/allocation/total/total-column",
    } <= ids
    assert findings(ROOT / "plans" / "pct-2010")  # no position model there: tables' only
