"""Actuals from the engine's values: each ambition the records measure, fed from them.

An ambition is fed from records when the engine computes its indicator for the place
the ambition is for (its area, else its plan's: the engine's ``place`` rows), directly
or through the catalogue's "same measure" note (``records.yaml``: ``bp-hip-fractures-65``
is ``hip-fractures-65``). Its rows are the engine's, renamed to the ambition's indicator
and area and put in the ambition's units by the catalogue's one unit rule
(:func:`placehealth.catalogue.model.unit_factor`); periods stay as the engine wrote them
(financial years, pooled windows) for ``plan status`` to set beside the trajectory by
its own rules (:mod:`placehealth.plans.compare`). A gap to a comparator is fed its
measure's rows (``plan status`` computes the gap). Every other ambition keeps the
stand-in actuals it was given; the sources frame says which fed each one, and why not
records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Aggregation, unit_factor
from placehealth.catalogue.records import records
from placehealth.fingertips import ALL_AGES

if TYPE_CHECKING:
    from placehealth.catalogue import Catalogue
    from placehealth.plans.load import Plan
    from placehealth.plans.model import Ambition

RECORDS = "records"
STAND_IN = "stand-in"
PLACE = "place"  # the engine's area_type for the whole place
SOURCE_COLUMNS = ["document", "ambition", "indicator", "area", "source", "engine_indicator",
                  "factor", "reason"]  # fmt: skip
_KEEP = ["period", "period_kind", "sex", "age_band", "value", "lower95_0cl", "upper95_0cl",
         "numerator", "denominator"]  # fmt: skip
_COUNTS = (Aggregation.FLOW_COUNT, Aggregation.STOCK_COUNT)


@dataclass(frozen=True)
class RecordActuals:
    """The actuals (records' rows, then the stand-in's for the rest; ``source`` says which)
    and one row per ambition saying what fed it."""

    frame: pd.DataFrame
    sources: pd.DataFrame


def engine_indicator(indicator_id: str) -> str | None:
    """The computed indicator that measures ``indicator_id``: itself, or the one its
    "same measure" note names; None when records do not define it."""
    given = records()
    if indicator_id in given.computed:
        return indicator_id
    reason = given.not_computed.get(indicator_id)
    if reason is None or reason.reason != "same_measure" or not reason.note:
        return None
    named = reason.note.split()[0].rstrip(",;")
    return named if named in given.computed else None


def record_actuals(
    values: pd.DataFrame,
    plans: list[Plan],
    catalogue: Catalogue,
    stand_in: pd.DataFrame | None = None,
    *,
    counts: bool = True,
) -> RecordActuals:
    """Actuals for ``plans`` from the engine's ``values`` (its indicators file as read by
    ``read_table``) where they measure an ambition, else ``stand_in``'s rows.

    ``counts=False`` keeps counts out: the records' counts are of their own population,
    which a plan's counts cannot be set beside without it (``plan status --population``).
    """
    from placehealth.plans.status import from_long_format

    if "area_type" in values.columns:  # the place's rows first: the rest are never fed
        values = values[values["area_type"].astype(str) == PLACE]
    engine = from_long_format(values, Path("indicators.csv"))
    engine = engine.assign(key=engine["area"].str.lower())
    by_indicator = {k: v for k, v in engine.groupby(["indicator", "key"], sort=False)}
    parts: list[pd.DataFrame] = []
    rows: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for plan in plans:
        for a in plan.ambitions:
            area = a.area or plan.document.area
            source, factor, reason = _feed(a, catalogue, counts)
            found = by_indicator.get((source, area.lower())) if source is not None else None
            if source is not None and found is None and not reason:
                reason = f"the engine wrote no place-level values for '{source}' in {area}"
            fed = not reason and found is not None and factor is not None
            measure = catalogue[a.indicator].gap_of or a.indicator
            key = (measure, area.lower())
            if fed and key not in seen and found is not None:
                parts.append(_renamed(found, measure, area, float(factor or 1.0)))
                seen.add(key)
            rows.append({
                "document": plan.document.id, "ambition": a.id, "indicator": a.indicator,
                "area": area, "source": RECORDS if fed else STAND_IN,
                "engine_indicator": source, "factor": factor if fed else np.nan,
                "reason": "" if fed else reason,
            })  # fmt: skip
    sources = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    if stand_in is not None and not stand_in.empty:
        keys = list(zip(stand_in["indicator"], stand_in["area"].str.lower(), strict=True))
        kept = stand_in[[k not in seen for k in keys]]
        parts.append(kept.assign(source=STAND_IN))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_KEEP)
    return RecordActuals(frame, sources)


def _feed(
    ambition: Ambition, catalogue: Catalogue, counts: bool
) -> tuple[str | None, float | None, str]:
    """The engine indicator for the ambition, the factor to its units, or why none."""
    indicator = catalogue[ambition.indicator]
    if indicator.gap_of is not None:  # status reads the measure's own rows, and the comparator's
        indicator = catalogue[indicator.gap_of]
    source = engine_indicator(indicator.id)
    if source is None:
        return None, None, "records do not define it (catalogue/records.yaml says why)"
    if not counts and indicator.kind in _COUNTS:
        return source, None, "a count of the records' own population, not the plan's"
    measured = catalogue[source]
    wanted = ambition.multiplier or indicator.multiplier
    factor = unit_factor(measured.unit, measured.multiplier, indicator.unit, wanted)
    if factor is None:
        return (
            source,
            None,
            (f"'{source}' is in {measured.unit_label}, the ambition in {indicator.unit_label}"),
        )
    return source, factor, ""


def _renamed(rows: pd.DataFrame, indicator: str, area: str, factor: float) -> pd.DataFrame:
    """The engine's rows as the ambition's: its indicator and area, values in its units."""
    out = rows.reindex(columns=_KEEP).copy()
    for column in ("value", "lower95_0cl", "upper95_0cl"):
        out[column] = pd.to_numeric(out[column], errors="coerce") * factor
    out["age_band"] = out["age_band"].fillna(ALL_AGES)
    return out.assign(indicator=indicator, area=area, annualised=False, source=RECORDS)


@dataclass(frozen=True)
class WrittenActuals:
    """The actuals file written and the file saying what fed each ambition."""

    actuals: Path
    sources: Path
    fed: RecordActuals


def write_record_actuals(
    plan: Path,
    values: Path,
    output: Path,
    *,
    stand_in: pd.DataFrame | None = None,
    counts: bool = True,
    synthetic: bool = False,
    bom: bool = True,
) -> WrittenActuals:
    """The plan's actuals from the engine's ``values`` file (else ``stand_in``) written to
    ``output``, and beside it ``sources-<output name>``: each ambition's source.
    ``synthetic`` marks every row so reports made from it carry the watermark."""
    from placehealth.reports.pack import SYNTHETIC
    from placehealth.services.plans import load_checked
    from placehealth.tables import read_table, write_table

    plans, catalogue = load_checked(plan)
    fed = record_actuals(read_table(values), plans, catalogue, stand_in, counts=counts)
    frame = fed.frame.assign(**{SYNTHETIC: True}) if synthetic else fed.frame
    path = write_table(frame, output, bom=bom)
    sources = write_table(fed.sources, output.with_name(f"sources-{output.name}"), bom=bom)
    return WrittenActuals(path, sources, fed)
