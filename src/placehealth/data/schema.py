"""The warehouse's canonical tables (DESIGN §4) as code.

One definition serves four readers: the DDL that creates the DuckDB warehouse,
the validation rules that ingestion applies to extracts, the synthetic
generator that writes extracts, and the generated data dictionary
(``docs/data-dictionary.md``). Change a table here and all four follow.

Extracts carry ``nhs_number`` where the warehouse carries ``person_key`` (the
keyed hash that replaces it at ingestion); a few columns exist only in the
warehouse (``load_id``, the condition group derived from the code). Event
tables take an optional ``record_id``, the source system's identifier, which
makes a later row with the same id a correction of the earlier one.
"""

from __future__ import annotations

from placehealth.data.columns import Column, Kind, Role, Rule, Table

SCHEMA_VERSION = 2

# ---------------------------------------------------------------------------
# shared columns

PERSON_KEY = Column(
    "person_key",
    Kind.PERSON_KEY,
    "HMAC-SHA256 of the NHS number under the place's secret key, 64 hex characters. "
    "Extracts carry the 10-digit NHS number (Modulus 11 checked) in a column named nhs_number.",
    references="person.person_key",
)
LOAD_ID = Column(
    "load_id", Kind.INTEGER, "The load that added the row (load_log.load_id).", in_extract=False
)
RECORD_ID = Column(
    "record_id",
    Kind.RECORD_ID,
    "The source system's identifier of the record (e.g. the spell or attendance id), if the "
    "extract has one. A later row with the same record_id replaces the earlier one (a "
    "correction); rows without one are matched on every column. Optional in extracts.",
    nullable=True,
    optional=True,
)
PROVIDER = Column(
    "provider_code", Kind.CODE, "ODS code of the provider organisation (3 to 5 letters or digits)."
)


def _contact(name: str, grain: str, description: str, services: tuple[str, ...]) -> Table:
    return Table(
        name,
        grain,
        description,
        Role.EVENT,
        (
            PERSON_KEY,
            Column("contact_date", Kind.DATE, "Date of the contact."),
            Column("service", Kind.ENUM, "Service that made the contact.", values=services),
            RECORD_ID,
            LOAD_ID,
        ),
        event_date="contact_date",
        key=("record_id",),
    )


SEXES = ("M", "F")
ADMISSION_METHODS = ("elective", "emergency")
DISCHARGE_DESTINATIONS = ("home", "care_home", "other_hospital", "died", "other")
AE_DISPOSALS = ("discharged", "admitted", "referred", "left", "died")
OP_KINDS = ("first", "followup")
REFERRAL_SOURCES = ("gp", "consultant", "ae", "other")
GP_MODES = ("face_to_face", "telephone", "home_visit", "online")
COMMUNITY_SERVICES = (
    "district_nursing",
    "community_matron",
    "therapy",
    "podiatry",
    "intermediate_care",
)
MH_SERVICES = ("iapt", "community_mental_health", "crisis", "memory_clinic", "learning_disability")
SOCIAL_CARE_SERVICES = ("reablement", "home_care", "residential", "nursing")
PLACES_OF_DEATH = ("hospital", "home", "care_home", "hospice", "other")
CODE_SYSTEMS = ("snomed", "icd10")

GEO_LSOA = Table(
    "geo_lsoa",
    "Lower-layer super output area (LSOA)",
    "Where each LSOA sits: its neighbourhood, its deprivation and its place. "
    "Synthetic codes contain 'SYN'.",
    Role.REFERENCE,
    (
        Column("lsoa", Kind.CODE, "LSOA code (E01…; synthetic E01SYN…)."),
        Column("lsoa_name", Kind.TEXT, "LSOA name."),
        Column("neighbourhood", Kind.CODE, "Neighbourhood code (synthetic NBSYN…)."),
        Column("neighbourhood_name", Kind.TEXT, "Neighbourhood name."),
        Column(
            "imd_decile",
            Kind.INTEGER,
            "National Index of Multiple Deprivation decile: 1 most deprived, 10 least.",
            minimum=1,
            maximum=10,
        ),
        Column(
            "imd_score", Kind.NUMBER, "IMD score (higher is more deprived).", minimum=0, maximum=100
        ),
        Column("place", Kind.TEXT, "The place (local authority area) the LSOA belongs to."),
        LOAD_ID,
    ),
    key=("lsoa",),
)

