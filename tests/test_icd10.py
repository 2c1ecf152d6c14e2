"""The one ICD-10 rule (placehealth.icd10): each case answered alike in Python, numpy,
an engine column (Narwhals on DuckDB) and DuckDB SQL."""

from __future__ import annotations

import duckdb
import narwhals as nw
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth import icd10

# raw code as a source writes it → its clean form
CLEANED = [
    ("J44.1", "J441"),
    ("j441", "J441"),
    (" J44.1 ", "J441"),
    ("J 44.1", "J441"),
    ("M01.4†", "M014"),  # dagger of a dagger–asterisk pair
    ("G01*", "G01"),  # asterisk
    ("E11.9-", "E119"),  # filler
    ("W19X", "W19X"),  # X is a character of the code, kept
    ("I10", "I10"),
    ("", ""),
]

# code, prefixes, exclusions → matches?
MATCHED = [
    ("J44.1", ["J44"], [], True),
    ("j44.1", ["J44.1"], [], True),  # a prefix written with its dot
    ("J441", ["j44.1"], [], True),  # a prefix written in lower case
    ("J4", ["J44"], [], False),  # shorter than the prefix
    ("J45.0", ["J44"], [], False),
    ("C34.1", ["C"], [], True),  # a chapter letter
    ("C44.3", ["C"], ["C44"], False),  # excluded within the chapter
    ("C43.9", ["C"], ["C44"], True),
    ("M01.4†", ["M01"], [], True),
    ("I21.9", ["I20", "I21.0"], [], False),  # neither prefix
    ("I21.0", ["I20", "I21.0"], [], True),
]


@pytest.mark.parametrize(("raw", "expected"), CLEANED)
def test_cleaning(raw: str, expected: str) -> None:
    assert icd10.clean(raw) == expected


def test_cleaning_cuts_to_a_length() -> None:
    assert icd10.clean("j44.1", 3) == "J44"
    assert icd10.clean("M01.4†", 4) == "M014"
    assert icd10.clean("I1", 3) == "I1"


def test_cleaning_alike_in_the_engine_and_in_sql() -> None:
    raws = [raw for raw, _ in CLEANED]
    frame = pd.DataFrame({"code": raws})
    con = duckdb.connect()
    con.register("frame", frame)
    lazy = nw.from_native(con.table("frame"))
    engine = lazy.select(
        icd10.clean_expr(nw.col("code")).alias("clean"),
        icd10.clean_expr(nw.col("code"), 3).alias("category"),
    ).to_native()
    rows = engine.fetchall()
    assert [r[0] for r in rows] == [expected for _, expected in CLEANED]
    assert [r[1] for r in rows] == [expected[:3] for _, expected in CLEANED]
    sql = con.sql(f"SELECT {icd10.clean_sql('code')}, {icd10.clean_sql('code', 3)} FROM frame")
    assert sql.fetchall() == rows


@pytest.mark.parametrize(("code", "prefixes", "exclude", "expected"), MATCHED)
def test_matching(code: str, prefixes: list[str], exclude: list[str], expected: bool) -> None:
    assert icd10.matches(code, prefixes, exclude) is expected
    assert icd10.match_array([code, None], prefixes, exclude).tolist() == [expected, False]
    con = duckdb.connect()
    con.register("frame", pd.DataFrame({"code": [code, None]}))
    lazy = nw.from_native(con.table("frame"))
    hit = lazy.select(icd10.match_expr(nw.col("code"), prefixes, exclude).alias("hit"))
    assert [r[0] for r in hit.to_native().fetchall()] == [expected, False]


def test_matching_against_cut_columns_shared_by_many_lists() -> None:
    con = duckdb.connect()
    con.register("frame", pd.DataFrame({"code": ["J44.1", "I21.0", "I21.9"]}))
    lazy = nw.from_native(con.table("frame")).with_columns(
        c3=icd10.clean_expr(nw.col("code"), 3), c4=icd10.clean_expr(nw.col("code"), 4)
    )
    hit = lazy.select(
        icd10.match_expr(nw.col("code"), ["I20", "I21.0"], cut=lambda n: nw.col(f"c{n}"))
    )
    assert [r[0] for r in hit.to_native().fetchall()] == [False, True, False]


def test_the_most_specific_prefix_wins() -> None:
    assert icd10.longest_match("F01.1", ["F0", "F01", "G30"]) == "F01"
    assert icd10.longest_match("G30.9", ["F0", "F01"]) is None
    assert icd10.by_length(["J44.1", "j44", "J45", "C"]) == {1: ["C"], 3: ["J44", "J45"],
                                                            4: ["J441"]}  # fmt: skip


CODE_TEXT = st.text(alphabet="CIJMcij0149. †*-X", max_size=7)


@settings(max_examples=40, deadline=None)
@given(
    codes=st.lists(CODE_TEXT, min_size=1, max_size=20),
    prefixes=st.lists(CODE_TEXT.filter(lambda p: icd10.clean(p) != ""), min_size=1, max_size=4),
    exclude=st.lists(CODE_TEXT.filter(lambda p: icd10.clean(p) != ""), max_size=2),
)
def test_python_numpy_and_the_engine_agree_on_any_codes(
    codes: list[str], prefixes: list[str], exclude: list[str]
) -> None:
    one_by_one = [icd10.matches(c, prefixes, exclude) for c in codes]
    assert icd10.match_array(codes, prefixes, exclude).tolist() == one_by_one
    con = duckdb.connect()
    con.register("frame", pd.DataFrame({"i": range(len(codes)), "code": codes}))
    lazy = nw.from_native(con.table("frame"))
    hit = lazy.select("i", icd10.match_expr(nw.col("code"), prefixes, exclude).alias("hit"))
    engine = [h for _, h in sorted(hit.to_native().fetchall())]
    assert engine == one_by_one
    clean_sql = con.sql(f"SELECT {icd10.clean_sql('code')} FROM frame ORDER BY i").fetchall()
    assert [c for (c,) in clean_sql] == [icd10.clean(c) for c in codes]
