"""Population segments: everyone alive in exactly one segment, and the hierarchy decides ties.

Seed 002 (lines 172-180) names the seven segments; docs/phm-segments.md sets out the
rules. Hand-made people each meet one rule (or two, to test which wins).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from placehealth.data.conditions import condition_list
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from placehealth.engine.backends import DuckDBBackend
from placehealth.errors import ValidationError
from placehealth.phm.frailty import hfrs_table
from placehealth.phm.segments import (
    FLAGS,
    SEGMENTS,
    ltc_groups,
    segment_rules,
    segments,
)

D = dt.date
INDEX = D(2018, 4, 1)
KEY_TEXT = "segments-test-key-5c2a9e01"
_BUILT: dict[str, Path] = {}


def synthetic_warehouse(factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic people loaded into a warehouse, built once per test process."""
    if "w" not in _BUILT:
        folder = factory.mktemp("segments")
        write(simulate(3_000, seed=21), folder / "extract")
        ingest(
            folder / "extract",
            folder / "warehouse.duckdb",
            PseudoKey(KEY_TEXT.encode()),
            synthetic=True,
        )
        _BUILT["w"] = folder / "warehouse.duckdb"
    return _BUILT["w"]


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_warehouse(tmp_path_factory)


@pytest.fixture(scope="session")
def synthetic_segments(synthetic: Path) -> pd.DataFrame:
    backend = DuckDBBackend(synthetic)
    frame = backend.collect(segments(backend, INDEX))
    backend.close()
    return frame


def test_everyone_alive_is_in_exactly_one_segment(
    synthetic: Path, synthetic_segments: pd.DataFrame
) -> None:
    con = duckdb.connect(str(synthetic), read_only=True)
    alive = con.execute(
        "SELECT count(*) FROM person WHERE birth_month <= DATE '2018-04-01' "
        "AND (death_date IS NULL OR death_date > DATE '2018-04-01')"
    ).fetchall()[0][0]
    con.close()
    assert len(synthetic_segments) == alive
    assert synthetic_segments["person_key"].is_unique
    assert set(synthetic_segments["segment"]) <= set(SEGMENTS)
    assert synthetic_segments["segment"].notna().all()


def test_synthetic_segments_are_plausible(synthetic_segments: pd.DataFrame) -> None:
    shares = synthetic_segments["segment"].value_counts(normalize=True)
    # healthy is the largest segment; about 45% have a long-term condition (seed 002, 186)
    assert shares.idxmax() == "healthy"
    assert 0.3 < synthetic_segments["any_ltc"].mean() < 0.6
    for segment in ("frailty_dementia", "mental_health", "long_term_conditions"):
        assert shares.get(segment, 0) > 0


def test_the_segment_is_the_first_rule_met(synthetic_segments: pd.DataFrame) -> None:
    from placehealth.phm.segments import RULES

    met = pd.DataFrame({s: synthetic_segments[list(f)].any(axis=1) for s, f in RULES.items()})
    expected = met.idxmax(axis=1).where(met.any(axis=1), "healthy")
    assert (expected == synthetic_segments["segment"]).all()


def test_ltc_count_and_bands(synthetic_segments: pd.DataFrame) -> None:
    count = synthetic_segments["ltc_count"]
    assert (count >= 0).all() and (count <= len(ltc_groups())).all()
    band = count.clip(upper=4).astype(str).replace("4", "4+")
    assert (band == synthetic_segments["ltc_band"]).all()
    assert (synthetic_segments["any_ltc"] == (count > 0)).all()
    assert (
        synthetic_segments.loc[synthetic_segments["segment"] == "healthy", "ltc_count"].eq(0).all()
    )


def test_palliative_care_is_not_a_long_term_condition() -> None:
    assert "palliative_care" in condition_list().ids()
    assert "palliative_care" not in ltc_groups()


def test_code_lists_carry_id_version_source_and_purpose() -> None:
    rules = segment_rules()
    assert rules.version
    for code_list in rules.lists:
        assert code_list.version and code_list.source and code_list.purpose
        assert code_list.snomed or code_list.icd10


# --- hand-made people -----------------------------------------------------------------

LSOA = pd.DataFrame(
    {
        "lsoa": ["L1", "L2"],
        "lsoa_name": ["One", "Two"],
        "neighbourhood": ["N1", "N2"],
        "neighbourhood_name": ["North", "South"],
        "imd_decile": [1, 9],
        "imd_score": [50.0, 5.0],
        "place": ["Liverpool", "Liverpool"],
    }
)
PRACTICE = pd.DataFrame(
    {
        "practice_code": ["P1", "P2"],
        "practice_name": ["First", "Second"],
        "pcn": ["C1", "C2"],
        "pcn_name": ["PCN one", "PCN two"],
        "neighbourhood": ["N1", "N2"],
        "place": ["Liverpool", "Liverpool"],
    }
)

