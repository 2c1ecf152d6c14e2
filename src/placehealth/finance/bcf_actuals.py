"""Metrics' actuals for the BCF payment from a table file (CSV, Parquet or Excel), read with
the product's one table reader: a row per metric (and, optionally, per payment), refused
at the first bad row with its file and row, before anything is worked out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.finance.bcf_load import ResolvedBcf

COLUMNS = ("metric", "value")  # and, optionally, release
Actuals = dict[tuple[str, str], float]


def read_actuals(file: Path, plans: list[ResolvedBcf]) -> dict[Path, Actuals]:
    """Each plan's actuals by (metric, release) from ``file``: a row without a release
    counts in every payment the metric counts in. A metric no plan has, a release the
    metric does not count in, a value that is not a number or a metric given twice for one
    payment is one error naming the file and row."""
    from placehealth.tables import read_table, refuse_first, require_columns

    frame = read_table(file, text=True)
    require_columns(frame, list(COLUMNS), file=file)
    if "release" not in frame.columns:
        frame["release"] = None
    metric = frame["metric"].fillna("").astype(str).str.strip()
    release = frame["release"].fillna("").astype(str).str.strip()
    value = pd.to_numeric(frame["value"], errors="coerce")
    pairs = pd.DataFrame(
        [(m, r) for p in plans for (m, r) in p.targets], columns=["metric", "release"]
    ).drop_duplicates()
    known = set(pairs["metric"])
    hint = "metrics: " + ", ".join(sorted(known))
    for column, bad, message, why in (
        ("metric", ~metric.isin(known), "no BCF plan here has a metric '{value}'", hint),
        ("value", value.isna(), "'{value}' is not a number", "the actual in the metric's unit"),
    ):
        shown = frame[column].copy()
        shown.attrs = frame.attrs
        refuse_first(bad, shown, message, file=file, column=column, hint=why)
    rows = pd.DataFrame({"metric": metric, "release": release, "value": value})
    rows["row"] = range(len(rows))
    expanded = rows.merge(pairs, on="metric", suffixes=("_given", ""))
    given = expanded["release_given"]
    counted = expanded[(given == "") | (given == expanded["release"])]
    named = release.copy()
    named.attrs = frame.attrs
    for bad, message, hint in (
        (
            (release != "") & ~rows["row"].isin(counted["row"]),
            "the metric does not count in a release '{value}'",
            "leave release blank for every payment the metric counts in",
        ),
        (
            rows["row"].isin(counted.loc[counted.duplicated(["metric", "release"]), "row"]),
            "a second actual for a payment the metric already has an actual for",
            "give each metric once, or once per release",
        ),
    ):
        refuse_first(bad, named, message, file=file, column="release", hint=hint)
    out: dict[Path, Actuals] = {}
    for plan in plans:
        mine = counted.merge(
            pd.DataFrame(list(plan.targets), columns=["metric", "release"]),
            on=["metric", "release"],
        )
        out[plan.file] = dict(
            zip(zip(mine["metric"], mine["release"], strict=True), mine["value"], strict=True)
        )
    return out