GEO_PRACTICE = Table(
    "geo_practice",
    "GP practice",
    "Which Primary Care Network (PCN) each practice belongs to. Synthetic codes start SYN.",
    Role.REFERENCE,
    (
        Column("practice_code", Kind.CODE, "Practice ODS code (synthetic SYN…)."),
        Column("practice_name", Kind.TEXT, "Practice name."),
        Column("pcn", Kind.CODE, "PCN code (synthetic USYN…)."),
        Column("pcn_name", Kind.TEXT, "PCN name."),
        Column(
            "neighbourhood",
            Kind.CODE,
            "Neighbourhood where the practice is based.",
            references="geo_lsoa.neighbourhood",
        ),
        Column("place", Kind.TEXT, "The place the practice serves."),
        LOAD_ID,
    ),
    key=("practice_code",),
)

PERSON = Table(
    "person",
    "Resident (registered patient)",
    "One row per person, keyed by the pseudonymised NHS number. A later extract "
    "replaces a person's attributes (a move, a death), never duplicates the person.",
    Role.PERSON,
    (
        Column(
            "person_key",
            Kind.PERSON_KEY,
            PERSON_KEY.description,
        ),
        Column("sex", Kind.ENUM, "Sex: M or F.", values=SEXES),
        Column(
            "birth_month",
            Kind.MONTH,
            "Month of birth, stored as its first day (extracts may give YYYY-MM or a full "
            "date; the day is dropped).",
        ),
        Column("death_date", Kind.DATE, "Date of death; empty while alive.", nullable=True),
        Column("lsoa", Kind.CODE, "LSOA of residence.", references="geo_lsoa.lsoa"),
        Column(
            "practice_code",
            Kind.CODE,
            "GP practice of registration.",
            references="geo_practice.practice_code",
        ),
        LOAD_ID,
    ),
    key=("person_key",),
    rules=(Rule("death_date", "death_date >= birth_month", "death before birth"),),
)

CONDITION = Table(
    "condition",
    "Diagnosis on the GP record",
    "A coded diagnosis and the date it was recorded. Only codes in the condition code "
    "list (src/placehealth/data/codelists/conditions.yaml) are accepted; each is "
    "mapped to its condition group.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("code_system", Kind.ENUM, "snomed or icd10.", values=CODE_SYSTEMS),
        Column(
            "code",
            Kind.CLINICAL_CODE,
            "SNOMED CT concept id (Verhoeff check digit) or ICD-10 code, as code_system says.",
        ),
        Column("recorded_date", Kind.DATE, "Date the diagnosis was recorded."),
        Column(
            "condition",
            Kind.TEXT,
            "Condition group of the code (e.g. copd, dementia), from the code list.",
            in_extract=False,
        ),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="recorded_date",
    key=("record_id",),
)

APC_SPELL = Table(
    "apc_spell",
    "Hospital spell (admitted patient care)",
    "A stay in hospital from admission to discharge. Bed-days are discharge_date − admit_date.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("admit_date", Kind.DATE, "Date of admission."),
        Column(
            "discharge_date",
            Kind.DATE,
            "Date of discharge; empty while in hospital.",
            nullable=True,
        ),
        Column("admission_method", Kind.ENUM, "elective or emergency.", values=ADMISSION_METHODS),
        Column("primary_diagnosis", Kind.ICD10, "Primary diagnosis of the spell (ICD-10)."),
        PROVIDER,
        Column(
            "discharge_destination",
            Kind.ENUM,
            "Where the patient went on discharge.",
            values=DISCHARGE_DESTINATIONS,
            nullable=True,
        ),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="admit_date",
    key=("record_id",),
    rules=(
        Rule("discharge_date", "discharge_date >= admit_date", "discharge before admission"),
        Rule(
            "discharge_date",
            "_death_date IS NULL OR discharge_date <= _death_date",
            "discharge after death",
        ),
    ),
)

