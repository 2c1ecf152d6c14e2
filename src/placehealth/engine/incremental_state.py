"""The saved state of an incremental indicator run: fingerprints and unpublished values.

The values are kept as computed, before disclosure control, because suppression links
cells across periods (the calendar years in a pooled window, areas in their totals):
publishing runs on the whole table every time, so what is reused must be the counts
themselves. They include small counts, so the state is record-level data: it lives
beside the warehouse, owner-only, never beside a published output.

A state folder holds ``state.json`` (what the values were computed from, and the
checksum of the values file) and the values as Parquet. ``state.json`` is replaced
last and atomically, so a run stopped half-way leaves the previous state whole. A state
that cannot be read, was written by another format, engine, place or code, or whose
values do not match their checksum is not used: the run computes every period.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from placehealth.engine import incremental as inc
from placehealth.engine.incremental import TIE, Fingerprints
from placehealth.engine.indicators import PIPELINES, Context, compute_all
from placehealth.engine.indicators.context import VALUE_COLUMNS
from placehealth.errors import ValidationError
from placehealth.private import owner_only, private_umask

FORMAT = 1
STATE = "state.json"
FINGERPRINT_COLUMNS = ["table", "part", "bucket", "rows", "hash"]


def state_folder(warehouse: Path) -> Path:
    """Where a warehouse's incremental state is kept: a hidden folder beside it."""
    return warehouse.parent / f".{warehouse.stem}.indicators-state"


def check_apart(folder: Path, output: Path) -> None:
    """The unpublished state must not sit with published outputs: refuse an output
    written into the state's folder or into the folder that holds it."""
    out = output.resolve().parent
    if out in (folder.resolve(), folder.resolve().parent):
        raise ValidationError(
            "--incremental keeps unpublished values (with small counts) beside the warehouse "
            f"({folder}), so the published output cannot be written in the same folder",
            file=output,
            hint="write the output to a folder of its own, e.g. -o published/indicators.csv",
        )


@dataclass(frozen=True)
class Key:
    """What values were computed with, other than the data: all must match to reuse them."""

    engine: str
    place: str
    code: str


@dataclass(frozen=True)
class State:
    key: Key
    fingerprints: Fingerprints
    periods: list[str]  # the labels of the periods computed (some may have no rows)
    values: pd.DataFrame  # VALUE_COLUMNS and TIE, before disclosure control


