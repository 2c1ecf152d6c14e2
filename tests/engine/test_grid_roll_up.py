"""Summing counts up the area hierarchy (engine/indicators/grid.py) where codes are missing.

Found by the incremental-run property test: a warehouse whose only people have no LSOA
failed inside roll_up instead of counting them at the place alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.engine.indicators.grid import Areas, roll_up

LSOA = pd.DataFrame({"lsoa": ["E01"], "neighbourhood": ["N1"]})
PRACTICE = pd.DataFrame({"practice_code": ["P1"], "pcn": ["C1"]})
TYPES = ["place", "neighbourhood", "lsoa", "pcn", "practice"]


def test_counts_without_any_code_count_at_the_place_only() -> None:
    # level 0: by LSOA, 1: by practice, 2: the place (whose rows need no code); every
    # code missing
    frame = pd.DataFrame({"level": [0, 1, 2], "code": [None, None, None], "year": [2017] * 3,
                          "segment": [0, 0, 0], "n": [3.0, 3.0, 3.0]})  # fmt: skip
    areas = Areas.of(LSOA, PRACTICE, np.array([None], dtype=object),
                     np.array([None], dtype=object), place="X", area_types=TYPES)  # fmt: skip
    summed = roll_up(frame, ["n"], areas, [2017], "year", 1)
    assert list(areas.types) == ["place"]  # no LSOA or practice in the counts: no other area
    assert summed.shape == (1, 1, 1, 1) and summed[0, 0, 0, 0] == 3.0


def test_a_missing_code_counts_nowhere_beside_known_ones() -> None:
    frame = pd.DataFrame({"level": [0, 0, 2], "code": ["E01", None, "X"], "year": [2017] * 3,
                          "segment": [0, 0, 0], "n": [2.0, 5.0, 7.0]})  # fmt: skip
    areas = Areas.of(LSOA, PRACTICE, np.array(["E01", None], dtype=object),
                     np.array([], dtype=object), place="X", area_types=TYPES)  # fmt: skip
    summed = roll_up(frame, ["n"], areas, [2017], "year", 1)[:, 0, 0, 0]
    got = dict(zip(zip(areas.types, areas.codes, strict=True), summed, strict=True))
    assert got == {("place", "X"): 7.0, ("neighbourhood", "N1"): 2.0, ("lsoa", "E01"): 2.0}
