"""SPC: XmR charts for 10,000 series × 60 points, against calling it once per series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.harness import measure, record
from placehealth.spc import xmr

SERIES, POINTS = 10_000, 60


def data(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2019-04-01", periods=POINTS, freq="MS")
    level = np.repeat(rng.normal(100, 10, SERIES), POINTS)
    shift = np.tile(np.r_[np.zeros(POINTS - 15), np.full(15, 1.0)], SERIES) * rng.choice(
        [0, 8], SERIES
    ).repeat(POINTS)
    return pd.DataFrame(
        {
            "series": np.repeat(np.arange(SERIES), POINTS),
            "date": np.tile(dates, SERIES),
            "value": level + shift + rng.normal(0, 3, SERIES * POINTS),
        }
    )


def main() -> None:
    frame = data()
    ours_s, ours = measure(
        lambda: xmr(frame, "value", "date", "series", improvement="increase", target=100.0),
        repeat=3,
    )
    sample = frame[frame["series"] < 200]
    loop_s, looped = measure(
        lambda: [
            xmr(g, "value", "date", improvement="increase", target=100.0)
            for _, g in sample.groupby("series")
        ],
        repeat=1,
    )
    loop_full = loop_s * SERIES / 200  # the loop over all series, scaled from 200
    same = all(
        np.allclose(part["upl"], ours[ours["series"] == k]["upl"]) for k, part in enumerate(looped)
    )
    record(
        "spc",
        "SPC: XmR charts",
        [
            {
                "benchmark": f"xmr, {SERIES:,} series × {POINTS} points (one call)",
                "placehealth s": ours_s,
                "per-series loop s": loop_full,
                "speed-up": loop_full / ours_s,
                "target s": "≤ 2",
            },
        ],
        notes=(
            "The per-series loop calls the same function once per series; it is timed on 200 "
            f"series and scaled to {SERIES:,}. Same limits as the loop: {same}."
        ),
    )


if __name__ == "__main__":
    main()
