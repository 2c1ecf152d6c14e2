"""ICD-10 codes: the one way they are cleaned and matched against a code list's prefixes.

Sources write one code many ways: ``J44.1``, ``j441``, ``J44.1 `` with a space,
``M01.4†`` (the dagger of a dagger–asterisk pair), ``G01*``, ``E11.9-`` with a
filler. Cleaning gives one spelling: upper case, letters and digits only (dots,
spaces, dagger, asterisk and fillers dropped), optionally cut to the first ``n``
characters (3: the category). A code matches a list when its clean form starts
with one of the list's clean prefixes and with none of its exclusions.

The rule is written once for each place it runs: one code in Python, a whole
array in numpy, a column of a lazy frame (Narwhals: DuckDB and Spark) and DuckDB
SQL. ``tests/test_icd10.py`` holds all four to the same answers. Every module
that reads ICD-10 codes goes through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import narwhals as nw
import numpy as np
import numpy.typing as npt
import pandas as pd

DROP = "[^A-Z0-9]"
"""What cleaning removes after upper-casing: everything but letters and digits."""
_DROP = re.compile(DROP)


def clean(code: object, length: int | None = None) -> str:
    """The clean form of one code: 'j44.1 ' → 'J441'; with ``length=3``, 'J44'."""
    text = _DROP.sub("", str(code).upper())
    return text if length is None else text[:length]


def clean_expr(code: nw.Expr, length: int | None = None) -> nw.Expr:
    """:func:`clean` of a column, evaluated by the engine."""
    text = code.str.to_uppercase().str.replace_all(DROP, "", literal=False)
    return text if length is None else text.str.slice(0, length)


def clean_sql(column: str, length: int | None = None) -> str:
    """:func:`clean` in DuckDB SQL."""
    text = f"regexp_replace(upper({column}), '{DROP}', '', 'g')"
    return text if length is None else f"substr({text}, 1, {length})"


def by_length(prefixes: Iterable[str]) -> dict[int, list[str]]:
    """Clean prefixes grouped by length, so a match is one ``is_in`` per length."""
    groups: dict[int, set[str]] = {}
    for prefix in prefixes:
        text = clean(prefix)
        groups.setdefault(len(text), set()).add(text)
    return {n: sorted(groups[n]) for n in sorted(groups)}


def matches(code: object, prefixes: Iterable[str], exclude: Iterable[str] = ()) -> bool:
    """One code starts with a prefix and with no exclusion."""
    text = clean(code)
    return any(text.startswith(clean(p)) for p in prefixes) and not any(
        text.startswith(clean(p)) for p in exclude
    )


def longest_match(code: object, prefixes: Iterable[str]) -> str | None:
    """The longest (clean) prefix that ``code`` starts with, or None: the most specific."""
    text = clean(code)
    hits = [p for p in (clean(p) for p in prefixes) if text.startswith(p)]
    return max(hits, key=len) if hits else None


def match_array(
    codes: npt.ArrayLike, prefixes: Iterable[str], exclude: Iterable[str] = ()
) -> npt.NDArray[np.bool_]:
    """:func:`matches` of every code of an array, cleaned once per distinct code."""
    include, leave_out = list(prefixes), list(exclude)
    values = pd.Series(np.ravel(np.asarray(codes, dtype=object)))
    distinct = values.dropna().unique()
    hit = {c: matches(c, include, leave_out) for c in distinct}
    return values.map(hit).fillna(False).to_numpy(dtype=bool)


def match_expr(
    code: nw.Expr,
    prefixes: Iterable[str],
    exclude: Iterable[str] = (),
    *,
    cut: Callable[[int], nw.Expr] | None = None,
) -> nw.Expr:
    """True where the column's code matches (False where it is missing), in the engine.

    ``cut(n)`` gives the clean code's first ``n`` characters; by default they are
    cut from ``code`` here. A caller matching one column against many lists can
    cut each length once and pass those columns instead.
    """
    first: Callable[[int], nw.Expr]
    if cut is None:
        cleaned = clean_expr(code)
        first = lambda n: cleaned.str.slice(0, n)  # noqa: E731
    else:
        first = cut
    hit = _any_prefix(first, prefixes)
    leave_out = list(exclude)
    if leave_out:
        hit = hit & ~_any_prefix(first, leave_out)
    return hit.fill_null(False)


def _any_prefix(first: Callable[[int], nw.Expr], prefixes: Iterable[str]) -> nw.Expr:
    parts = [first(n).is_in(group) for n, group in by_length(prefixes).items()]
    if not parts:
        return nw.lit(False)
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result
