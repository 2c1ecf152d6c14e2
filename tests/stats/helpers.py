"""Reading the PHEindicatormethods reference files and comparing numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.conftest import reference_file

REL = 1e-6


def ref(name: str) -> pd.DataFrame:
    """A reference CSV from tests/reference-data/pheindicatormethods (BOM-safe)."""
    return pd.read_csv(reference_file(f"pheindicatormethods/{name}"), encoding="utf-8-sig")


def assert_close(actual: object, expected: object, rel: float = REL) -> None:
    """Equal to ``rel`` relative (NaN matches NaN)."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_allclose(a, e, rtol=rel, atol=0, equal_nan=True)
