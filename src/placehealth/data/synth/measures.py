"""Measuring the generated extracts against the targets.

Each measure reads the extract files exactly as written (raw NHS numbers,
which are synthetic), so the report checks what ingestion would load. A target
that is one of the engine's indicators (avoidable admissions, hip fractures,
readmissions, premature and infant mortality, care-home admissions, reablement,
dementia diagnosis, long-term conditions) is measured by the engine's own pipeline over the
extracts read as a warehouse (:mod:`.as_warehouse`): one definition, so the
population is calibrated against what the indicators will compute. The rest are
DuckDB SQL over the files, with rates and life expectancy through
:mod:`placehealth.stats` (DSR with ESP2013, Chiang II).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from placehealth import stats
from placehealth.data.schema import LOADABLE
from placehealth.data.synth.as_warehouse import engine_context
from placehealth.data.synth.params import FIRST_YEAR, YEARS
from placehealth.data.synth.write import TRUTH
from placehealth.engine.indicators import (
    Context,
    mortality,
    prevalence,
    readmissions,
    social_care,
)
from placehealth.engine.indicators.defined import defined_indicator
from placehealth.errors import InputFileError
from placehealth.stats.life_expectancy import LABELS as LIFE_BANDS

FY = list(range(FIRST_YEAR, FIRST_YEAR + YEARS))
CALENDAR = [2015, 2016, 2017]
PERSON_TABLES = [t.name for t in LOADABLE if t.name not in ("geo_lsoa", "geo_practice")]


def open_extracts(folder: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, object]]:
    """An in-memory DuckDB with a view per extract file of ``folder``."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise InputFileError(
            "no manifest.json: not a folder written by placehealth synth",
            file=folder,
            hint="generate one with: placehealth synth --persons 50000 --out DIR",
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    fmt = manifest["format"]
    con = duckdb.connect()

    def quoted(path: Path) -> str:
        return path.as_posix().replace("'", "''")

    for table in LOADABLE:
        path = quoted(folder / f"{table.name}.{fmt}")
        reader = "read_parquet" if fmt == "parquet" else "read_csv"
        options = "" if fmt == "parquet" else ", header = true, all_varchar = false"
        col = "CAST(nhs_number AS VARCHAR) AS nhs_number, " if table.name in PERSON_TABLES else ""
        exclude = "EXCLUDE (nhs_number)" if col else ""
        con.execute(
            f"CREATE VIEW raw_{table.name} AS SELECT {col}* {exclude} "
            f"FROM {reader}('{path}'{options})"
        )
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet('{quoted(folder / TRUTH)}')")
    con.execute(
        "CREATE MACRO age_at(b, d) AS ((year(d) - year(b)) * 12 + month(d) - month(b)) // 12"
    )
    return con, manifest


def restrict(con: duckdb.DuckDBPyConnection, group: int | None, groups: int) -> None:
    """Point the table views at everyone, or at one random-like group of people."""
    where = "" if group is None else f"WHERE hash(nhs_number) % {groups} = {group}"
    for name in PERSON_TABLES:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM raw_{name} {where}")
    for name in ("geo_lsoa", "geo_practice"):
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM raw_{name}")
    con.execute(f"CREATE OR REPLACE VIEW truth_now AS SELECT * FROM truth {where}")


