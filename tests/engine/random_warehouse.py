"""A hypothesis strategy for small random warehouses that lean on the pipelines' edges.

Tens of people in a few areas, with deaths (and where they happened), admissions (some
still open), attendances, outpatient, GP, community and mental health contacts, care
episodes and conditions. Dates fall often on the days where a rule turns (the midpoints 30 June and
30 September and the day after, the ends of calendar and financial years), births on
the months that make people 0, 1, 64, 65, 74 or 75 at those dates, and codes include
ones on no list, written in lower case, or missing. Some people live in an LSOA or are
registered with a practice the lookups do not have, or have none; some deaths and
records belong to no person in the warehouse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from hypothesis import strategies as st

D = dt.date
FIRST, LAST = D(2013, 1, 1), D(2019, 12, 31)  # a little beyond the periods computed

# the days a rule turns on, for the years 2014-2019, and the day after each
TURNING_DAYS = sorted(
    {
        day + dt.timedelta(days=shift)
        for year in range(2014, 2020)
        for day in (D(year, 1, 1), D(year, 3, 31), D(year, 6, 30), D(year, 9, 30), D(year, 12, 31))
        for shift in (0, 1)
    }
)
# months that make someone 0/1 (born 2015-16), 64/65 (1950-51) or 74/75 (1940-42) on a
# midpoint, on either side of it
EDGE_BIRTHS = [
    D(year, month, 1)
    for year in (1940, 1941, 1942, 1950, 1951, 2015, 2016)
    for month in (6, 7, 9, 10)
]
CAUSES = [
    "I21.9", "I64", "J44.0", "J18.1", "C34.1", "C50.9", "E10.9", "P07.3", "Q21.0",
    "K40.9", "R99", "i21.9", "j45", "X99.9", "", None, "K70.3", "I63.9", "W10.0",
]  # fmt: skip
DIAGNOSES = [
    "J44.1", "N39.0", "I50.0", "S72.0", "K40.9", "E11.9", "j44.1", "Z99", None, "J45.0",
    "J18.9", "S06.0", "W19", "X60",
]  # fmt: skip
CONDITIONS = ["dementia", "copd", "diabetes", "hypertension", "epilepsy", "osteoporosis"]
PLACES_OF_DEATH = ["hospital", "home", "care_home", "hospice", "other"]
CONTACTS = {  # table: (date column, kind column, kinds)
    "op_appointment": ("appt_date", "first_or_followup", ["first", "followup"]),
    "gp_contact": ("contact_date", "mode", ["face_to_face", "telephone"]),
    "community_contact": ("contact_date", "service", ["district_nursing", "podiatry"]),
    "mh_contact": ("contact_date", "service", ["iapt", "crisis"]),
}
SERVICES = ["reablement", "home_care", "residential", "nursing"]
SPELL_COLUMNS = [
    "person_key", "admit_date", "discharge_date", "admission_method", "primary_diagnosis",
    "provider_code", "discharge_destination",
]  # fmt: skip
LSOAS = ["L1", "L2", "L3"]
PRACTICES = ["P1", "P2", "P3"]

dates = st.one_of(st.dates(FIRST, LAST), st.sampled_from(TURNING_DAYS))
months = st.one_of(
    st.dates(D(1915, 1, 1), D(2018, 12, 1)).map(lambda d: d.replace(day=1)),
    st.sampled_from(EDGE_BIRTHS),
)
lsoas = st.one_of(st.sampled_from(LSOAS), st.sampled_from(["LX", None]))
practices = st.one_of(st.sampled_from(PRACTICES), st.sampled_from(["PX", None]))


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


@st.composite
def warehouses(draw: st.DrawFn, max_people: int = 40) -> dict[str, pd.DataFrame]:
    """The tables of one warehouse, by name (geography, people and their events)."""
    n = draw(st.integers(1, max_people))
    keys = [f"p{i}" for i in range(n)]
    born = [draw(months) for _ in keys]
    died = [
        max(b, draw(dates)) if draw(st.booleans()) else None for b in born
    ]  # never before birth, as ingest requires
    person = _frame(
        [
            (k, draw(st.sampled_from("MF")), b, d, draw(lsoas), draw(practices))
            for k, b, d in zip(keys, born, died, strict=True)
        ],
        ["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
    )
    anyone = st.one_of(st.sampled_from(keys), st.just("stranger"))
    # most deaths are registered on the day the person record gives; a few are not
    where = st.sampled_from(PLACES_OF_DEATH)
    deaths = [
        (k, d, draw(st.sampled_from(CAUSES)), draw(where))
        for k, d in zip(keys, died, strict=True)
        if d is not None and draw(st.integers(0, 9)) > 0
    ]
    deaths += [
        (draw(anyone), draw(dates), draw(st.sampled_from(CAUSES)), draw(where))
        for _ in range(draw(st.integers(0, 2)))
    ]
    spells = []
    for _ in range(draw(st.integers(0, 2 * n))):
        admitted = draw(dates)
        stay = draw(st.one_of(st.integers(0, 40), st.none()))  # None: still in hospital
        left = admitted + dt.timedelta(days=stay) if stay is not None else None
        spells.append((
            draw(anyone), admitted, left,
            draw(st.sampled_from(["emergency", "elective"])), draw(st.sampled_from(DIAGNOSES)),
            "RQ6", "home" if left is not None else None,
        ))  # fmt: skip
    disposals = st.sampled_from(["discharged", "admitted"])
    attendances = [
        (draw(anyone), draw(dates), "RQ6", draw(disposals))
        for _ in range(draw(st.integers(0, 2 * n)))
    ]
    contacts = {
        table: _frame(
            [
                (draw(anyone), draw(dates), draw(st.sampled_from(kinds)))
                for _ in range(draw(st.integers(0, n)))
            ],
            ["person_key", date, kind],
        )
        for table, (date, kind, kinds) in CONTACTS.items()
    }
    care = []
    for _ in range(draw(st.integers(0, n))):
        start = draw(dates)
        end = start + dt.timedelta(days=draw(st.integers(0, 200))) if draw(st.booleans()) else None
        care.append((draw(anyone), start, end, draw(st.sampled_from(SERVICES))))
    conditions = [
        (draw(anyone), draw(st.sampled_from(CONDITIONS)), draw(dates))
        for _ in range(draw(st.integers(0, n)))
    ]
    deciles = draw(st.lists(st.integers(1, 10), min_size=3, max_size=3))
    return {
        "geo_lsoa": pd.DataFrame(
            {"lsoa": LSOAS, "neighbourhood": ["N1", "N1", "N2"], "imd_decile": deciles}
        ),
        "geo_practice": pd.DataFrame({"practice_code": PRACTICES, "pcn": ["C1", "C1", "C2"]}),
        "person": person,
        "death": _frame(
            deaths, ["person_key", "date_of_death", "underlying_cause", "place_of_death"]
        ),
        "apc_spell": _frame(spells, SPELL_COLUMNS),
        "ae_attendance": _frame(
            attendances, ["person_key", "arrival_date", "provider_code", "disposal"]
        ),
        "social_care": _frame(care, ["person_key", "start_date", "end_date", "service"]),
        "condition": _frame(conditions, ["person_key", "condition", "recorded_date"]),
        **contacts,
    }