# key: (born, died, expected segment or None if not alive at the index date)
PEOPLE: dict[str, tuple[dt.date, dt.date | None, str | None]] = {
    "eol": (D(1940, 1, 1), D(2018, 9, 1), "end_of_life"),  # palliative + dementia
    "eol_hospital": (D(1950, 1, 1), None, "end_of_life"),  # Z51.5 spell in 12 months
    "eol_old_code": (D(1950, 1, 1), None, "long_term_conditions"),  # palliative 2 years ago
    "eol_future": (D(1950, 1, 1), None, "healthy"),  # palliative code after the index date
    "dementia": (D(1935, 1, 1), None, "frailty_dementia"),  # dementia + substance misuse
    "care_home": (D(1930, 1, 1), None, "frailty_dementia"),  # nursing home, nothing coded
    "care_home_ended": (D(1930, 1, 1), None, "healthy"),  # left residential care in 2017
    "hfrs_old": (D(1935, 1, 1), None, "frailty_dementia"),  # HFRS > 15 at 83
    "hfrs_young": (D(1960, 1, 1), None, "healthy"),  # same spells at 58: not scored
    "substance": (D(1980, 1, 1), None, "complex_lives"),  # F10 + learning disability
    "self_harm": (D(1990, 1, 1), None, "complex_lives"),  # X60 in 2 years
    "self_harm_old": (D(1990, 1, 1), None, "healthy"),  # X60 more than 2 years ago
    "crisis_ae": (D(1985, 1, 1), None, "complex_lives"),  # crisis + 3 A&E
    "crisis_two_ae": (D(1985, 1, 1), None, "mental_health"),  # crisis + 2 A&E + depression
    "ld": (D(1995, 1, 1), None, "disability"),  # learning disability + SMI
    "home_care_young": (D(1975, 1, 1), None, "disability"),
    "home_care_old": (D(1940, 1, 1), None, "healthy"),
    "smi": (D(1970, 1, 1), None, "mental_health"),  # SMI + hypertension
    "depression_iapt": (D(1988, 1, 1), None, "mental_health"),
    "depression_only": (D(1988, 1, 1), None, "long_term_conditions"),
    "ltc_five": (D(1945, 1, 1), None, "long_term_conditions"),
    "healthy": (D(2000, 1, 1), None, "healthy"),
    "dead": (D(1940, 1, 1), D(2018, 3, 1), None),
    "died_on_index": (D(1940, 1, 1), D(2018, 4, 1), None),
    "unborn": (D(2018, 5, 1), None, None),
}

