"""Grouping, column checks and output frames shared by the stats functions.

Every function takes a long data frame and a ``by`` list of grouping columns.
Groups become integer codes once, so the arithmetic can run on whole columns
(``np.bincount``) rather than a Python loop over areas. Bad input raises one
:class:`~placehealth.errors.ValidationError` naming the group, row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError

FloatArray = np.ndarray


def as_by(by: str | Sequence[str] | None) -> list[str]:
    """``None`` -> [], ``"area"`` -> ["area"], lists unchanged."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def require(data: pd.DataFrame, columns: Sequence[str | None]) -> None:
    """Every named column must exist; say which one is missing and what there is."""
    if not isinstance(data, pd.DataFrame):
        raise ValidationError("expected a data frame of input rows")
    for column in columns:
        if column is not None and column not in data.columns:
            raise ValidationError(
                f"missing column '{column}'",
                column=column,
                hint=f"columns present: {', '.join(map(str, data.columns))}",
            )


@dataclass(frozen=True)
class Groups:
    """Integer group code per row, and one row of ``by`` values per group."""

    by: list[str]
    codes: np.ndarray
    keys: pd.DataFrame

    @property
    def count(self) -> int:
        return len(self.keys)

    def label(self, code: int) -> str:
        if not self.by:
            return "all rows"
        row = self.keys.iloc[code]
        return ", ".join(f"{c}={row[c]!r}" for c in self.by)

    def label_of_row(self, position: int) -> str:
        return self.label(int(self.codes[position]))

    def sum(self, values: FloatArray) -> FloatArray:
        return np.bincount(self.codes, weights=values, minlength=self.count)

    def size(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=self.count)


def groups(data: pd.DataFrame, by: str | Sequence[str] | None) -> Groups:
    """Factorise ``by`` into codes (sorted by key, missing keys kept as a group)."""
    cols = as_by(by)
    require(data, cols)
    if not cols:
        return Groups(cols, np.zeros(len(data), dtype=np.intp), pd.DataFrame(index=[0]))
    grouped = data.groupby(cols, sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    keys = grouped.size().reset_index()[cols]
    return Groups(cols, codes, keys.reset_index(drop=True))


def _fail(
    message: str,
    *,
    column: str | None,
    grp: Groups | None,
    position: int | None,
    hint: str | None = None,
) -> ValidationError:
    prefix = ""
    if grp is not None and position is not None and grp.by:
        prefix = f"group {grp.label_of_row(position)}: "
    return ValidationError(
        prefix + message,
        column=column,
        row=None if position is None else position + 1,
        hint=hint,
    )


def numeric(
    data: pd.DataFrame,
    column: str,
    *,
    grp: Groups | None = None,
    what: str = "value",
    missing: str = "error",
    minimum: float | None = None,
    positive: bool = False,
) -> FloatArray:
    """A column as floats, or one clear error for text, gaps, negatives or zeros.

    ``missing``: "error" (refuse gaps), "zero" (treat a gap as 0, as the PHE
    methods do for counts) or "keep" (leave NaN).
    """
    require(data, [column])
    raw = data[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad_text = values.isna() & raw.notna()
    if bad_text.any():
        pos = int(np.flatnonzero(bad_text.to_numpy())[0])
        raise _fail(
            f"{what} '{raw.iloc[pos]}' is not a number",
            column=column,
            grp=grp,
            position=pos,
            hint="remove text, thousands separators or symbols from the cell",
        )
    array = values.to_numpy(dtype=float)
    gaps = np.isnan(array)
    if gaps.any():
        if missing == "error":
            pos = int(np.flatnonzero(gaps)[0])
            raise _fail(
                f"{what} is missing",
                column=column,
                grp=grp,
                position=pos,
                hint="fill the cell, or drop the row",
            )
        if missing == "zero":
            array = np.where(gaps, 0.0, array)
    if np.isinf(array).any():
        pos = int(np.flatnonzero(np.isinf(array))[0])
        raise _fail(f"{what} is infinite", column=column, grp=grp, position=pos)
    if positive:
        bad = array <= 0
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise _fail(
                f"{what} must be greater than zero (found {array[pos]:g})",
                column=column,
                grp=grp,
                position=pos,
            )
    elif minimum is not None:
        bad = array < minimum
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise _fail(
                f"{what} must be at least {minimum:g} (found {array[pos]:g})",
                column=column,
                grp=grp,
                position=pos,
            )
    return array


def not_above(
    small: FloatArray,
    large: FloatArray,
    *,
    small_name: str,
    large_name: str,
    column: str,
    grp: Groups | None,
) -> None:
    """Refuse rows where e.g. the numerator exceeds the denominator."""
    bad = small > large
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise _fail(
            f"{small_name} ({small[pos]:g}) is greater than {large_name} ({large[pos]:g})",
            column=column,
            grp=grp,
            position=pos,
            hint=f"a {small_name} cannot exceed its {large_name}; check the two columns",
        )


def fail_at(
    message: str,
    *,
    column: str | None,
    grp: Groups | None,
    position: int | None,
    hint: str | None = None,
) -> ValidationError:
    """The error for one row (public for the method modules)."""
    return _fail(message, column=column, grp=grp, position=position, hint=hint)


def output(
    keys: pd.DataFrame,
    by: list[str],
    columns: dict[str, Any],
) -> pd.DataFrame:
    """``by`` columns first, then the results, one row per group."""
    frame = keys[by].reset_index(drop=True).copy() if by else pd.DataFrame(index=keys.index)
    frame = frame.reset_index(drop=True)
    for name, values in columns.items():
        frame[name] = values
    return frame
