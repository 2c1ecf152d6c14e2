"""The place-level name comes from the warehouse's own LSOA lookup, else the default place."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.geography import warehouse_place
from placehealth.errors import ConfigurationError
from placehealth.places import ENV_PLACE, load_place


def _backend(lsoa: pd.DataFrame) -> DuckDBBackend:
    backend = DuckDBBackend(connection=duckdb.connect())
    backend.from_pandas(lsoa, "geo_lsoa")
    return backend


def test_the_warehouse_names_its_place() -> None:
    backend = _backend(pd.DataFrame({"lsoa": ["A", "B"], "place": ["Sefton", "Sefton"]}))
    assert warehouse_place(backend) == "Sefton"


def test_a_lookup_without_a_place_takes_the_default_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_PLACE, "sefton")
    unnamed = _backend(pd.DataFrame({"lsoa": ["A"], "place": [None]}))
    assert warehouse_place(unnamed) == "Sefton"
    monkeypatch.delenv(ENV_PLACE)
    without = _backend(pd.DataFrame({"lsoa": ["A"]}))
    assert warehouse_place(without) == load_place().name


def test_two_places_in_one_lookup_must_be_named() -> None:
    backend = _backend(pd.DataFrame({"lsoa": ["A", "B"], "place": ["Sefton", "Knowsley"]}))
    with pytest.raises(ConfigurationError, match=r"name 2 places \(Knowsley, Sefton\)"):
        warehouse_place(backend)
