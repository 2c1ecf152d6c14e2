"""Investment prioritisation (finance.invest): proposals scored on weighted criteria,
ranked, bought within a reserve, and the ranking's sensitivity to the weights."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth.finance.invest import (
    amount_in_millions,
    bought,
    investment_files,
    load_investments,
    measures,
    prioritise,
    ranks,
    scaled,
    scores,
)
from placehealth.finance.invest_model import InvestmentFile
from placehealth.yamlfile import load_model
from tests.conftest import ROOT, seed_figures
from tests.test_cli import run_cli

BLUEPRINT = ROOT / "plans" / "blueprint-2015"

# four proposals, two criteria; the hand calculation is in test_scores_by_hand
SMALL = """\
document: {id: t, seed: "001"}
criteria:
  - {id: lives, label: Lives saved, measure: lives-saved, better: higher, weight: 2}
  - {id: cost, label: Cost, measure: cost, better: lower, weight: 1}
reserves:
  - id: r
    label: Reserve
    period: 2014/15
    recurrent: true
    amount: {value: 9, unit: £m}
    src: 1
proposals:
  - {id: a, label: A, src: 1, cost: {value: 4, unit: £m}, lives_saved: {low: 10, high: 20, src: 1}}
  - {id: b, label: B, src: 2, cost: {value: 2, unit: £m}, lives_saved: {low: 5, high: 5, src: 2}}
  - id: c
    label: C
    src: 3
    cost: {value: "6,000", unit: £000}
    lives_saved: {low: 30, high: 30, src: 3}
  - {id: d, label: D, src: 4, lives_saved: {low: 40, high: 40, src: 4}}
