"""The synthetic generator follows the place file: Sefton's geography, practices and ages.

Liverpool's geography keeps the shape of seed 002 (41): 86 practices, 12 neighbourhoods,
11 PCNs; Sefton's has seed 004's 54 practices, 20 for Southport and Formby's
neighbourhoods and 34 for South Sefton's (202), and its older age structure (206).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from placehealth.data.synth.geography import neighbourhood_codes, synthetic_geography
from placehealth.data.synth.model import simulate
from placehealth.data.synth.people import _ages
from placehealth.data.synth.report import calibration
from placehealth.data.synth.write import write
from placehealth.deployment import SYNTHETIC_NEIGHBOURHOOD, SYNTHETIC_PRACTICE
from placehealth.errors import ValidationError
from placehealth.places import load_place
from tests.test_cli import run_cli


def test_sefton_geography_has_the_seed_practices_by_ccg() -> None:
    sefton = load_place("sefton")
    geo = synthetic_geography(sefton)
    assert len(geo.lsoa) == sefton.geography.lsoas == 189
    assert len(geo.practice) == 54
    assert geo.practice["pcn"].nunique() == 8
    owner = {
        code: n.commissioner
        for code, n in zip(
            neighbourhood_codes(sefton), sefton.geography.neighbourhoods, strict=True
        )
    }
    by_ccg = geo.practice["neighbourhood"].map(owner).value_counts().to_dict()
    assert by_ccg == {"01T": 34, "01V": 20}
    # every neighbourhood has practices
    assert set(geo.practice["neighbourhood"]) == set(owner)
    assert (geo.lsoa["place"] == "Sefton").all() and (geo.practice["place"] == "Sefton").all()
    assert geo.lsoa["lsoa_name"].iloc[0] == "Sefton 001 (synthetic)"
    names = set(geo.lsoa["neighbourhood_name"])
    assert {"Bootle (synthetic)", "Formby (synthetic)", "Central Southport (synthetic)"} <= names


def test_sefton_codes_are_synthetic_and_its_own() -> None:
    sefton, liverpool = (
        synthetic_geography(load_place("sefton")),
        synthetic_geography(load_place("liverpool")),
    )
    for geo in (sefton, liverpool):
        assert geo.lsoa["neighbourhood"].str.startswith(SYNTHETIC_NEIGHBOURHOOD).all()
        assert geo.practice["practice_code"].str.startswith(SYNTHETIC_PRACTICE).all()
        assert geo.lsoa["lsoa"].str.startswith("E01SYN").all()
    for column in ("lsoa", "neighbourhood"):
        assert not set(sefton.lsoa[column]) & set(liverpool.lsoa[column])
    assert not set(sefton.practice["practice_code"]) & set(liverpool.practice["practice_code"])
    assert sefton.lsoa["lsoa"].iloc[0] == "E01SYNSF001"
    assert liverpool.lsoa["lsoa"].iloc[0] == "E01SYN001"


def test_deprivation_follows_the_place_file() -> None:
    sefton = load_place("sefton")
    geo = synthetic_geography(sefton)
    counts = np.bincount(geo.lsoa["imd_decile"], minlength=11)[1:]
    assert counts.tolist() == sefton.geography.imd_deciles
    # South Sefton holds the most deprived areas (seed 004, 364): Bootle below Formby
    mean = geo.lsoa.groupby("neighbourhood_name")["imd_decile"].mean()
    assert mean["Bootle (synthetic)"] < 3 < 8 < mean["Formby (synthetic)"]


def test_liverpool_geography_keeps_its_shape() -> None:
    liverpool = load_place("liverpool")
    geo = synthetic_geography(liverpool)
    assert (len(geo.lsoa), len(geo.practice)) == (298, 86)
    assert geo.lsoa["neighbourhood"].nunique() == 12 and geo.practice["pcn"].nunique() == 11
    assert (geo.lsoa["place"] == "Liverpool").all()


@pytest.mark.parametrize(("place", "over_65", "over_85"), [("sefton", 0.2086, 0.0278)])
def test_the_synthetic_ages_are_the_place_files(place: str, over_65: float, over_85: float) -> None:
    """Seed 004 (206): 57,366 of about 275,000 aged 65+ (20.86%), 7,633 aged 85+ (2.78%)."""
    bands = np.asarray(load_place(place).population.age_bands, dtype=np.float64)
    age, _ = _ages(np.random.default_rng(4), 400_000, bands)
    # 400,000 draws: a standard error under 0.07 percentage points
    assert (age >= 65).mean() == pytest.approx(over_65, abs=0.003)
    assert (age >= 85).mean() == pytest.approx(over_85, abs=0.001)


def test_the_extract_says_its_place_and_the_calibration_report_keeps_to_its_own(
    tmp_path: Path,
) -> None:
    """The calibration targets are Liverpool's seed facts: they are not checked on Sefton."""
    folder = tmp_path / "sefton"
    manifest = write(simulate(1_000, seed=2, place=load_place("sefton")), folder)
    assert manifest["place"] == "sefton"
    with pytest.raises(ValidationError, match=r"liverpool's \(its seeds\), not sefton's"):
        calibration(folder, noise=False)
    result = run_cli("synth", "report", str(folder))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{folder / 'manifest.json'}:" in result.stderr
