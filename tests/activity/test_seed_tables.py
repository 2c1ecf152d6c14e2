"""The seeds' activity plans as data (plans/*/activity): every encoded value is printed,
exactly so, on the seed line it cites (tests/seed-figures.json), and every activity table of
the seed index (A1–A16) is there, with its rows and columns."""

from __future__ import annotations

import pytest

from placehealth.activity.load import ActivityBook, load_activity
from tests.conftest import ROOT, seed_figures, seed_quote
from tests.finance.test_seed_tables import digits

ACTIVITY: ActivityBook = load_activity(ROOT / "plans")
PROVIDERS = [
    "royal-liverpool", "aintree", "alder-hey", "liverpool-womens", "liverpool-heart-chest",
    "st-helens-knowsley", "spire-liverpool", "other-acute", "total",
]  # fmt: skip
YEARS = ["2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19"]


def _cells() -> list[tuple[str, str, int]]:
    out = []
    for table in ACTIVITY.tables():
        for row in table.rows:
            for column, cell in zip(table.columns, row.values, strict=True):
                if cell is not None:
                    assert cell.src is not None and cell.src.first == cell.src.last
                    where = f"{table.id}/{row.id}/{column.id}"
                    out.append((where, cell.value.text, cell.src.first))
    return out


@pytest.mark.parametrize(("cell", "printed", "line"), _cells())
def test_every_table_value_is_printed_on_its_own_line(cell: str, printed: str, line: int) -> None:
    """Seed 000, 1680–2948: each of the 1,000-odd values of A1–A10 cites the one line it is
    printed on, as printed ('-5.20%', '4,978')."""
    assert seed_figures("000", line) == printed, cell


def _figures() -> list[tuple[str, str, str, int, int]]:
    return [
        (f.key, f.value.text, p.document.seed, f.src.first, f.src.last)
        for f, p in ACTIVITY.figures
        if f.value is not None and f.src is not None
    ]


@pytest.mark.parametrize(("key", "printed", "seed", "first", "last"), _figures())
def test_every_figure_of_its_own_is_printed_on_its_lines(
    key: str, printed: str, seed: str, first: int, last: int
) -> None:
    """Seed 002, 613: 1,500 patients, 1,700 fewer bed-days (the plan has no statement)."""
    on_lines = {digits(n) for n in seed_figures(seed, first, last).split()}
    assert digits(printed) in on_lines, key


def test_a1_to_a10_are_eight_providers_and_a_total_by_six_years_and_five_changes() -> None:
    """The index: A1–A10 in seed 000, each 8 providers + TOTAL × 6 years (2013-14* to
    2018-19) + year-on-year %; Spire's YoY blank in A5 and A7 (0 to 0)."""
    tables = {t.id: t for t in ACTIVITY.tables()}
    assert sorted(tables, key=lambda t: int(t[1:])) == [f"A{n}" for n in range(1, 11)]
    for table in tables.values():
        assert ACTIVITY.book.where[table.id].document.id == "ccg-2014"
        assert [r.id for r in table.rows] == PROVIDERS
        assert [c.id for c in table.columns[:6]] == YEARS
        changes = list(zip(YEARS[1:], YEARS[:-1], strict=True))
        assert [c.pct_change for c in table.columns[6:]] == changes
    blank = {
        (t.id, r.id) for t in tables.values() for r in t.rows if any(v is None for v in r.values)
    }
    assert blank == {("A5", "spire-liverpool"), ("A7", "spire-liverpool")}
    pods = [tables[f"A{n}"].pod for n in range(1, 11)]
    assert pods == [
        "elective-ordinary", "elective-daycase", "elective", "gp-referral", "other-referral",
        "referral", "non-elective", "op-first", "op-first-gp", "op-follow-up",
    ]  # fmt: skip


def test_values_printed_before_their_header_are_assigned_and_say_so() -> None:
    """Seed 000: A2's 2015-16 to 2018-19 columns (1810–1851) come before its title (1903);
    A10's 2018-19 column (2721–2729) before its title (2883). The cells cite those lines and
    the tables' notes say how they were assigned."""
    tables = {t.id: t for t in ACTIVITY.tables()}
    royal = {t: {c.id: v for c, v in zip(tables[t].columns, tables[t].rows[0].values, strict=True)}
             for t in ("A2", "A10")}  # fmt: skip
    assert royal["A2"]["2015-16"] is not None and royal["A2"]["2015-16"].src.first == 1810
    assert royal["A10"]["2018-19"] is not None and royal["A10"]["2018-19"].src.first == 2721
    for table in ("A2", "A4", "A5", "A7", "A8", "A9", "A10"):
        assert "arithmetic" in (tables[table].notes or ""), table


