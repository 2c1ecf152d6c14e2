"""Making Data Count: XmR charts, special-cause rules and icons, vectorised across series.

Pure: data frames in, data frames out. The numbers and classifications follow
NHS England's Making Data Count guidance as implemented by the NHS-R community's
NHSRplotthedots (see docs/spc.md and tests/reference-data/spc).
"""

from placehealth.spc.xmr import MIN_POINTS, summary, xmr

summarise = summary

__all__ = ["MIN_POINTS", "summarise", "summary", "xmr"]
