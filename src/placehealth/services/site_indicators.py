"""One indicator for the site: its catalogue definition and its published values by area."""

from __future__ import annotations

from typing import Any

import pandas as pd

from placehealth.catalogue.model import Catalogue, Polarity
from placehealth.errors import ValidationError
from placehealth.services.overview import period_order
from placehealth.services.site_outputs import SiteOutputs

# the area types in the order a reader meets them: the whole place first
AREA_ORDER = ("place", "neighbourhood", "pcn", "practice", "imd_decile", "lsoa")
BETTER_WHEN = {
    Polarity.HIGHER: "higher",
    Polarity.LOWER: "lower",
    Polarity.NEUTRAL: "neither: higher is not better or worse",
}
VALUE_COLUMNS = [
    "area_code", "area_name", "period", "sex", "age_band", "numerator", "denominator",
    "value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl", "method", "disclosure",
]  # fmt: skip


def known_indicator(outputs: SiteOutputs, catalogue: Catalogue, indicator_id: str) -> None:
    """Refuse an id that is neither in the catalogue nor in the outputs."""
    if indicator_id not in catalogue and indicator_id not in set(
        outputs.indicators["indicator_id"]
    ):
        raise ValidationError(f"no indicator '{indicator_id}'", hint="see the place overview")


def definition(catalogue: Catalogue, indicator_id: str) -> dict[str, Any]:
    """What the catalogue says of an indicator, as labelled text for a summary list."""
    if indicator_id not in catalogue:
        return {"Name": indicator_id}
    ind = catalogue[indicator_id]
    codes = "; ".join(f"{c.framework} {c.code}" for c in ind.codes)
    sources = "; ".join(f"seed {s.seed}, lines {s.lines}" for s in ind.sources)
    items = {
        "Name": ind.name,
        "Definition": ind.definition,
        "Unit": ind.unit_label,
        "Better when": BETTER_WHEN[ind.polarity],
        "Numerator": ind.numerator,
        "Denominator": ind.denominator,
        "Frequency": ind.frequency,
        "Fingertips id": ind.fingertips,
        "Framework codes": codes,
        "Sources": sources,
    }
    return {k: v for k, v in items.items() if v not in (None, "")}


def area_types(outputs: SiteOutputs, indicator_id: str) -> list[str]:
    """The kinds of area the outputs hold values for, the place first."""
    values = outputs.indicators
    present = set(values.loc[values["indicator_id"] == indicator_id, "area_type"].astype(str))
    return [a for a in AREA_ORDER if a in present] + sorted(present - set(AREA_ORDER))


def indicator_values(outputs: SiteOutputs, indicator_id: str, area_type: str) -> pd.DataFrame:
    """The published values of one indicator for one kind of area, by area, then period."""
    values = outputs.indicators
    rows = values[(values["indicator_id"] == indicator_id) & (values["area_type"] == area_type)]
    order = period_order(rows["period"])
    rows = rows.assign(_order=rows["period"].map(lambda p: order[str(p)]))
    rows = rows.sort_values(["area_code", "sex", "_order"], key=_natural)
    return rows[[c for c in VALUE_COLUMNS if c in rows.columns]].reset_index(drop=True)


def _natural(column: pd.Series) -> pd.Series:
    """Sort area codes as text but numbers (IMD deciles) as numbers."""
    if column.name == "area_code":
        numeric = pd.to_numeric(column, errors="coerce")
        if numeric.notna().all():
            return numeric
    return column
