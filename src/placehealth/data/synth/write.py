"""Writing the simulation as extracts in the ingestion format, plus the truth file.

Extract files carry exactly the extract columns of :mod:`placehealth.data.schema`
(raw NHS numbers from the 999 test range, dates as dates), so ``placehealth
ingest`` loads them like any site's extracts. The truth (each person's true
yearly emergency-admission probability) goes to ``truth/``, which ingestion
never reads. Same seed, same bytes: nothing here depends on time or order of
dictionaries, and ``manifest.json`` lists every file's SHA-256.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from placehealth import __version__
from placehealth.data import schema
from placehealth.data.conditions import condition_list
from placehealth.data.extracts import sha256
from placehealth.data.synth import codes
from placehealth.data.synth import params as p
from placehealth.data.synth.hospital import AE_DISPOSALS, DESTINATIONS
from placehealth.data.synth.model import PLACES, Synthetic
from placehealth.data.synth.people import CONDITION_IDS
from placehealth.data.synth.services import COMMUNITY, GP_MODES, MENTAL_HEALTH, REFERRALS
from placehealth.data.synth.social import SERVICES
from placehealth.icd10 import match_array

END = int(p.YEAR_START[-1])  # 1 April 2019: nothing at or after it is known
TRUTH = Path("truth") / "emergency_risk.parquet"


def _dates(days: npt.ArrayLike, *, keep: npt.ArrayLike | None = None) -> pa.Array:
    values = np.asarray(days, dtype=np.int64) + p.DAY0_EPOCH
    mask = None if keep is None else ~np.asarray(keep, dtype=bool)
    return pa.array(values.astype(np.int32), type=pa.date32(), mask=mask)


def _months(days: npt.ArrayLike) -> pa.Array:
    dates = np.datetime64("2014-04-01") + np.asarray(days, dtype="timedelta64[D]")
    first = dates.astype("datetime64[M]").astype("datetime64[D]")
    return pa.array(first.astype(np.int64).astype(np.int32), type=pa.date32())


def _labels(vocabulary: tuple[str, ...], index: npt.ArrayLike) -> pa.Array:
    return pc.take(pa.array(vocabulary), pa.array(np.asarray(index, dtype=np.int64)))


def _nhs(syn: Synthetic, person: npt.ArrayLike) -> pa.Array:
    return pc.cast(pa.array(syn.people.nhs[np.asarray(person, dtype=np.int64)]), pa.string())


def _condition_table(syn: Synthetic) -> pa.Table:
    people = syn.people
    limit = np.minimum(people.death, END)[:, None]
    who, column = np.nonzero(people.recorded < limit)
    day = people.recorded[who, column]
    rng = np.random.default_rng([syn.seed, 7])  # its own stream: codes do not shift the model
    icd10 = rng.random(who.size) < p.ICD10_RECORDED
    listed = {c.id: c.snomed for c in condition_list().conditions}
    snomed_codes = np.array([listed[c][0] for c in CONDITION_IDS])
    icd10_codes = np.array([codes.ICD10_RECORD[c] for c in CONDITION_IDS])
    code = np.where(icd10, icd10_codes[column], snomed_codes[column])
    end_of_life, end_day, end_icd10 = _palliative(syn)
    code = np.concatenate([code, np.where(end_icd10, PALLIATIVE[1], PALLIATIVE[0])])
    return pa.table(
        {
            "nhs_number": _nhs(syn, np.concatenate([who, end_of_life])),
            "code_system": _labels(("snomed", "icd10"), np.concatenate([icd10, end_icd10])),
            "code": pa.array(code),
            "recorded_date": _dates(np.concatenate([day, end_day])),
        }
    )


# Palliative care register entry (SNOMED CT 103735009 'Palliative care', ICD-10 Z51.5).
PALLIATIVE = ("103735009", "Z51.5")
# Underlying causes on the cancer, organ-failure and frailty/dementia trajectories
# (Murray et al., BMJ 2005), and the share of those deaths put on the register first.
PALLIATIVE_CAUSES = {
    "C": 0.8,
    **dict.fromkeys(("I50", "J44", "J84", "N18", "K70", "K72", "K74"), 0.5),
    **dict.fromkeys(("F00", "F01", "F02", "F03", "G30", "G20", "G12", "R54"), 0.5),
}


def _palliative(syn: Synthetic) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Register entries 1–12 months before death for part of the expected deaths.

    Only people with a condition already recorded by then get one, so the date of
    each person's first record (long-term condition prevalence) does not move. A
    stream of its own: nothing else in the population shifts.
    """
    people = syn.people
    rng = np.random.default_rng([syn.seed, 11])
    n = len(people)
    share = np.zeros(n)
    cause = np.asarray(syn.death_cause, dtype=str)
    for prefix, value in PALLIATIVE_CAUSES.items():
        share = np.where(match_array(cause, [prefix]), value, share)
    day = people.death - rng.integers(30, 366, n)
    first = people.recorded.min(axis=1)
    chosen = (rng.random(n) < share) & (people.death < END) & (first <= day) & (people.birth <= day)
    icd10 = rng.random(n) < p.ICD10_RECORDED
    who = np.flatnonzero(chosen)
    return who, day[who], icd10[who]


