"""The seed documents' financial tables as data (plans/*/finance): every encoded value is
printed, exactly so, on the seed lines it cites (read from tests/seed-figures.json), and
every index table this slice covers is there."""

from __future__ import annotations

import pytest

from placehealth.finance.load import Book, load_book
from tests.conftest import ROOT, seed_figures, seed_quote

BOOK: Book = load_book(ROOT / "plans")


def digits(printed: str) -> str:
    """A printed number without its sign, brackets, £ or %: '(2.75)' → '2.75'."""
    return printed.strip().strip("()").lstrip("-−").lstrip("£").lstrip("-−").rstrip("%")


def _cells() -> list[tuple[str, str, str, str, int, int]]:
    out = []
    for table in BOOK.tables.values():
        seed = BOOK.where[table.id].document.seed
        for row in table.rows:
            for column, cell in zip(table.columns, row.values, strict=False):
                if cell is None:
                    continue
                lines = cell.src or row.src
                assert lines is not None, f"{table.id}/{row.id}/{column.id} cites no line"
                out.append(
                    (
                        f"{table.id}/{row.id}/{column.id}",
                        cell.value.text,
                        seed,
                        lines.first,
                        lines.last,
                    )
                )
    return out


@pytest.mark.parametrize(("cell", "printed", "seed", "first", "last"), _cells())
def test_every_value_is_printed_on_its_lines(
    cell: str, printed: str, seed: str, first: int, last: int
) -> None:
    """Each cell's value, as printed (trailing zeros and all), is on its cited lines."""
    on_lines = {digits(n) for n in seed_figures(seed, first, last).split()}
    assert digits(printed) in on_lines, f"{cell}: {printed} not on seed {seed} {first}–{last}"


def _figures() -> list[tuple[str, str, str, int, int]]:
    return [
        (f.key, f.value.text, p.document.seed, f.src.first, f.src.last) for f, p in BOOK.figures
    ]


@pytest.mark.parametrize(("key", "printed", "seed", "first", "last"), _figures())
def test_every_figure_is_printed_on_its_lines(
    key: str, printed: str, seed: str, first: int, last: int
) -> None:
    """Each number the text states and the checker compares with a table is on its lines."""
    on_lines = {digits(n) for n in seed_figures(seed, first, last).split()}
    assert digits(printed) in on_lines, key


def test_the_index_tables_of_this_slice_are_encoded() -> None:
    """Seed 000's F02–F08, F09 (= B11) and F10 and the BCF template's B8, seed 001's F13 and
    F14, seed 003's F17–F21 and seed 004's pool (B13) (the seed finance index), each in the
    plan folder of its document, with the index's row counts."""
    where = {t: (BOOK.where[t].document.id, BOOK.where[t].document.seed) for t in BOOK.tables}
    assert where == {
        **{t: ("ccg-2014", "000") for t in ("F02", "F03", "F04", "F05", "F06", "F07", "F08")},
        "F10": ("ccg-2014", "000"),
        "B11": ("ccg-2014", "000"),  # the index's F09
        "B8": ("ccg-2014", "000"),
        **{t: ("blueprint-2015", "001") for t in ("F13", "F14")},
        **{t: ("pct-2010", "003") for t in ("F17", "F18", "F19", "F20", "F21")},
        "B13": ("sefton-bcf-2014", "004"),  # the index's F23 pool
        "F15": ("blueprint-2015", "001"),  # narratives: seed 001, 3975–4040
        "F16": ("one-liverpool-2019", "002"),  # seed 002, 646–680
        "F22": ("pct-2010", "003"),  # seed 003, 139–1346
        "F23": ("sefton-bcf-2014", "004"),  # the council's reductions, seed 004, 218
        "I3": ("ccg-2014", "000"),  # the 10% objective, seed 000, 4851
        **{t: ("blueprint-2015", "001") for t in ("I6", "I9")},  # 3221–3730; 1648–2929
        "I13": ("one-liverpool-2019", "002"),  # seed 002, 371, 611
        "I14": ("sefton-bcf-2014", "004"),  # CCG priorities, seed 004, 460–473
    }
    rows = {t: len([r for r in BOOK.tables[t].rows if r.kind != "heading"]) for t in BOOK.tables}
    # index: F04 9 rows, F06 10, F08 9 providers + total, F10 3 lines + total, F18 7 rows,
    # F19 4, F20 8 goals + total, F21 6 lines + total
    assert rows["F04"] == 9 and rows["F06"] == 10 and rows["F08"] == 10 and rows["F10"] == 4
    assert rows["F18"] == 7 and rows["F19"] == 4 and rows["F20"] == 9 and rows["F21"] == 7
    # F05 and F07: 10 spend areas + TOTAL; F13: 6 sectors + total; F17: 3 rows × 4 years
    assert rows["F05"] == rows["F07"] == 11 and rows["F13"] == 7 and rows["F17"] == 3
    assert len(BOOK.tables["F17"].columns) == 4 and len(BOOK.tables["F14"].columns) == 5


def test_the_outcome_plans_still_load_beside_the_finance_folders() -> None:
    """A plan folder's finance/ files are not read as ambitions."""
    from placehealth.plans.load import load_plans

    (plan,) = load_plans(ROOT / "plans" / "ccg-2014")
    assert all(f.parent.name == "ccg-2014" for f in plan.files.values())
    assert plan.document.id == "ccg-2014"


def test_text_rows_are_printed_on_their_lines() -> None:
    """I14 (seed 004, 460–473): priorities printed without costs are rows with no value,
    each label quoted as printed on its line; the BCF approach (443–456) is linked, not
    copied: the Sefton plan's schemes cite those lines."""
    import yaml

    rows = BOOK.tables["I14"].rows
    assert len(rows) == 11 and all(v is None for r in rows for v in r.values)
    for row in rows:
        assert row.src is not None
        seed_quote(row.label, "004", row.src.first, row.src.last, flat=True)
    plan = yaml.safe_load((ROOT / "plans/sefton-bcf-2014/bcf/plan.yaml").read_text())
    approach = [s["src"] for s in plan["schemes"] if 443 <= s["src"] <= 456]
    assert approach == list(range(443, 457))