def _df(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _calendar_mids() -> str:
    """30 June of each calendar year of the life tables."""
    rows = ", ".join(f"({y}, DATE '{y}-06-30')" for y in CALENDAR)
    return f"(VALUES {rows}) AS m(year, mid)"


def registered(con: duckdb.DuckDBPyConnection) -> float:
    mid = "DATE '2014-09-30'"
    sql = f"SELECT count(*) FROM person WHERE birth_month <= {mid} AND " \
          f"(death_date IS NULL OR death_date > {mid})"  # fmt: skip
    return float(con.execute(sql).fetchall()[0][0])


def structure(con: duckdb.DuckDBPyConnection, what: str) -> float:
    column = {"practices": "p.practice_code", "pcns": "g.pcn", "neighbourhoods": "l.neighbourhood"}
    return float(
        con.execute(f"""SELECT count(DISTINCT {column[what]}) FROM person p
        JOIN geo_practice g USING (practice_code) JOIN geo_lsoa l USING (lsoa)""").fetchall()[0][0]
    )


def _life_table(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    band = "CASE WHEN {age} < 1 THEN 0 WHEN {age} < 5 THEN 1 ELSE least({age} // 5 * 5, 90) END"
    deaths = _df(
        con,
        f"""
        SELECT {by} AS grp, {band.format(age="age_at(p.birth_month, d.date_of_death)")} AS band,
               count(*) AS deaths
        FROM death d JOIN person p USING (nhs_number) JOIN geo_lsoa l USING (lsoa)
        WHERE year(d.date_of_death) IN (2015, 2016, 2017) GROUP BY ALL""",
    )
    people = _df(con, f"""
        SELECT {by} AS grp, {band.format(age='age_at(p.birth_month, m.mid)')} AS band,
               count(*) AS population
        FROM person p JOIN geo_lsoa l USING (lsoa), {_calendar_mids()}
        WHERE p.birth_month <= m.mid AND (p.death_date IS NULL OR p.death_date > m.mid)
        GROUP BY ALL""")  # fmt: skip
    frame = people.merge(deaths, on=["grp", "band"], how="left").fillna({"deaths": 0})
    labels = {0: "0", 1: "1-4", 90: "90+"}
    frame["age_band"] = frame["band"].map(lambda s: labels.get(s, f"{s}-{s + 4}"))
    grid = (
        frame[["grp"]].drop_duplicates().merge(pd.DataFrame({"age_band": LIFE_BANDS}), how="cross")
    )
    frame = grid.merge(frame, on=["grp", "age_band"], how="left").fillna(
        {"deaths": 0, "population": 0}
    )
    return stats.life_expectancy(frame, "deaths", "population", "grp", age_band="age_band",
                                 ages=[0], confidence=0.95, invalid="suppress")  # fmt: skip


def life_expectancy(con: duckdb.DuckDBPyConnection) -> float:
    return float(_life_table(con, "'all'")["value"].iloc[0])


def le_gap(con: duckdb.DuckDBPyConnection) -> float:
    """Most deprived fifth minus least deprived fifth, LSOAs ranked by IMD score (by people)."""
    con.execute("""CREATE OR REPLACE TEMP TABLE fifths AS
        WITH n AS (SELECT lsoa, count(*) AS people FROM person GROUP BY lsoa),
        r AS (SELECT l.lsoa, sum(n.people) OVER (ORDER BY l.imd_score DESC, l.lsoa)
                     / sum(n.people) OVER () AS share
              FROM geo_lsoa l JOIN n USING (lsoa))
        SELECT lsoa, least(CAST(ceil(share * 5) AS INTEGER), 5) AS fifth FROM r""")
    table = _life_table(con, "(SELECT fifth FROM fifths f WHERE f.lsoa = l.lsoa)")
    value = table.set_index("grp")["value"]
    return float(value.loc[5] - value.loc[1])


def _engine(con: duckdb.DuckDBPyConnection) -> Context:
    """The engine over the extracts: the five financial years and the 2015–17 window."""
    return engine_context(con, FY, [(CALENDAR[0], CALENDAR[-1])])


def _place(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["area_type"] == "place"]


def _pooled(frame: pd.DataFrame, multiplier: float) -> float:
    """An engine proportion or crude rate over all its years: Σ numerator / Σ denominator."""
    place = _place(frame)
    return multiplier * float(place["numerator"].sum()) / float(place["denominator"].sum())


def ltc_prevalence(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``ltc-prevalence``, the five financial years pooled."""
    (frame,) = prevalence.ltc_prevalence(_engine(con))
    return _pooled(frame, 100)


def ltc_share(con: duckdb.DuckDBPyConnection, table: str, date: str) -> float:
    row = con.execute(f"""
        WITH first AS (SELECT nhs_number, min(recorded_date) AS since FROM condition GROUP BY 1)
        SELECT avg(CASE WHEN f.since <= e.{date} THEN 1.0 ELSE 0.0 END)
        FROM {table} e LEFT JOIN first f USING (nhs_number)
        WHERE e.{date} < DATE '{FY[-1] + 1}-04-01'""").fetchall()  # fmt: skip
    return 100 * float(row[0][0])


def bed_days(con: duckdb.DuckDBPyConnection, top: float = 0.11) -> float:
    frame = _df(
        con,
        """
        SELECT year(admit_date - INTERVAL 3 MONTH) AS fy, nhs_number,
               sum(discharge_date - admit_date) AS days
        FROM apc_spell WHERE admit_date < DATE '2019-04-01' GROUP BY ALL""",
    )
    shares = []
    for _, part in frame.groupby("fy"):  # five financial years
        days = np.sort(part["days"].to_numpy())[::-1]
        n = int(np.ceil(top * days.size))
        shares.append(days[:n].sum() / max(days.sum(), 1))
    return 100 * float(np.mean(shares))


def per_year(con: duckdb.DuckDBPyConnection, table: str, date: str, where: str = "TRUE") -> float:
    row = con.execute(f"""SELECT count(*) FROM {table}
        WHERE {date} >= DATE '{FY[0]}-04-01' AND {date} < DATE '{FY[-1] + 1}-04-01' AND {where}
    """).fetchall()  # fmt: skip
    return float(row[0][0]) / len(FY)


def avoidable_admissions(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``emergency-admissions-composite`` (a DSR), mean of the five financial years."""
    composite = defined_indicator(_engine(con), "emergency-admissions-composite")
    return float(_place(composite)["value"].mean())


def hip_fractures(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``hip-fractures-65`` (a DSR), mean of the five financial years."""
    frame = defined_indicator(_engine(con), "hip-fractures-65")
    return float(_place(frame)["value"].mean())


def readmissions_30_days(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``emergency-readmissions-30-days``, the five financial years pooled."""
    (frame,) = readmissions.emergency_readmissions(_engine(con))
    return _pooled(frame, 100)


def premature(con: duckdb.DuckDBPyConnection, indicator_id: str) -> float:
    """Engine ``premature-mortality-<cause>``, 2015–17."""
    frame = defined_indicator(_engine(con), indicator_id)
    return float(_place(frame)["value"].iloc[0])


def infant_deaths(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``infant-deaths`` (a yearly count), mean of 2015, 2016 and 2017."""
    _, yearly = mortality.infant_mortality(_engine(con))
    return float(_place(yearly)["value"].sum()) / len(CALENDAR)


def care_home_admissions(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``care-home-admissions-65``, the five financial years pooled."""
    frame, _ = social_care.care_home_admissions(_engine(con))
    return _pooled(frame, 100_000)


def reablement(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``reablement-91-days`` (ASCOF 2B(i)), the five financial years pooled."""
    frame, _ = social_care.reablement(_engine(con))
    return _pooled(frame, 100)


def dementia_diagnosis(con: duckdb.DuckDBPyConnection) -> float:
    """Engine ``dementia-diagnosis``, the five financial years pooled."""
    (frame,) = prevalence.dementia_diagnosis(_engine(con))
    return _pooled(frame, 100)


def high_risk(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute("SELECT avg(CASE WHEN emergency_probability > 0.5 THEN 1.0 ELSE 0.0 END) "
                      "FROM truth_now").fetchall()  # fmt: skip
    return 100 * float(row[0][0])


Measure = Callable[[duckdb.DuckDBPyConnection], float]
MEASURES: dict[str, Measure] = {
    "registered": registered,
    "practices": lambda c: structure(c, "practices"),
    "pcns": lambda c: structure(c, "pcns"),
    "neighbourhoods": lambda c: structure(c, "neighbourhoods"),
    "life_expectancy": life_expectancy,
    "le_gap": le_gap,
    "ltc_prevalence": ltc_prevalence,
    "ltc_ae": lambda c: ltc_share(c, "ae_attendance", "arrival_date"),
    "ltc_admissions": lambda c: ltc_share(c, "apc_spell", "admit_date"),
    "ltc_community": lambda c: ltc_share(c, "community_contact", "contact_date"),
    "bed_days": bed_days,
    "ae_per_year": lambda c: per_year(c, "ae_attendance", "arrival_date"),
    "emergency_per_year": lambda c: per_year(c, "apc_spell", "admit_date",
                                             "admission_method = 'emergency'"),
    "gp_per_year": lambda c: per_year(c, "gp_contact", "contact_date"),
    "avoidable_admissions": avoidable_admissions,
    "hip_fractures_65": hip_fractures,
    "readmissions_30_days": readmissions_30_days,
    "premature_cancer": lambda c: premature(c, "premature-mortality-cancer"),
    "premature_circulatory": lambda c: premature(c, "premature-mortality-circulatory"),
    "premature_respiratory": lambda c: premature(c, "premature-mortality-respiratory"),
    "infant_deaths": infant_deaths,
    "care_home_admissions": care_home_admissions,
    "reablement": reablement,
    "dementia_diagnosis": dementia_diagnosis,
    "high_risk": high_risk,
}  # fmt: skip
