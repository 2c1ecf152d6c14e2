"""The disclosure rules every published output follows, defined once.

- Primary suppression: a count of people or events from ``LOW`` to ``HIGH`` (1-7)
  is hidden; zeros stay. NHS England's "Disclosure control methodology for Hospital
  Episode Statistics (HES) and Emergency Care Data Set (ECDS)" (NHS Digital,
  September 2018) hides 1-7.
- Secondary suppression: more cells are hidden until no hidden cell can be worked
  out from the published cells and the totals they add up to
  (:mod:`placehealth.publish.linked`).
- Rounding: counts in outputs whose parameters a user chooses freely (an index date,
  a risk threshold) are rounded to the nearest ``ROUND_TO`` (5) after suppression, as
  the same HES/ECDS methodology rounds every other count, so two runs a day or a
  hundredth apart cannot be differenced back to a small group. Values derived from
  those counts (shares, rates) are computed from the rounded counts.
- A value derived from a hidden count (rate, share, interval, standardised rate) is
  blanked: with the published denominator it would give the count back.
"""

from __future__ import annotations

import numpy as np

LOW, HIGH = 1, 7
ROUND_TO = 5
DISCLOSURE = "disclosure"  # the column naming the rule applied to each row

PRIMARY = "{what} hidden: 1-7"
SECONDARY = "{what} hidden: protects another hidden count"
DERIVED = "{what} blank: from a hidden count"
ROUNDED = "counts rounded to the nearest 5"
PUBLISHED = "published"


def round_to(values: np.ndarray, base: int = ROUND_TO) -> np.ndarray:
    """Whole counts to the nearest multiple of ``base`` (no ties: counts are whole and base odd)."""
    return (np.floor_divide(values + base // 2, base) * base).astype(values.dtype)


def primary(values: np.ndarray, low: int = LOW, high: int = HIGH) -> np.ndarray:
    """True where a count is small enough to identify someone (``low`` ≤ count ≤ ``high``)."""
    return (values >= low) & (values <= high)