AE_ATTENDANCE = Table(
    "ae_attendance",
    "A&E attendance",
    "An attendance at an accident and emergency department or walk-in centre.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("arrival_date", Kind.DATE, "Date of arrival."),
        PROVIDER,
        Column(
            "disposal",
            Kind.ENUM,
            "What happened at the end of the attendance.",
            values=AE_DISPOSALS,
        ),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="arrival_date",
    key=("record_id",),
)

OP_APPOINTMENT = Table(
    "op_appointment",
    "Outpatient attendance",
    "An attended outpatient appointment.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("appt_date", Kind.DATE, "Date of the appointment."),
        Column("first_or_followup", Kind.ENUM, "first or followup.", values=OP_KINDS),
        PROVIDER,
        Column("referral_source", Kind.ENUM, "Who referred.", values=REFERRAL_SOURCES),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="appt_date",
    key=("record_id",),
)

GP_CONTACT = Table(
    "gp_contact",
    "Primary care contact",
    "A consultation with a GP or practice clinician.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("contact_date", Kind.DATE, "Date of the contact."),
        Column("mode", Kind.ENUM, "How the contact happened.", values=GP_MODES),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="contact_date",
    key=("record_id",),
)

COMMUNITY_CONTACT = _contact(
    "community_contact",
    "Community health contact",
    "A contact with a community health service (district nursing, therapy…).",
    COMMUNITY_SERVICES,
)
MH_CONTACT = _contact(
    "mh_contact",
    "Mental health contact",
    "A contact with a mental health or learning disability service.",
    MH_SERVICES,
)

SOCIAL_CARE = Table(
    "social_care",
    "Adult social care service episode",
    "A period of reablement, home care, or a residential or nursing care-home placement. "
    "A person's first residential or nursing episode is their permanent care-home admission.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("start_date", Kind.DATE, "First day of the service."),
        Column("end_date", Kind.DATE, "Last day of the service; empty while open.", nullable=True),
        Column("service", Kind.ENUM, "Kind of service.", values=SOCIAL_CARE_SERVICES),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="start_date",
    key=("record_id",),
    rules=(Rule("end_date", "end_date >= start_date", "service ends before it starts"),),
)

DEATH = Table(
    "death",
    "Registered death",
    "A death registration with its underlying cause.",
    Role.EVENT,
    (
        PERSON_KEY,
        Column("date_of_death", Kind.DATE, "Date of death."),
        Column("underlying_cause", Kind.ICD10, "Underlying cause of death (ICD-10)."),
        Column("place_of_death", Kind.ENUM, "Where the person died.", values=PLACES_OF_DEATH),
        RECORD_ID,
        LOAD_ID,
    ),
    event_date="date_of_death",
    key=("record_id",),
)

LOAD_LOG = Table(
    "load_log",
    "One extract file in one load",
    "What each load read, accepted, skipped as already loaded, and quarantined.",
    Role.BOOKKEEPING,
    (
        Column("load_id", Kind.INTEGER, "Number of the load (1, 2, …)."),
        Column("loaded_at", Kind.TIMESTAMP, "When the load was committed (UTC)."),
        Column("source", Kind.TEXT, "The extract folder."),
        Column("file", Kind.TEXT, "The extract file's name."),
        Column("table_name", Kind.TEXT, "The table it was loaded into."),
        Column("file_sha256", Kind.TEXT, "SHA-256 of the file's bytes."),
        Column(
            "status",
            Kind.ENUM,
            "loaded, or skipped (the same bytes were loaded before with no row held back, "
            "and no row of the table was removed since).",
            values=("loaded", "skipped"),
        ),
        Column("rows_read", Kind.INTEGER, "Data rows in the file."),
        Column("rows_added", Kind.INTEGER, "Rows added to the table."),
        Column(
            "rows_updated",
            Kind.INTEGER,
            "Rows changed in place (a person, a lookup, an event with the same record_id).",
        ),
        Column("rows_duplicate", Kind.INTEGER, "Valid rows already in the warehouse."),
        Column(
            "rows_quarantined",
            Kind.INTEGER,
            "Rows refused (see quarantine). rows_read = rows_added + rows_updated + "
            "rows_duplicate + rows_quarantined.",
        ),
    ),
)