def tables(syn: Synthetic) -> dict[str, pa.Table]:
    """Every extract as an Arrow table, named after its warehouse table."""
    people, r = syn.people, syn.records
    died = people.death < END
    apc, ae, op = r.apc.columns(), r.ae.columns(), r.op.columns()
    gp, cc, mh = r.gp.columns(), r.community.columns(), r.mh.columns()
    sc, dt = r.social.columns(), r.death.columns()
    method = ("elective", "emergency")
    return {
        "geo_lsoa": pa.Table.from_pandas(syn.geography.lsoa, preserve_index=False),
        "geo_practice": pa.Table.from_pandas(syn.geography.practice, preserve_index=False),
        "person": pa.table(
            {
                "nhs_number": _nhs(syn, np.arange(len(people))),
                "sex": _labels(("M", "F"), people.female),
                "birth_month": _months(people.birth),
                "death_date": _dates(np.where(died, people.death, 0), keep=died),
                "lsoa": pa.array(syn.geography.lsoa["lsoa"].to_numpy()[people.lsoa]),
                "practice_code": pa.array(
                    syn.geography.practice["practice_code"].to_numpy()[people.practice]
                ),
            }
        ),
        "condition": _condition_table(syn),
        "apc_spell": pa.table(
            {
                "nhs_number": _nhs(syn, apc["person"]),
                "admit_date": _dates(apc["admit"]),
                "discharge_date": _dates(apc["discharge"]),
                "admission_method": _labels(method, apc["emergency"]),
                "primary_diagnosis": pa.array(apc["diagnosis"]),
                "provider_code": pa.array(apc["provider"]),
                "discharge_destination": _labels(DESTINATIONS, apc["destination"]),
            }
        ),
        "ae_attendance": pa.table(
            {
                "nhs_number": _nhs(syn, ae["person"]),
                "arrival_date": _dates(ae["day"]),
                "provider_code": pa.array(ae["provider"]),
                "disposal": _labels(AE_DISPOSALS, ae["disposal"]),
            }
        ),
        "op_appointment": pa.table(
            {
                "nhs_number": _nhs(syn, op["person"]),
                "appt_date": _dates(op["day"]),
                "first_or_followup": _labels(("followup", "first"), op["first"]),
                "provider_code": pa.array(op["provider"]),
                "referral_source": _labels(REFERRALS, op["referral"]),
            }
        ),
        "gp_contact": pa.table(
            {
                "nhs_number": _nhs(syn, gp["person"]),
                "contact_date": _dates(gp["day"]),
                "mode": _labels(GP_MODES, gp["mode"]),
            }
        ),
        "community_contact": pa.table(
            {
                "nhs_number": _nhs(syn, cc["person"]),
                "contact_date": _dates(cc["day"]),
                "service": _labels(COMMUNITY, cc["service"]),
            }
        ),
        "mh_contact": pa.table(
            {
                "nhs_number": _nhs(syn, mh["person"]),
                "contact_date": _dates(mh["day"]),
                "service": _labels(MENTAL_HEALTH, mh["service"]),
            }
        ),
        "social_care": pa.table(
            {
                "nhs_number": _nhs(syn, sc["person"]),
                "start_date": _dates(sc["start"]),
                "end_date": _dates(np.minimum(sc["end"], 0 + END), keep=sc["end"] < END),
                "service": _labels(SERVICES, sc["service"]),
            }
        ),
        "death": pa.table(
            {
                "nhs_number": _nhs(syn, dt["person"]),
                "date_of_death": _dates(dt["day"]),
                "underlying_cause": pa.array(dt["cause"]),
                "place_of_death": _labels(PLACES, dt["place"]),
            }
        ),
    }


def truth_table(syn: Synthetic) -> pa.Table:
    t = syn.records.truth.columns()
    labels = tuple(f"{y}/{(y + 1) % 100:02d}" for y in range(p.FIRST_YEAR, p.FIRST_YEAR + p.YEARS))
    return pa.table({
        "nhs_number": _nhs(syn, t["person"]),
        "financial_year": _labels(labels, t["year"]),
        "emergency_probability": pa.array(t["probability"]),
        "emergency_rate": pa.array(t["emergency_rate"]),
        "death_hazard": pa.array(t["death_hazard"]),
    })  # fmt: skip


def write(
    syn: Synthetic,
    out: Path,
    *,
    fmt: str = "parquet",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write every extract, the truth file and the manifest; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    (out / TRUTH.parent).mkdir(exist_ok=True)
    files: dict[str, Any] = {}
    for name, table in [*tables(syn).items(), ("truth", truth_table(syn))]:
        path = out / TRUTH if name == "truth" else out / f"{name}.{fmt}"
        _check_columns(name, table)
        if fmt == "csv" and name != "truth":
            pa_csv.write_csv(table, path)
        else:
            pq.write_table(table, path, compression="zstd")
        files[str(path.relative_to(out))] = {"rows": table.num_rows, "sha256": sha256(path)}
        if progress is not None:
            progress(name)
    manifest = {
        "generator": f"placehealth {__version__} synth",
        "place": syn.place.id,
        "persons": syn.persons,
        "seed": syn.seed,
        "financial_years": f"{p.FIRST_YEAR}/{(p.FIRST_YEAR + 1) % 100:02d}-"
        f"{p.FIRST_YEAR + p.YEARS - 1}/{(p.FIRST_YEAR + p.YEARS) % 100:02d}",
        "format": fmt,
        "truth": str(TRUTH),
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _check_columns(name: str, table: pa.Table) -> None:
    """The generator and the schema must agree on every extract's columns."""
    if name == "truth":
        return
    expected = [c.extract_name for c in schema.TABLES[name].required_extract_columns]
    if table.column_names != expected:  # pragma: no cover - a programming error
        raise AssertionError(f"{name}: {table.column_names} != {expected}")
