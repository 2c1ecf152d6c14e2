"""Risk registers: the seeds' registers as data (each number on its cited lines), scoring,
bands from the matrix, flags, sort and filter, the heat map's counts, the findings, and bad
input refused with file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from placehealth.errors import ValidationError
from placehealth.finance.risks_model import Matrix
from placehealth.finance.risks_register import (
    check_registers,
    heat_counts,
    load_matrix,
    load_registers,
    risk_table,
    select,
)
from tests.conftest import ROOT, seed_figures, seed_quote

READS = load_registers(ROOT / "plans")
BY_ID = {r.register.id: r for r in READS}
TODAY = dt.date(2026, 1, 1)
TABLE = risk_table(READS, TODAY)


def test_every_register_of_the_index_is_encoded() -> None:
    assert sorted(BY_ID) == ["R01", "R02", "R03", "R04", "R05"]
    assert [len(BY_ID[r].register.risks) for r in sorted(BY_ID)] == [4, 4, 12, 0, 0]


def test_r01_scores_are_printed_on_their_lines() -> None:
    """Seed 000, 4527–4580: L, C and Score of the four risks, printed after the text."""
    printed = seed_figures("000", 4527, 4580).split()
    assert printed == ["4", "3", "12", "3", "3", "9", "3", "3", "9", "3", "4", "12"]
    r01 = [(r.likelihood, r.consequence, r.score) for r in BY_ID["R01"].register.risks]
    assert [str(x) for risk in r01 for x in risk] == printed
    assert [r.category for r in BY_ID["R01"].register.risks] == [
        "Finance", "Service Users", "Workforce", "Provider Engagement"
    ]  # fmt: skip


def test_r03_ratings() -> None:
    """Seed 004, 856–906: twelve risks, ten rated High and two Medium, nothing scored."""
    ratings = [r.rating for r in BY_ID["R03"].register.risks]
    assert ratings.count("High") == 10 and ratings.count("Medium") == 2
    assert all(r.likelihood is None for r in BY_ID["R03"].register.risks)


def test_scores_and_bands_follow_the_matrix() -> None:
    r01 = TABLE[TABLE["register"] == "R01"].set_index("risk")
    assert (
        r01.loc["council-finances", "score"] == 12 and r01.loc["council-finances", "band"] == "High"
    )
    assert r01.loc["workforce-development", "band"] == "High"  # 9 is High in the 5×5 matrix
    matrix = load_matrix()
    assert [matrix.band(s).name for s in (1, 4, 8, 15, 25)] == [  # type: ignore[union-attr]
        "Low", "Moderate", "High", "Extreme", "Extreme"
    ]  # fmt: skip


def test_flags_name_what_a_risk_lacks() -> None:
    """No seed register names an owner or a review date; R02 and R03 give no scores."""
    assert TABLE["flags"].str.contains("no owner").all()
    assert TABLE["flags"].str.contains("no review date").all()
    assert set(TABLE[TABLE["flags"].str.contains("not scored")]["register"]) == {"R02", "R03"}
    assert not TABLE["flags"].str.contains("no mitigation").any()


def test_past_review_and_owner_filter(tmp_path: Path) -> None:
    path = tmp_path / "risks" / "r.yaml"
    path.parent.mkdir()
    path.write_text(
        "id: R90\ndocument: {id: t, seed: '000'}\ntitle: T\nsrc: 1\n"
        "scoring: likelihood-consequence\nrisks:\n"
        "  - {id: a, category: Finance, description: A, likelihood: 5, consequence: 5,"
        " owner: CFO, review: 2025-06-30, mitigation: [m], residual_likelihood: 2,"
        " residual_consequence: 2, src: 1}\n"
        "  - {id: b, category: Workforce, description: B, likelihood: 1, consequence: 2, src: 2}\n",
        encoding="utf-8",
    )
    table = risk_table(load_registers(tmp_path), TODAY)
    a = table.set_index("risk").loc["a"]
    assert (a["score"], a["band"], a["residual_score"], a["residual_band"]) == (
        25,
        "Extreme",
        4,
        "Moderate",
    )
    assert a["flags"] == "past review"
    assert select(table, owner="cfo")["risk"].tolist() == ["a"]
    assert select(table, category="work")["risk"].tolist() == ["b"]
    assert select(table, min_score=3)["risk"].tolist() == ["a"]
    assert select(table, sort="score")["risk"].tolist() == ["a", "b"]


def test_sort_unscored_last_and_unknown_column() -> None:
    ordered = select(TABLE)
    assert ordered["score"].head(2).tolist() == [12, 12] and ordered["score"].iloc[-1] is pd_na()
    with pytest.raises(ValidationError, match="cannot sort by 'colour'"):
        select(TABLE, sort="colour")


def pd_na() -> object:
    import pandas as pd

    return pd.NA


def test_heat_counts() -> None:
    grid = heat_counts(TABLE, load_matrix())
    assert len(grid) == 25 and grid["risks"].sum() == 4
    cells = grid[grid["risks"] > 0].set_index(["likelihood", "consequence"])["risks"].to_dict()
    assert cells == {(3, 3): 2, (3, 4): 1, (4, 3): 1}


def test_findings() -> None:
    found = {f.id: f for f in check_registers(READS, TODAY)}
    assert "12 of 12 risks have no likelihood or consequence (rated High, Medium only)" in (
        found["sefton-bcf-2014/risks/R03/not-scored"].message
    )
    assert found["ccg-2014/risks/R01/no-owner"].sources == ["seed 000, 4486–4586"]
    assert found["pct-2010/risks/R04/not-printed"].severity == "note"
    assert not [f for f in found if f.endswith("/score")]  # R01 scores are L × C


def test_a_score_edited_to_disagree(tmp_path: Path) -> None:
    folder = tmp_path / "risks"
    folder.mkdir()
    text = (ROOT / "plans/ccg-2014/risks/bcf-risks.yaml").read_text(encoding="utf-8")
    (folder / "r.yaml").write_text(text.replace("score: 12", "score: 16", 1), encoding="utf-8")
    found = {f.id: f for f in check_registers(load_registers(tmp_path), TODAY)}
    f = found["ccg-2014/risks/R01/council-finances/score"]
    assert (f.severity, f.stated, f.expected) == ("error", 16, 12)


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        (
            "likelihood: 4\n",
            "likelihood: -4\n",
            19,
            "risks.0.likelihood: Input should be greater than or equal to 1",
        ),
        ("likelihood: 4\n", "likelihood: 6\n", 19, "likelihood 6 is outside the matrix (1–5)"),
        ("score: 12\n", "score: 13\n", 21, "score 13 is outside the matrix"),
    ],
)
def test_bad_levels_are_refused_with_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, says: str
) -> None:
    folder = tmp_path / "risks"
    folder.mkdir()
    text = (ROOT / "plans/ccg-2014/risks/bcf-risks.yaml").read_text(encoding="utf-8")
    (folder / "r.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_registers(tmp_path)
    assert caught.value.line == line and says in caught.value.message


def test_a_matrix_whose_bands_leave_a_gap_is_refused() -> None:
    matrix = load_matrix().model_dump()
    matrix["bands"][1]["max"] = 5  # 6 = 2 × 3 is in no band
    with pytest.raises(ValueError, match="score 6 is in 0 bands"):
        Matrix.model_validate(matrix)


@pytest.mark.parametrize(
    "risk",
    [r for read in READS for r in read.register.risks],
    ids=lambda r: r.id,
)
def test_each_risk_is_on_its_lines(risk: object) -> None:
    """Each risk's opening words, category and rating are printed on the lines it cites."""
    from placehealth.finance.risks_model import Risk

    assert isinstance(risk, Risk)
    read = next(r for r in READS if risk in r.register.risks)
    seed, lines = read.register.document.seed, risk.src
    opening = " ".join(risk.description.split()[:3])
    assert seed_quote(opening, seed, lines.first, lines.last, flat=True)
    for printed in (risk.category, risk.rating):
        if printed:
            assert seed_quote(printed, seed, lines.first, lines.last, flat=True)


def test_every_register_finding_on_the_seeds_is_listed() -> None:
    found = {f.id: f for f in check_registers(READS, TODAY)}
    assert sorted(found) == [
        "ccg-2014/risks/R01/no-owner",
        "ccg-2014/risks/R01/no-review-date",
        "ccg-2014/risks/R02/no-owner",
        "ccg-2014/risks/R02/no-review-date",
        "ccg-2014/risks/R02/not-scored",
        "pct-2010/risks/R04/not-printed",
        "sefton-bcf-2014/risks/R03/no-owner",
        "sefton-bcf-2014/risks/R03/no-review-date",
        "sefton-bcf-2014/risks/R03/not-scored",
        "sefton-bcf-2014/risks/R05/not-printed",
    ]
    assert found["ccg-2014/risks/R02/not-scored"].sources == ["seed 000, 5655–5730"]
    assert found["sefton-bcf-2014/risks/R05/not-printed"].sources == ["seed 004, 74"]
    assert (
        found["sefton-bcf-2014/risks/R03/no-owner"].stated,
        found["ccg-2014/risks/R01/no-review-date"].stated,
    ) == (12, 4)
