"""Is an area's value different from its benchmark? Fingertips' comparison by confidence interval.

An area is *higher* than the benchmark where its whole interval lies above the
benchmark's value and *lower* where it lies below; otherwise *similar*. Tested at
99.8% first, then at 95%, so a difference at 99.8% is the stronger finding. The
indicator's polarity turns higher and lower into better and worse; a neutral
indicator (or one with no polarity) stays higher or lower. No value, no interval
or no benchmark: not compared.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from placehealth.catalogue.model import Polarity

LIMITS = {"95": ("lower95_0cl", "upper95_0cl"), "998": ("lower99_8cl", "upper99_8cl")}


def significance(
    frame: pd.DataFrame,
    benchmark: float | npt.ArrayLike,
    polarity: str | npt.ArrayLike | None,
) -> npt.NDArray[np.str_]:
    """The category key (``better_998`` … ``not_compared``; see ``charts.style``) of each row.

    ``frame`` has the long indicator columns ``value`` and the 95% and 99.8% limits;
    ``benchmark`` is one value or one per row; ``polarity`` a catalogue polarity
    (``higher_is_better``, ``lower_is_better``, ``neutral``), one or one per row.
    """
    n = len(frame)
    bench = np.broadcast_to(np.asarray(benchmark, dtype=float), (n,))
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    out = np.full(n, "similar", dtype=object)
    known = ~np.isnan(value) & ~np.isnan(bench)
    for level in ("95", "998"):  # 99.8% last, so it wins where both hold
        low, high = (_numbers(frame[c]) for c in LIMITS[level])
        known &= ~np.isnan(low) & ~np.isnan(high)
        out[low > bench] = f"higher_{level}"
        out[high < bench] = f"lower_{level}"
    pol = np.broadcast_to(np.asarray(polarity if polarity is not None else "", dtype=object), (n,))
    higher = np.char.startswith(out.astype(str), "higher")
    lower = np.char.startswith(out.astype(str), "lower")
    strength = np.char.partition(out.astype(str), "_")[:, 2]
    good_high = pol == Polarity.HIGHER.value
    good_low = pol == Polarity.LOWER.value
    better = (higher & good_high) | (lower & good_low)
    worse = (higher & good_low) | (lower & good_high)
    out[better] = "better_" + strength[better]
    out[worse] = "worse_" + strength[worse]
    out[~known] = "not_compared"
    return out.astype(str)


def _numbers(column: pd.Series) -> npt.NDArray[np.float64]:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
