"""Machine output is strict JSON: a missing number is null, never NaN or Infinity."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pandas as pd

from placehealth.cli.options import print_json


def refuse_constants(name: str) -> None:
    raise ValueError(f"not JSON: {name}")


def test_missing_numbers_are_null_and_the_output_parses_strictly() -> None:
    """issue 13, "Why": `--json` printed bare NaN (not JSON)."""
    frame = pd.DataFrame({"value": [1.5, np.nan], "count": pd.array([3, None], dtype="Int64")})
    data = {
        "rows": frame.astype(object).to_dict(orient="records"),
        "limits": (float("inf"), np.float64("-inf"), np.float32(2.5)),
        "na": pd.NA,
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_json(data)
    parsed = json.loads(out.getvalue(), parse_constant=refuse_constants)
    assert parsed["rows"] == [{"value": 1.5, "count": 3}, {"value": None, "count": None}]
    assert parsed["limits"] == [None, None, 2.5]
    assert parsed["na"] is None
