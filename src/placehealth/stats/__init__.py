"""Indicator statistics to the public-health (PHE/OHID Fingertips) standard.

Pure functions over long data frames: a ``by`` list of grouping columns, one
row per group (× age band where relevant) in, one row per group out, with the
Fingertips column names ``value``, ``lower95_0cl``, ``upper95_0cl``,
``lower99_8cl``, ``upper99_8cl`` (names follow the confidence levels asked
for), ``numerator``, ``denominator``, ``statistic`` and ``method``. Methods
follow the R package PHEindicatormethods; see docs/methods.md.
"""

from placehealth.stats.confidence import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    normalise_levels,
    wilson,
)
from placehealth.stats.dsr import dsr
from placehealth.stats.funnels import funnel_limits, funnel_points, funnel_significance
from placehealth.stats.isr import isr
from placehealth.stats.life_expectancy import life_expectancy, life_table
from placehealth.stats.means import mean
from placehealth.stats.proportions import proportion
from placehealth.stats.pyll import pyll
from placehealth.stats.quantiles import quantiles
from placehealth.stats.rates import rate
from placehealth.stats.sii import sii
from placehealth.stats.standards import ESP1976, ESP2013, STANDARDS

__all__ = [
    "ESP1976",
    "ESP2013",
    "STANDARDS",
    "byars_lower",
    "byars_upper",
    "dsr",
    "exact_lower",
    "exact_upper",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "isr",
    "life_expectancy",
    "life_table",
    "mean",
    "normalise_levels",
    "proportion",
    "pyll",
    "quantiles",
    "rate",
    "sii",
    "wilson",
]
