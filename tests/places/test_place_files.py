"""Place files: the packaged places load, Sefton's figures are seed 004's, bad files are one line.

Sefton's facts are checked against the seed's own lines (seed 004, 202 and 206): their
numbers against the snapshot of the figures printed there (tests/seed-figures.json), their
words against the document where it is (seed_quote), so a place file that drifts from its
source fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.errors import ConfigurationError, ValidationError
from placehealth.places import ENV_PLACE, load_place, packaged_places, read_place
from tests.conftest import seed_figures, seed_quote
from tests.test_cli import run_cli


def test_every_packaged_place_loads_under_its_own_name() -> None:
    places = packaged_places()
    assert {"liverpool", "sefton"} <= set(places)
    for name in places:
        assert load_place(name).id == name
    assert sum(load_place(name).default for name in places) == 1


def test_the_default_place_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_PLACE, raising=False)
    assert load_place().default
    monkeypatch.setenv(ENV_PLACE, "sefton")
    assert load_place().name == "Sefton"
    assert load_place(None).id == "sefton"


def test_sefton_is_calibrated_from_seed_004() -> None:
    sefton = load_place("sefton")
    # "Our population is approximately 275,000 … two Clinical Commissioning Groups …
    # 54 GP practices: 20 in Southport & Formby and 34 in South Sefton"
    assert seed_quote(f"population is approximately {sefton.population.persons:,}", "004", 202)
    by_name = {c.name: c.practices for c in sefton.codes.commissioners}
    assert len(by_name) == 2 and seed_quote("two Clinical Commissioning Groups", "004", 202)
    southport, south = by_name["NHS Southport and Formby CCG"], by_name["NHS South Sefton CCG"]
    assert seed_quote(
        f"{sefton.practices} GP practices: {southport} in Southport & Formby and {south} in",
        "004",
        202,
    )
    # 2011: 57,366 aged 65 and over and 7,633 aged 85 and over (seed 004, 206)
    total = sefton.population.persons
    bands = sefton.population.age_bands
    scale = total / sum(bands)  # the bands are in thousands
    over_65, over_85 = round(sum(bands[13:]) * scale), round(sum(bands[17:]) * scale)
    assert seed_quote(f"({over_65:,} to", "004", 206)
    assert seed_quote(f"({over_85:,} to", "004", 206)
    assert seed_quote("increase in our population aged 65", "004", 206)
    assert seed_quote("increase in the numbers of people aged 85", "004", 206)
    assert sefton.population.share_aged(65) == pytest.approx(57_366 / 275_000, abs=5e-5)


def test_liverpool_keeps_the_shape_of_seed_002() -> None:
    liverpool = load_place("liverpool")
    practices, pcns = liverpool.practices, liverpool.geography.pcns
    neighbourhoods = len(liverpool.geography.neighbourhoods)
    # the first three figures on the line, in order
    assert seed_figures("002", 41).split()[:3] == [str(practices), str(neighbourhoods), str(pcns)]
    assert seed_quote(
        f"{practices} GP practices collaborating across {neighbourhoods} neighbourhoods and {pcns}",
        "002",
        41,
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "place.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _sefton_text() -> str:
    return packaged_places()["sefton"].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("lsoas: 189", "lsoas: 190", "imd_deciles add up to 189, not the 190 LSOAs"),
        ("commissioner: 01T, affluence: -1.8", "commissioner: 99X, affluence: -1.8",
         "commissioner '99X' is not one of 01V, 01T"),
        ("practices: 20", "practices: twenty", "'twenty' is not a valid number"),
        ("practices: 20", "practices: 3", "3 practices for 4 neighbourhoods"),
        ("  pcns: 8", "  pcns: 80", "80 PCNs for 54 practices"),
        ("ons_la: E08000014", "ons_la: Sefton", "codes.ons_la: String should match pattern"),
        ("  pcns: 8", "  pcns: 8\n  wards: 22", "geography.wards: Extra inputs"),
        ("status_plan: sefton-bcf-2014", "status_plan: nowhere", "'nowhere' is not one of plans"),
    ],
)  # fmt: skip
def test_a_bad_place_file_names_the_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = _sefton_text()
    assert old in text
    path = _write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(ValidationError) as caught:
        read_place(path)
    assert message in caught.value.message
    assert caught.value.file == str(path) and caught.value.line is not None
    changed = next(i for i, line in enumerate(path.read_text().splitlines(), 1)
                   if new.splitlines()[-1].strip() in line)  # fmt: skip
    assert abs(caught.value.line - changed) <= 1


def test_a_bad_place_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _sefton_text().replace("lsoas: 189", "lsoas: 190", 1))
    result = run_cli("synth", "--place", str(path), "--persons", "1000", "-o", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{path}:" in result.stderr and "not the 190 LSOAs" in result.stderr
    assert not (tmp_path / "x").exists()
    unknown = run_cli("demo", "--place", "atlantis", "-o", str(tmp_path / "d"))
    assert unknown.returncode == 2 and "unknown place 'atlantis'" in unknown.stderr
    assert "liverpool, sefton" in unknown.stderr
    assert not (tmp_path / "d").exists()


def test_missing_place_file() -> None:
    with pytest.raises(ConfigurationError, match="place file not found"):
        load_place("no/such/place.yaml")
