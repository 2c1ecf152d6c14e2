"""Is an area's value different from its benchmark? Fingertips' comparison by confidence interval.

The one definition is :func:`placehealth.stats.benchmark.compare_by_interval` (also used by
``placehealth indicators benchmark``); the charts colour its categories. Tested at 99.8% and
95%, the 99.8% finding the stronger; polarity turns higher and lower into better and worse.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from placehealth.stats.benchmark import LIMITS, compare_by_interval

__all__ = ["LIMITS", "significance"]


def significance(
    frame: pd.DataFrame,
    benchmark: float | npt.ArrayLike,
    polarity: str | npt.ArrayLike | None,
) -> npt.NDArray[np.str_]:
    """The category key (``better_998`` … ``not_compared``; see ``charts.style``) of each row."""
    return compare_by_interval(frame, benchmark, polarity)