# key, system, code, recorded
CONDITIONS = [
    ("eol", "snomed", "103735009", D(2018, 1, 10)),
    ("eol", "snomed", "52448006", D(2016, 1, 1)),
    ("eol_old_code", "icd10", "Z51.5", D(2016, 3, 1)),
    ("eol_old_code", "snomed", "44054006", D(2015, 1, 1)),
    ("eol_future", "snomed", "103735009", D(2018, 5, 1)),
    ("dementia", "icd10", "F03", D(2017, 2, 1)),
    ("substance", "snomed", "110359009", D(2000, 1, 1)),
    ("crisis_two_ae", "snomed", "35489007", D(2015, 1, 1)),
    ("ld", "snomed", "110359009", D(2001, 1, 1)),
    ("ld", "snomed", "58214004", D(2015, 1, 1)),
    ("smi", "snomed", "58214004", D(2010, 1, 1)),
    ("smi", "snomed", "38341003", D(2012, 1, 1)),
    ("depression_iapt", "snomed", "35489007", D(2017, 1, 1)),
    ("depression_only", "icd10", "F32.9", D(2017, 1, 1)),
    ("ltc_five", "snomed", "38341003", D(2010, 1, 1)),
    ("ltc_five", "snomed", "44054006", D(2011, 1, 1)),
    ("ltc_five", "icd10", "E11.9", D(2011, 2, 1)),  # diabetes again: still one condition
    ("ltc_five", "snomed", "13645005", D(2012, 1, 1)),
    ("ltc_five", "snomed", "709044004", D(2013, 1, 1)),
    ("ltc_five", "snomed", "195967001", D(2014, 1, 1)),
    ("healthy", "snomed", "195967001", D(2019, 1, 1)),  # asthma after the index date
]
FRAIL_CODES = ["G81.9", "I69.4", "R29.6", "N39.0", "W19"]
# key, admitted, method, diagnosis
SPELLS = [
    ("eol_hospital", D(2017, 12, 1), "emergency", "Z51.5"),
    ("dementia", D(2017, 6, 1), "emergency", "F10.2"),
    ("substance", D(2017, 6, 1), "emergency", "F10.0"),
    ("self_harm", D(2016, 6, 1), "emergency", "X60"),
    ("self_harm_old", D(2016, 3, 1), "emergency", "X60"),
    *[("hfrs_old", D(2017, 1 + i, 1), "emergency", c) for i, c in enumerate(FRAIL_CODES)],
    *[("hfrs_young", D(2017, 1 + i, 1), "emergency", c) for i, c in enumerate(FRAIL_CODES)],
]
AE = [
    ("crisis_ae", D(2017, 6, 1)),
    ("crisis_ae", D(2017, 9, 1)),
    ("crisis_ae", D(2018, 2, 1)),
    ("crisis_two_ae", D(2017, 6, 1)),
    ("crisis_two_ae", D(2018, 2, 1)),
    ("crisis_two_ae", D(2016, 2, 1)),  # outside the 12 months
]
MH = [
    ("crisis_ae", D(2018, 1, 10), "crisis"),
    ("crisis_two_ae", D(2018, 1, 10), "crisis"),
    ("depression_iapt", D(2017, 11, 1), "iapt"),
    ("depression_only", D(2016, 11, 1), "iapt"),  # more than 12 months ago
]
SOCIAL = [
    ("care_home", D(2017, 5, 1), None, "nursing"),
    ("care_home_ended", D(2016, 5, 1), D(2017, 12, 31), "residential"),
    ("home_care_young", D(2018, 1, 1), None, "home_care"),
    ("home_care_old", D(2018, 1, 1), None, "home_care"),
]


def hand_made_warehouse(path: Path) -> Path:
    """The people above as a DuckDB warehouse with the tables the segments read."""
    codes = condition_list()
    tables = {
        "geo_lsoa": LSOA,
        "geo_practice": PRACTICE,
        "person": pd.DataFrame(
            [
                (k, "F", born, died, "L1" if i % 2 else "L2", "P1" if i % 2 else "P2")
                for i, (k, (born, died, _)) in enumerate(PEOPLE.items())
            ],
            columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
        ),
        "condition": pd.DataFrame(
            [(k, s, c, d, codes.group_of(s, c)) for k, s, c, d in CONDITIONS],
            columns=["person_key", "code_system", "code", "recorded_date", "condition"],
        ),
        "apc_spell": pd.DataFrame(
            [(k, d, d + dt.timedelta(days=3), m, x, "RQ6", "home") for k, d, m, x in SPELLS],
            columns=[
                "person_key",
                "admit_date",
                "discharge_date",
                "admission_method",
                "primary_diagnosis",
                "provider_code",
                "discharge_destination",
            ],
        ),
        "ae_attendance": pd.DataFrame(
            [(k, d, "RQ6", "discharged") for k, d in AE],
            columns=["person_key", "arrival_date", "provider_code", "disposal"],
        ),
        "mh_contact": pd.DataFrame(MH, columns=["person_key", "contact_date", "service"]),
        "social_care": pd.DataFrame(
            SOCIAL, columns=["person_key", "start_date", "end_date", "service"]
        ),
        "death": pd.DataFrame(
            [(k, died, "C34.9", "hospital") for k, (_, died, _) in PEOPLE.items() if died],
            columns=["person_key", "date_of_death", "underlying_cause", "place_of_death"],
        ),
    }
    con = duckdb.connect(str(path))
    for name, frame in tables.items():
        for column in frame.columns:
            if column.endswith("date") or column == "birth_month":
                frame[column] = pd.to_datetime(frame[column]).dt.date
        con.register("frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")
    for column in ("death_date",):
        con.execute(f"ALTER TABLE person ALTER {column} TYPE DATE")
    con.execute("ALTER TABLE social_care ALTER end_date TYPE DATE")
    con.close()
    return path