def read_state(folder: Path, key: Key) -> tuple[State | None, str]:
    """The saved state, or None and the reason it cannot be used."""
    path = folder / STATE
    if not path.exists():
        return None, "no saved state: every period computed"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("format") != FORMAT:
            return None, f"the saved state ({path}) is of another format: every period computed"
        stored = Key(**saved["key"])
        values_file = folder / saved["values"]
        digest = hashlib.sha256(values_file.read_bytes()).hexdigest()
        if digest != saved["values_sha256"]:
            return None, f"the saved values ({values_file}) are damaged: every period computed"
        values = _restored(pd.read_parquet(values_file), saved["dtypes"])
        fingerprints = pd.DataFrame(saved["fingerprints"], columns=FINGERPRINT_COLUMNS)
        periods = [str(p) for p in saved["periods"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f"the saved state ({path}) cannot be read ({error}): every period computed"
    if list(values.columns) != [*VALUE_COLUMNS, TIE]:
        return None, f"the saved values ({values_file}) have other columns: every period computed"
    for field, why in (
        ("engine", f"was computed on {stored.engine}"),
        ("place", f"is of {stored.place}"),
        ("code", "was computed by another version of the package or its indicator definitions"),
    ):
        if getattr(stored, field) != getattr(key, field):
            return None, f"the saved state {why}: every period computed"
    fingerprints = fingerprints.astype({"bucket": "int64", "rows": "int64", "hash": str})
    return State(stored, fingerprints, periods, values), ""


def write_state(folder: Path, state: State) -> None:
    """Save the state: values first, under a name of their checksum, then ``state.json``."""
    with private_umask():
        folder.mkdir(parents=True, exist_ok=True)
        owner_only(folder)
        staging = folder / f"values.{os.getpid()}.parquet.tmp"
        _marked(state.values).to_parquet(staging, index=False)
        digest = hashlib.sha256(staging.read_bytes()).hexdigest()
        name = f"values-{digest[:16]}.parquet"
        staging.replace(folder / name)
        saved = {
            "format": FORMAT,
            "key": state.key.__dict__,
            "values": name,
            "values_sha256": digest,
            "periods": state.periods,
            # as computed: Parquet reads text back as strings where pandas computed objects
            "dtypes": {column: str(dtype) for column, dtype in state.values.dtypes.items()},
            "fingerprints": json.loads(state.fingerprints.to_json(orient="values")),
        }
        staging = folder / f"{STATE}.{os.getpid()}.tmp"
        staging.write_text(json.dumps(saved), encoding="utf-8")
        staging.replace(folder / STATE)
    for old in folder.glob("values-*.parquet"):
        if old.name != name:
            old.unlink(missing_ok=True)


NONE = "_none:"  # a column marking where a text column held None rather than NaN


def _marked(values: pd.DataFrame) -> pd.DataFrame:
    """Values with, for each text column holding None, where it does: Parquet keeps one
    kind of missing text, and a reused value must be the very one computed."""
    marks = {
        f"{NONE}{column}": values[column].to_numpy(dtype=object) == np.array(None)
        for column in values.columns
        if values[column].dtype == object and values[column].isna().any()
    }
    return values.assign(**marks)


def _restored(read: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """The values as computed: their dtypes, and None where None was."""
    marks = [c for c in read.columns if c.startswith(NONE)]
    values = read.drop(columns=marks).astype(dtypes)
    for mark in marks:
        column = mark.removeprefix(NONE)
        values[column] = values[column].where(~read[mark].to_numpy(), None)
    return values


@dataclass(frozen=True)
class Incremental:
    """An incremental run's values, the periods it computed and why the saved state was
    not used (empty when it was)."""

    values: pd.DataFrame
    computed: tuple[str, ...]
    note: str


def compute_incrementally(
    ctx: Context,
    folder: Path,
    *,
    engine: str,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> Incremental:
    """Every value of ``ctx``, as :func:`compute_all` gives it: the saved state's for the
    periods whose data are unchanged, computed for the rest; the state is saved again."""
    key = Key(engine, ctx.place_name, inc.code_fingerprint())
    fingerprints = inc.data_fingerprints(ctx.backend)  # before computing: a later change shows
    wanted = inc.period_ends(ctx.years, ctx.pooled)
    state, note = read_state(folder, key)
    if state is None:
        todo = inc.Plan(list(ctx.years), list(ctx.pooled))
        kept = pd.DataFrame(columns=[*VALUE_COLUMNS, TIE])
    else:
        since = inc.changed_since(state.fingerprints, fingerprints)
        todo = inc.plan(ctx.years, ctx.pooled, set(state.periods), since)
        kept = state.values
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(name, done, len(PIPELINES))

    if todo:
        part = Context(ctx.backend, years=todo.years, pooled=todo.pooled,
                       place=ctx.place_name, area_types=ctx.area_types)  # fmt: skip
        fresh = inc.numbered(compute_all(part, progress=step))
    else:
        fresh = kept.iloc[:0]
        for name in PIPELINES:
            step(name)
    if not set(fresh["period"]) <= set(todo.labels):  # periods labelled otherwise: no reuse
        why = "the engine gave values for periods it was not asked for: nothing reused or saved"
        return Incremental(compute_all(ctx), tuple(wanted), why)
    values = inc.assemble(kept, fresh, wanted, todo.labels)
    write_state(folder, State(key, fingerprints, list(wanted), inc.numbered(values)))
    return Incremental(values, tuple(todo.labels), note)