"""


def _plan(tmp_path: Path, text: str = SMALL) -> Path:
    folder = tmp_path / "plans" / "t" / "finance" / "investments"
    folder.mkdir(parents=True)
    (folder / "proposals.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path / "plans" / "t"


def test_scores_by_hand(tmp_path: Path) -> None:
    """Lives (middles 15, 5, 30, 40) scale over 5–40: 10/35, 0, 25/35, 1; cost (4, 2, 6,
    none) over 2–6, lower better: 0.5, 1, 0, 0 (no cost scores 0). Weighted 2:1:
    A (2 × 0.285714 + 0.5) / 3 = 0.357143, B 1/3, C (2 × 0.714286) / 3 = 0.476190, D 2/3.
    Ranks D, C, A, B. A £9m reserve: D is not costed; C (6) leaves 3; A (4) does not fit;
    B (2) leaves 1: it buys C and B, £8m."""
    result = prioritise(load_investments(_plan(tmp_path)), spread=0.0, draws=10)
    by_id = {p["id"]: p for p in result["proposals"]}
    assert [p["id"] for p in result["proposals"]] == ["d", "c", "a", "b"]
    assert by_id["a"]["score"] == pytest.approx(0.357143, abs=1e-6)
    assert by_id["b"]["score"] == pytest.approx(1 / 3)
    assert by_id["c"]["score"] == pytest.approx(0.476190, abs=1e-6)
    assert by_id["d"]["score"] == pytest.approx(2 / 3)
    assert by_id["c"]["cost"] == 6.0  # £6,000k
    assert {i for i, p in by_id.items() if p["bought"]} == {"b", "c"}
    assert (result["spent"], result["left"]) == (8.0, 1.0)
    assert by_id["d"]["why_not"] == "not costed: the reserve cannot buy it"
    assert by_id["a"]["why_not"] == "does not fit what is left of the reserve"
    assert all(p["rank_kept"] == 1.0 and p["bought_share"] in (0.0, 1.0) for p in by_id.values())


def test_weights_and_reserve_change_the_choice(tmp_path: Path) -> None:
    """Cost alone (lives=0): B 1, A 0.5, C 0, D 0 → B, A, C, D; £9m buys B and A (£6m)."""
    found = load_investments(_plan(tmp_path))
    result = prioritise(found, weights="lives=0", reserve="£9,000k", spread=0.0, draws=5)
    assert [p["id"] for p in result["proposals"]] == ["b", "a", "c", "d"]
    assert {p["id"] for p in result["proposals"] if p["bought"]} == {"a", "b"}
    assert result["reserve"]["amount"] == 9.0 and result["spent"] == 6.0


def test_recurrent_reserve_does_not_buy_non_recurrent(tmp_path: Path) -> None:
    text = SMALL.replace("lives_saved: {low: 5, high: 5, src: 2}}",
                         "lives_saved: {low: 5, high: 5, src: 2}, recurrent: false}")  # fmt: skip
    result = prioritise(load_investments(_plan(tmp_path, text)), spread=0.0, draws=5)
    b = next(p for p in result["proposals"] if p["id"] == "b")
    assert not b["bought"] and b["why_not"] == "the reserve is recurrent; the proposal is not"


def test_sensitivity_is_the_per_draw_loop(tmp_path: Path) -> None:
    """The vectorised draws give what one draw at a time gives: ranks and purchases."""
    found = load_investments(_plan(tmp_path))
    values = measures(found)
    unit = scaled(values, found.criteria)
    rng = np.random.default_rng(3)
    drawn = np.array([2.0, 1.0]) * (1 + rng.uniform(-0.8, 0.8, size=(300, 2)))
    eligible = np.ones(4, dtype=bool)
    many = scores(unit, drawn)
    many_ranks, many_buys = ranks(many), bought(many, values[:, 0], eligible, 9.0)
    for k in range(len(drawn)):
        one = scores(unit, drawn[k])
        assert np.array_equal(ranks(one), many_ranks[:, k])
        assert np.array_equal(bought(one, values[:, 0], eligible, 9.0), many_buys[:, k])
    result = prioritise(found, spread=80.0, draws=300, seed=3)
    kept = {p["id"]: p["rank_kept"] for p in result["proposals"]}
    assert 0 < min(kept.values()) < 1  # wide enough to move some ranks
    assert all(0.0 <= p["bought_share"] <= 1.0 for p in result["proposals"])
    assert next(p for p in result["proposals"] if p["id"] == "d")["bought_share"] == 0.0


def test_seed_proposals_and_reserves() -> None:
    """Seed 001, 4118 and 4149: pulmonary rehabilitation saves 48–84 lives and avoids 463
    admissions; 4068: nearly £3m for physical activity. Seed 000's reserves: £14m
    non-recurrent 2014/15 is F04's −14.0 (5175, 5759), £20m recurrent 2015/16 F06's −20.0
    (5336, 5762), £17.7m non-recurrent 2015/16 F06's −17.7 (5338, 5763)."""
    found = load_investments(BLUEPRINT)
    values = measures(found)
    ids = [p.id for p in found.proposals]
    pulmonary = values[ids.index("pulmonary-rehabilitation")]
    assert pulmonary[2:].tolist() == [66.0, 463.0]
    assert values[ids.index("physical-activity")][0] == 3.0
    assert len(ids) == 19
    reserves = {r.id: amount_in_millions(found.book, r.amount) for r in found.reserves}
    assert reserves == {
        "recurrent-2014-15": 20.0,
        "non-recurrent-2014-15": 14.0,
        "bcf-social-care-2014-15": 10.0,
        "recurrent-2015-16": 20.0,
        "non-recurrent-2015-16": 17.7,
    }