def test_a13_schemes_link_the_blueprint_statements_of_4120_to_4174() -> None:
    """Seed 001, 4147–4174: twelve schemes, each the plan's statement printed in the scheme
    block (not a copy), with the net effect (4136–4137) and the avoidable baseline (4125)."""
    ((schemes, placed),) = ACTIVITY.schemes
    assert placed.document.id == "blueprint-2015" and len(schemes.schemes) == 12
    stated = ACTIVITY.statements(schemes, placed)
    values = [stated[s.statement] for s in schemes.schemes]
    assert all(v.src.first >= 4147 and v.src.last <= 4174 for v in values)
    assert [v.value for v in values] == [489, 463, 228, 244, 88, 64, 27, 8, 11, 35, 560, 18]
    for value in values:
        assert str(value.value) in seed_figures("001", value.src.first, value.src.last).split()
    assert stated[schemes.net].value == 1659 and stated["avoidable-admissions-2013"].value == 12055


def test_a12_and_a14_to_a16_link_the_plans_statements_and_ambitions() -> None:
    """A12 (001, 2460–2472), A14 (003, 488–740), A15 (004, 542–606), A16 (002, 184–613):
    each figure is the plan's own statement or ambition (linked, not copied) on those lines,
    or a value of its own."""
    cited: dict[str, set[str]] = {}
    for figure, placed in ACTIVITY.figures:
        cited.setdefault(placed.document.id, set()).add(ACTIVITY.figure(figure, placed)["source"])
    assert cited["blueprint-2015"] == {
        "seed 001, 2461–2462", "seed 001, 2464", "seed 001, 2465–2466", "seed 001, 2468–2469",
        "seed 001, 2471–2472",
    }  # fmt: skip
    assert cited["pct-2010"] == {"seed 003, 488", "seed 003, 552", "seed 003, 666", "seed 003, 740"}
    assert cited["sefton-bcf-2014"] == {
        "seed 004, 542", "seed 004, 599", "seed 004, 604", "seed 004, 606"
    }  # fmt: skip
    assert cited["one-liverpool-2019"] == {"seed 002, 184", "seed 002, 186", "seed 002, 613"}
    emergency = next(f for f, _ in ACTIVITY.figures if f.key == "emergency-admissions")
    assert emergency.statement is not None and emergency.value is None and emergency.pod


def test_the_outcome_plans_still_load_beside_the_activity_folders() -> None:
    """A plan folder's activity/ files are not read as ambitions."""
    from placehealth.plans.load import load_plans

    (plan,) = load_plans(ROOT / "plans" / "ccg-2014")
    assert all("activity" not in f.parts for f in plan.files.values())


def test_p1_sefton_population_change_is_printed_on_line_206() -> None:
    """Seed 004, 206: all ages +1%; 65+ 16% (57,366 to 66,545); 85+ 40.5% (7,633 to 10,723)."""
    ((change, placed),) = ACTIVITY.populations
    assert placed.document.id == "sefton-bcf-2014"
    assert (change.start_year, change.end_year) == (2011, 2021)
    printed = set(seed_figures("004", 206).split())
    for group in change.groups:
        values = [v for v in (group.start, group.end, group.change) if v is not None]
        assert all(v.text in printed for v in values), group.ages
    assert [g.ages for g in change.groups] == ["all", "65+", "85+"]


def test_a11_text_items_are_printed_on_their_lines() -> None:
    """A11 (seed 000, 319–344): the activity narrative's areas and key aspects, kept as text
    items (no number), each quoted as printed on the lines it cites."""
    items = [(f, p) for f, p in ACTIVITY.figures if p.document.id == "ccg-2014"]
    assert len(items) == 15
    for figure, placed in items:
        assert figure.value is None and figure.statement is None and figure.text and figure.src
        seed_quote(figure.text, placed.document.seed, figure.src.first, figure.src.last, flat=True)