@pytest.fixture(scope="session")
def hand_made(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = hand_made_warehouse(tmp_path_factory.mktemp("hand") / "hand.duckdb")
    backend = DuckDBBackend(path)
    frame = backend.collect(segments(backend, INDEX)).set_index("person_key")
    backend.close()
    return frame


def test_hfrs_codes_used_here_score_above_the_high_band() -> None:
    points = hfrs_table().points()
    assert sum(points[c.replace(".", "")[:3]] for c in FRAIL_CODES) > hfrs_table().bands.high_above


def test_only_people_alive_at_the_index_date(hand_made: pd.DataFrame) -> None:
    alive = {k for k, (_, _, segment) in PEOPLE.items() if segment is not None}
    assert set(hand_made.index) == alive


@pytest.mark.parametrize("person", [k for k, (_, _, s) in PEOPLE.items() if s is not None])
def test_each_hand_made_person_lands_in_the_designed_segment(
    hand_made: pd.DataFrame, person: str
) -> None:
    assert hand_made.loc[person, "segment"] == PEOPLE[person][2]


def test_people_meeting_two_rules_land_in_the_higher_segment(hand_made: pd.DataFrame) -> None:
    pairs = {
        "eol": ("palliative_care", "dementia"),
        "dementia": ("dementia", "substance_self_harm"),
        "substance": ("substance_self_harm", "learning_disability"),
        "ld": ("learning_disability", "serious_mental_illness"),
        "smi": ("serious_mental_illness", "any_ltc"),
    }
    for person, (higher, lower) in pairs.items():
        row = hand_made.loc[person]
        assert row[higher] and row[lower], person
        assert SEGMENTS.index(row["segment"]) < len(SEGMENTS) - 1


def test_multimorbidity_counts_distinct_conditions_up_to_the_index_date(
    hand_made: pd.DataFrame,
) -> None:
    assert hand_made.loc["ltc_five", "ltc_count"] == 5
    assert hand_made.loc["ltc_five", "ltc_band"] == "4+"
    assert hand_made.loc["healthy", "ltc_count"] == 0  # asthma recorded later
    assert hand_made.loc["smi", "ltc_count"] == 2
    assert hand_made.loc["eol_old_code", "ltc_count"] == 1  # palliative care does not count


def test_output_columns(hand_made: pd.DataFrame) -> None:
    for column in ("segment", "ltc_count", "ltc_band", *FLAGS):
        assert column in hand_made.columns


@pytest.mark.parametrize("day", [D(2014, 3, 31), D(2019, 4, 1)])
def test_index_date_outside_the_data_is_refused(synthetic: Path, day: dt.date) -> None:
    backend = DuckDBBackend(synthetic)
    try:
        with pytest.raises(ValidationError, match="outside the data"):
            segments(backend, day)
    finally:
        backend.close()


def test_palliative_entries_in_the_synthetic_population(synthetic: Path) -> None:
    """About a third of deaths have a register entry 1-12 months before; none for the living,
    and every one after the person's first long-term condition record."""
    con = duckdb.connect(str(synthetic), read_only=True)
    rows: Any = con.execute(
        """
        WITH pal AS (SELECT person_key, recorded_date FROM condition
                     WHERE condition = 'palliative_care'),
             first AS (SELECT person_key, min(recorded_date) AS since FROM condition
                       WHERE condition <> 'palliative_care' GROUP BY 1)
        SELECT
          (SELECT count(*) FROM pal),
          (SELECT count(*) FROM pal JOIN person p USING (person_key) WHERE p.death_date IS NULL),
          (SELECT count(*) FROM pal JOIN person p USING (person_key)
            WHERE date_diff('day', pal.recorded_date, p.death_date) NOT BETWEEN 30 AND 365),
          (SELECT count(*) FROM pal LEFT JOIN first USING (person_key)
            WHERE first.since IS NULL OR first.since > pal.recorded_date),
          (SELECT count(*) FROM person WHERE death_date IS NOT NULL)
        """
    ).fetchall()[0]
    con.close()
    entries, living, outside, before_ltc, deaths = rows
    assert living == 0 and outside == 0 and before_ltc == 0
    assert 0.2 < entries / deaths < 0.5


@pytest.mark.spark
def test_spark_gives_the_same_segments(tmp_path_factory: pytest.TempPathFactory) -> None:
    from placehealth.engine.backends import SparkBackend

    path = hand_made_warehouse(tmp_path_factory.mktemp("hand_spark") / "hand.duckdb")
    duck = DuckDBBackend(path)
    expected = duck.collect(segments(duck, INDEX)).set_index("person_key").sort_index()
    duck.close()
    spark = SparkBackend(path)
    got = spark.collect(segments(spark, INDEX)).set_index("person_key").sort_index()
    assert list(got.index) == list(expected.index)
    for column in ("segment", "ltc_count", "ltc_band", *FLAGS):
        assert (got[column].to_numpy() == expected[column].to_numpy()).all(), column
