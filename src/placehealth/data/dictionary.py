"""The data dictionary (docs/data-dictionary.md), generated from the schema code.

The committed file is checked against :func:`render` by a test, so it cannot
drift from the tables ingestion actually builds. Regenerate with
``uv run python -m placehealth.data.dictionary``.
"""

from __future__ import annotations

from pathlib import Path

from placehealth.data import schema as s
from placehealth.data.codes import ICD10_PATTERN
from placehealth.data.conditions import condition_list
from placehealth.data.identifiers import NOT_SCANNED, SCANNED

PATH = Path(__file__).resolve().parents[3] / "docs" / "data-dictionary.md"

_CHECKS = {
    s.Kind.PERSON_KEY: "extract: 10 digits (spaces and hyphens ignored) passing Modulus 11; "
    "not a placeholder (all ten digits the same, e.g. 0000000000); not from the 999 test "
    "range unless the load is declared synthetic (`ingest --synthetic`); hashed before "
    "it is stored; must be a person already loaded or in the same load",
    s.Kind.DATE: "YYYY-MM-DD, between 1900-01-01 and the day of the load",
    s.Kind.MONTH: "YYYY-MM or YYYY-MM-DD, between 1900-01 and the day of the load",
    s.Kind.ICD10: f"ICD-10 shape `{ICD10_PATTERN}`; stored upper case with the dot (J44.1)",
    s.Kind.CLINICAL_CODE: "SNOMED CT concept id (6–18 digits, partition 00 or 10, Verhoeff "
    "check digit) or ICD-10 code; must be in the condition code list",
    s.Kind.CODE: "letters and digits",
    s.Kind.RECORD_ID: (
        "any text, stored as its keyed hash; unique within the table "
        "(a repeat in one file is refused)"
    ),
    s.Kind.INTEGER: "a whole number",
    s.Kind.NUMBER: "a number",
}

_ROLES = {
    s.Role.REFERENCE: "Lookup: a load inserts new keys and updates changed rows.",
    s.Role.PERSON: "A load inserts new people and updates the attributes of people it already has.",
    s.Role.EVENT: "A load appends rows. A row with a `record_id` already loaded replaces that "
    "row (a correction); a row without one is not added again if an identical row is already "
    "loaded (as a multiset). Rows dated after the person's death are removed when the death "
    "is recorded.",
    s.Role.BOOKKEEPING: "Written by ingestion itself; not loadable from an extract.",
}


def _format(column: s.Column) -> str:
    parts = []
    if column.values:
        parts.append("one of " + ", ".join(f"`{v}`" for v in column.values))
    elif column.in_extract and column.kind in _CHECKS:
        parts.append(_CHECKS[column.kind])
    if column.minimum is not None:
        parts.append(f"{column.minimum:g} to {column.maximum:g}")
    if column.references and column.kind is not s.Kind.PERSON_KEY:
        parts.append(f"must exist in `{column.references}`")
    if not column.in_extract:
        parts.append("set by ingestion")
    elif column.kind in SCANNED:
        parts.append(WRONG_COLUMN_TEXT)
    elif column.kind not in NOT_SCANNED:
        parts.append(WRONG_COLUMN_SHAPE)
    return "; ".join(parts)


WRONG_COLUMN_TEXT = "a valid NHS number anywhere in it refuses the row (wrong column)"
WRONG_COLUMN_SHAPE = "anything shaped like an NHS number refuses the row (wrong column)"


def _table(table: s.Table) -> list[str]:
    lines = [f"## `{table.name}`", "", f"**Grain:** {table.grain}. {table.description}", ""]
    lines.append(_ROLES[table.role])
    if table.key:
        lines.append(f"Key: {', '.join(f'`{k}`' for k in table.key)}.")
    lines += [
        "",
        "| column | type | required | description | format and checks |",
        "|---|---|---|---|---|",
    ]
    for c in table.columns:
        name = f"`{c.name}`" + (" (extract: `nhs_number`)" if c.kind is s.Kind.PERSON_KEY else "")
        required = "no (may be left out)" if c.optional else "no" if c.nullable else "yes"
        lines.append(f"| {name} | {c.sql_type} | {required} | {c.description} | {_format(c)} |")
    rules = [f"`{r.column}`: {r.reason} is refused" for r in table.rules]
    if table.event_date:
        rules.insert(0, f"`{table.event_date}` before the person's birth month or after their "
                        "death is refused")  # fmt: skip
    if rules:
        lines += ["", "Impossible values: " + "; ".join(rules) + "."]
    return [*lines, ""]


def render() -> str:
    """The whole data dictionary as Markdown."""
    codes = condition_list()
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated from src/placehealth/data/schema.py; do not edit by hand. -->",
        "<!-- Regenerate: uv run python -m placehealth.data.dictionary -->",
        "",
        f"Warehouse schema version {s.SCHEMA_VERSION}. The warehouse is one DuckDB file. "
        "Extract files are named after their table (`person.csv`, `apc_spell.parquet`, …) "
        "and carry the extract columns below, with `nhs_number` in place of `person_key`. "
        "See docs/warehouse.md for loading and the synthetic population.",
        "",
        "Tables an extract folder may hold, in the order a load applies them: "
        + ", ".join(f"`{t.name}`" for t in s.LOADABLE)
        + ". Tables ingestion writes itself: "
        + ", ".join(f"`{t.name}`" for t in s.BOOKKEEPING)
        + ".",
        "",
        "Every required column must be present and non-empty; a row with any problem is "
        "quarantined (listed in `quarantine` and the load's report) and not loaded. An NHS "
        "number belongs in `nhs_number` only: one found in another column refuses its row, "
        "and no value that looks like an NHS number is copied into the quarantine.",
        "",
    ]
    for table in s.ALL:
        lines += _table(table)
    lines += [
        f"## Condition code list ({codes.version})",
        "",
        codes.purpose,
        "",
        f"Source: {codes.source}",
        "",
        "| condition | name | SNOMED CT | ICD-10 |",
        "|---|---|---|---|",
    ]
    for c in codes.conditions:
        lines.append(f"| `{c.id}` | {c.name} | {', '.join(c.snomed)} | {', '.join(c.icd10)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
