"""Indicator statistics to the public-health (PHE/OHID Fingertips) standard.

Pure functions over long data frames: a ``by`` list of grouping columns, one
row per group (× age band where relevant) in, one row per group out, with the
Fingertips column names ``value``, ``lower95_0cl``, ``upper95_0cl``,
``lower99_8cl``, ``upper99_8cl`` (names follow the confidence levels asked
for), ``numerator``, ``denominator``, ``statistic`` and ``method``. Methods
follow the R package PHEindicatormethods; see docs/methods.md.
"""

from placehealth.stats.dsr import dsr
from placehealth.stats.isr import isr
from placehealth.stats.means import mean
from placehealth.stats.proportions import proportion
from placehealth.stats.rates import rate
from placehealth.stats.standards import ESP1976, ESP2013

__all__ = ["ESP1976", "ESP2013", "dsr", "isr", "mean", "proportion", "rate"]