def test_cli_json_shows_what_the_reserve_buys() -> None:
    result = run_cli(
        "finance", "invest", str(BLUEPRINT), "--reserve", "non-recurrent-2014-15", "--json"
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["reserve"]["amount"] == 14.0
    bought_ids = {p["id"] for p in record["proposals"] if p["bought"]}
    # physical activity (£3m) ranks first; blood cancer (£12m) no longer fits after it
    assert bought_ids == {"physical-activity"}
    assert record["spent"] == 3.0


def test_cli_table() -> None:
    result = run_cli("finance", "invest", str(BLUEPRINT), "--weights", "cost=2")
    assert result.returncode == 0, result.stderr
    assert "Physical" in result.stdout and "not costed" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weights", "price=2"], "no criterion 'price'"),
        (["--weights", "cost"], "is not CRITERION=NUMBER"),
        (["--weights", "cost=0,lives-saved=0,admissions-avoided=0"], "at least one weight"),
        (["--reserve", "20"], "neither money"),
    ],
)
def test_bad_options_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = run_cli("finance", "invest", str(BLUEPRINT), *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_file_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    plan = _plan(tmp_path, SMALL.replace("better: lower", "better: less"))
    result = run_cli("finance", "invest", str(plan))
    assert result.returncode == 2
    assert "proposals.yaml:4:" in result.stderr and "Traceback" not in result.stderr


def test_no_proposals_is_one_line(tmp_path: Path) -> None:
    result = run_cli("finance", "invest", str(tmp_path))
    assert result.returncode == 2 and "no investment proposals" in result.stderr


def _printed_numbers() -> list[tuple[str, str, str, int, int]]:
    """Every number the investments files take from a seed, with the lines it cites."""
    out: list[tuple[str, str, str, int, int]] = []
    for file in investment_files(ROOT / "plans"):
        f = load_model(file, InvestmentFile)
        seed = f.document.seed
        for p in f.proposals:
            ranges = [(n, r) for n in ("lives_saved", "admissions_avoided") if (r := getattr(p, n))]
            out += [
                (f"{p.id}/{n}", f"{v:g}", seed, r.src.first, r.src.last)
                for n, r in ranges
                for v in {r.low, r.high}
            ]
            if p.cost is not None and p.cost.value is not None:
                lines = p.cost.src or p.src
                out.append((f"{p.id}/cost", p.cost.value.text, seed, lines.first, lines.last))
        out += [
            (r.id, r.amount.value.text, seed, r.src.first, r.src.last)
            for r in f.reserves
            if r.amount.value is not None
        ]
    return out


@pytest.mark.parametrize(("what", "printed", "seed", "first", "last"), _printed_numbers())
def test_every_number_is_printed_on_its_lines(
    what: str, printed: str, seed: str, first: int, last: int
) -> None:
    """Each proposal's outcome and cost, and each printed reserve, is on its cited lines
    (seed 001, 4063–4174; seed 000, 5758–5760)."""
    on_lines = set(re.findall(r"\d[\d,]*(?:\.\d+)?", seed_figures(seed, first, last)))
    assert printed in on_lines, f"{what}: {printed} not on seed {seed} {first}–{last}"


def test_pct_2010_goals_cite_the_investment_plans() -> None:
    """Seed 003, 1330–1338: the eight goals' costs are F20's totals (£56.9m in all); the
    gross investment reserve (F19, 1319) buys all eight, exactly; the £29.2m of net
    resources (1318) buys the cheapest goals that fit, down the cost ranking."""
    found = load_investments(ROOT / "plans" / "pct-2010")
    cost = measures(found)[:, 0]
    assert cost.tolist() == [5.3, 2.0, 12.6, 26.5, 1.1, 3.2, 1.8, 4.4]
    gross = prioritise(found, reserve="gross-2010-11", spread=0.0, draws=5)
    assert all(p["bought"] for p in gross["proposals"])
    assert gross["spent"] == pytest.approx(56.9) and gross["left"] == pytest.approx(0.0)
    net = prioritise(found, reserve="available-2010-11", spread=0.0, draws=5)
    # 1.1 + 1.8 + 2.0 + 3.2 + 4.4 + 5.3 = 17.8; 12.6 does not fit in the 11.4 left; 26.5 neither
    assert {p["id"] for p in net["proposals"] if p["bought"]} == {
        "end-of-life", "waiting", "self-care", "personalised-care", "joined-up", "big-difference",
    }  # fmt: skip
    assert net["spent"] == pytest.approx(17.8)


def test_proposals_without_criteria_name_the_plan_that_judges_them(tmp_path: Path) -> None:
    """Criteria come from the proposals' own file or from the plan it names (judged_by);
    never from whichever sibling happens to sort first."""
    plain = SMALL.split("criteria:")[0] + "proposals:" + SMALL.split("proposals:")[1]
    plan = _plan(tmp_path, plain)
    other = tmp_path / "plans" / "other" / "finance" / "investments"
    other.mkdir(parents=True)
    (other / "p.yaml").write_text(SMALL, encoding="utf-8")
    result = run_cli("finance", "invest", str(plan))
    assert result.returncode == 2 and "no prioritisation criteria" in result.stderr
    (plan / "finance" / "investments" / "proposals.yaml").write_text(
        plain.replace('seed: "001"}', 'seed: "001"}\njudged_by: other'), encoding="utf-8"
    )
    judged = prioritise(load_investments(plan), spread=0.0, draws=5)
    assert [c["id"] for c in judged["criteria"]] == ["lives", "cost"]
    assert judged["reserve"]["amount"] == 9.0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("cost: {value: 4, unit: £m}", "cost: {value: 4}", "a value needs its unit"),
        ("cost: {value: 4, unit: £m}", "cost: {value: 4, unit: £m, ref: F04/x/y}", "not both"),
        ("cost: {value: 4, unit: £m}", "cost: {ref: F04/x}", "names a row"),
        ("cost: {value: 4, unit: £m}", "cost: {value: 4, unit: £mm}", "cost.unit"),
        ("{low: 10, high: 20, src: 1}", "{low: 20, high: 10, src: 1}", "runs backwards"),
        ("cost: {value: 4, unit: £m}", "cost: {ref: F99/x/y}", "F99/x/y: no such table cell"),
        ("better: lower", "better: less", "criteria.1.better"),
    ],
)
def test_bad_proposals_file_is_one_line_with_its_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in SMALL
    plan = _plan(tmp_path, SMALL.replace(old, new, 1))
    result = run_cli("finance", "invest", str(plan))
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and "proposals.yaml:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_reserve_and_judges_errors(tmp_path: Path) -> None:
    no_reserves = SMALL.split("reserves:")[0] + "proposals:" + SMALL.split("proposals:")[1]
    result = run_cli("finance", "invest", str(_plan(tmp_path, no_reserves)))
    assert result.returncode == 2 and "no reserve in the files" in result.stderr
    assert run_cli("finance", "invest", str(tmp_path / "none")).returncode == 2
    plain = SMALL.split("criteria:")[0] + "proposals:" + SMALL.split("proposals:")[1]
    plan = tmp_path / "plans" / "t" / "finance" / "investments" / "proposals.yaml"
    plan.write_text(plain.replace('"001"}', '"001"}\njudged_by: nowhere'), encoding="utf-8")
    result = run_cli("finance", "invest", str(plan.parents[2]))
    assert result.returncode == 2 and "judged_by: no plan folder nowhere" in result.stderr


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(0.1, 50.0)), min_size=1, max_size=12),
    st.floats(0.0, 100.0),
    st.integers(0, 10_000),
)
def test_the_reserve_is_never_overspent_and_nothing_affordable_is_left(
    costs: list[float | None], reserve: float, seed: int
) -> None:
    """Whatever the scores: the reserve buys no more than it holds, only costed proposals,
    and every costed proposal it leaves costs more than what is left at the end."""
    cost = np.array([np.nan if c is None else c for c in costs])
    score = np.random.default_rng(seed).random(len(costs))
    eligible = np.ones(len(costs), dtype=bool)
    buys = bought(score, cost, eligible, reserve)
    spent = float(np.nansum(np.where(buys, cost, 0.0)))
    assert spent <= reserve + 1e-9
    assert not np.any(buys & np.isnan(cost))
    left = reserve - spent
    assert np.all(cost[~buys & np.isfinite(cost)] > left - 1e-9)
