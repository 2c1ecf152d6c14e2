"""Indicator pipelines: warehouse → numerators and denominators → placehealth.stats → values.

Each pipeline takes a :class:`Context` and returns frames in the long format of
DESIGN §4; :func:`compute_all` runs them all, with progress, on either engine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd

from placehealth.catalogue.records import DEFINED
from placehealth.engine.indicators.cohort_admissions import cohort_admissions
from placehealth.engine.indicators.context import VALUE_COLUMNS, Context
from placehealth.engine.indicators.defined import defined_indicators
from placehealth.engine.indicators.diabetes import diabetes_indicators
from placehealth.engine.indicators.life_expectancy import life_expectancy
from placehealth.engine.indicators.mortality import infant_mortality, years_of_life_lost
from placehealth.engine.indicators.prevalence import dementia_diagnosis, ltc_prevalence
from placehealth.engine.indicators.readmissions import emergency_readmissions
from placehealth.engine.indicators.social_care import care_home_admissions, reablement
from placehealth.engine.indicators.winter import excess_winter_deaths

Pipeline = Callable[[Context], list[pd.DataFrame]]


def _by_definition(name: str) -> Pipeline:
    """The pipeline of the catalogue definitions that name it (catalogue/records.yaml)."""
    return partial(defined_indicators, pipeline=name)


PIPELINES: dict[str, Pipeline] = {
    "emergency admissions": _by_definition("emergency admissions"),
    "A&E attendances": _by_definition("A&E attendances"),
    "falls and hip fractures 65+": _by_definition("falls and hip fractures 65+"),
    "alcohol-specific admissions": _by_definition("alcohol-specific admissions"),
    "readmissions": emergency_readmissions,
    "premature mortality": _by_definition("premature mortality"),
    "years of life lost": years_of_life_lost,
    "infant mortality": infant_mortality,
    "life expectancy": life_expectancy,
    "care-home admissions": care_home_admissions,
    "reablement": reablement,
    "dementia diagnosis": dementia_diagnosis,
    "long-term conditions": ltc_prevalence,
    "diabetes register": diabetes_indicators,
    "emergency admissions of groups": cohort_admissions,
    "excess winter deaths": excess_winter_deaths,
    DEFINED: defined_indicators,  # every other definition
}


def compute_all(
    ctx: Context,
    *,
    only: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Every pipeline (or ``only`` those named), as one long table of indicator values."""
    frames = []
    for name, pipeline in PIPELINES.items():
        if only is not None and name not in only:
            continue
        frames.extend(pipeline(ctx))
        if progress is not None:
            progress(name)
    given = [f for f in frames if len(f)] or [pd.DataFrame(columns=VALUE_COLUMNS)]
    values = pd.concat(given, ignore_index=True)
    return (
        values[VALUE_COLUMNS]
        .sort_values(["indicator_id", "area_type", "area_code", "period", "sex"], kind="stable")
        .reset_index(drop=True)
    )


__all__ = ["PIPELINES", "Context", "compute_all"]