REMOVAL_LOG = Table(
    "removal_log",
    "Rows removed from one table at one time",
    "What was removed, when, by whom and why: people who opted out (placehealth optout) and "
    "events after a newly recorded death (removed by the load that recorded it). Counts "
    "only: no NHS number or person key is kept here.",
    Role.BOOKKEEPING,
    (
        Column("removed_at", Kind.TIMESTAMP, "When the removal was committed (UTC)."),
        Column("removed_by", Kind.TEXT, "The operating-system user who ran the command."),
        Column("reason", Kind.TEXT, "opted out, or after the person's death."),
        Column("table_name", Kind.TEXT, "The table rows were removed from."),
        Column("rows_removed", Kind.INTEGER, "Rows removed from it."),
        Column(
            "load_id",
            Kind.INTEGER,
            "The load that removed them (after a death); empty for an opt-out.",
            nullable=True,
        ),
    ),
)

OPTED_OUT = Table(
    "opted_out",
    "Person who opted out",
    "The person keys (keyed hashes, never NHS numbers) of people removed under the national "
    "data opt-out. A load refuses their rows (quarantined as opted out), so an old extract "
    "cannot bring them back.",
    Role.BOOKKEEPING,
    (
        Column(
            "person_key",
            Kind.PERSON_KEY,
            "HMAC-SHA256 of the NHS number under the place's key.",
            in_extract=False,
        ),
    ),
)

QUARANTINE = Table(
    "quarantine",
    "One problem with one extract row",
    "Why a row was refused. A row may have several problems; it is refused once. "
    "NHS numbers are never kept, wherever they appear.",
    Role.BOOKKEEPING,
    (
        Column("load_id", Kind.INTEGER, "The load that refused the row."),
        Column("file", Kind.TEXT, "The extract file's name."),
        Column("row", Kind.INTEGER, "Data row number in the file (1 = first row after a header)."),
        Column("column_name", Kind.TEXT, "The column at fault."),
        Column("reason", Kind.TEXT, "What is wrong."),
        Column(
            "value",
            Kind.TEXT,
            "The offending value; empty for NHS numbers and for any value that passes "
            "the NHS number check.",
            nullable=True,
        ),
    ),
)

WAREHOUSE_META = Table(
    "warehouse_meta",
    "Warehouse setting",
    "Settings fixed when the warehouse was created: the schema version and a check value "
    "of the pseudonymisation key (an HMAC of a fixed text, so a load with another key "
    "is refused; the key itself is never stored).",
    Role.BOOKKEEPING,
    (
        Column("name", Kind.TEXT, "Setting name."),
        Column("value", Kind.TEXT, "Setting value."),
    ),
)

GEOGRAPHY: tuple[Table, ...] = (GEO_LSOA, GEO_PRACTICE)
RECORDS: tuple[Table, ...] = (
    PERSON,
    CONDITION,
    APC_SPELL,
    AE_ATTENDANCE,
    OP_APPOINTMENT,
    GP_CONTACT,
    COMMUNITY_CONTACT,
    MH_CONTACT,
    SOCIAL_CARE,
    DEATH,
)
BOOKKEEPING: tuple[Table, ...] = (
    LOAD_LOG,
    QUARANTINE,
    REMOVAL_LOG,
    OPTED_OUT,
    WAREHOUSE_META,
)
LOADABLE: tuple[Table, ...] = GEOGRAPHY + RECORDS
"""Tables an extract folder may hold, in the order a load applies them."""
ALL: tuple[Table, ...] = LOADABLE + BOOKKEEPING
TABLES: dict[str, Table] = {t.name: t for t in ALL}
