"""Validation of one staged extract, as DuckDB SQL over whole columns.

A staged extract is a temporary table of text cells with their row numbers.
:func:`typed` turns it into typed columns next to the raw text (a cell that
cannot be read becomes null), with the pseudonymised person key and the NHS
number's status from staging (the number itself is never staged), joined to
the person it refers to. :func:`problems` then collects every problem as one
row (row, column, reason, value) with one set-based query per check, never a
loop over rows. Values of NHS-number columns, and any value shaped like an NHS
number, are never copied into problems.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from placehealth.data import schema as s
from placehealth.data.codes import (
    ICD10_PATTERN,
    icd10_shape_sql,
    is_icd10,
    is_snomed_concept,
    normalise_icd10,
    normalise_icd10_sql,
)
from placehealth.data.conditions import condition_list
from placehealth.data.extracts import ROW
from placehealth.data.identifiers import MASKED, NOT_SCANNED, shown_sql
from placehealth.data.identifiers import REASON as IDENTIFIER_REASON
from placehealth.data.nhs_number import REFUSED

RAW = "r_"  # prefix of the raw text columns in the typed table
CODE_PATTERN = "[A-Za-z0-9]+"

_DATE_FORMATS = "['%Y-%m-%d', '%Y-%m-%d %H:%M:%S']"
_MONTH_FORMATS = "['%Y-%m', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S']"


def _typed_expr(column: s.Column, raw: str) -> str:
    """SQL reading one raw text column as its kind; null where it cannot."""
    k = column.kind
    if k is s.Kind.DATE:
        return f"CAST(try_strptime(trim({raw}), {_DATE_FORMATS}) AS DATE)"
    if k is s.Kind.MONTH:
        return f"CAST(date_trunc('month', try_strptime(trim({raw}), {_MONTH_FORMATS})) AS DATE)"
    if k is s.Kind.ENUM:
        cases = " ".join(f"WHEN '{v.lower()}' THEN '{v}'" for v in column.values)
        return f"CASE lower(trim({raw})) {cases} END"
    if k is s.Kind.ICD10:
        return f"CASE WHEN {icd10_shape_sql(raw)} THEN {normalise_icd10_sql(raw)} END"
    if k is s.Kind.CODE:
        shaped = f"regexp_full_match(trim({raw}), '{CODE_PATTERN}')"
        return f"CASE WHEN {shaped} THEN upper(trim({raw})) END"
    if k is s.Kind.INTEGER:
        return f"TRY_CAST(trim({raw}) AS BIGINT)"
    if k is s.Kind.NUMBER:
        return f"TRY_CAST(trim({raw}) AS DOUBLE)"
    return f"nullif(trim({raw}), '')"


_UNREADABLE = {
    s.Kind.DATE: "not a date (write YYYY-MM-DD)",
    s.Kind.MONTH: "not a month (write YYYY-MM)",
    s.Kind.ICD10: "not an ICD-10 code (e.g. J44.1)",
    s.Kind.CODE: "not a code (letters and digits only)",
    s.Kind.INTEGER: "not a whole number",
    s.Kind.NUMBER: "not a number",
}


def code_map(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    """Temp table ``codes`` of the extract's distinct condition codes, checked and grouped.

    Distinct codes are few, so the shape checks (Verhoeff for SNOMED CT) run in numpy
    and the code-list lookup in Python over them, then join back to every row.
    """
    distinct = con.sql(
        f"SELECT DISTINCT lower(trim(code_system)) AS code_system, code AS raw "
        f"FROM {stage} WHERE code IS NOT NULL"
    ).df()
    raw = distinct["raw"].astype(str).str.strip()
    snomed = distinct["code_system"].eq("snomed").to_numpy()
    shaped = pd.Series(False, index=distinct.index)
    if snomed.any():
        shaped[snomed] = is_snomed_concept(raw[snomed].to_numpy())
    if (~snomed).any():
        shaped[~snomed] = is_icd10(raw[~snomed].to_numpy())
    code = [
        (c if sn else normalise_icd10(c)) if ok else None
        for c, sn, ok in zip(raw, snomed, shaped, strict=True)
    ]
    frame = pd.DataFrame(
        {"code_system": distinct["code_system"], "raw": distinct["raw"], "code": code}
    )
    known = condition_list().map_codes(frame.dropna(subset=["code"]))
    frame = frame.merge(known[["code_system", "raw", "condition"]], how="left")
    frame["shaped"] = shaped.to_numpy()
    con.register("codes_frame", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE codes AS SELECT * FROM codes_frame")
    con.unregister("codes_frame")


def typed(con: duckdb.DuckDBPyConnection, table: s.Table, stage: str, target: str) -> None:
    """Create temp table ``target``: row number, raw cells, typed cells, the person's dates."""
    select = [f"st.{ROW}", f"st.{MASKED}"]
    joins = []
    for column in table.extract_columns:
        if column.kind is s.Kind.PERSON_KEY:  # the stage holds the number's status, not the number
            select += [f"st.nhs_status AS {RAW}{column.name}", f"st.person_key AS {column.name}"]
            continue
        raw = f"st.{column.name}"
        select.append(f"{raw} AS {RAW}{column.name}")
        if column.kind is s.Kind.CLINICAL_CODE:
            select += ["cm.code AS code", "cm.shaped AS _code_shaped", "cm.condition AS condition"]
            joins.append(
                "LEFT JOIN codes cm ON cm.code_system = lower(trim(st.code_system)) "
                "AND cm.raw = st.code"
            )
        else:
            select.append(f"{_typed_expr(column, raw)} AS {column.name}")
    if table.role is s.Role.EVENT:
        select += ["p.person_key IS NOT NULL AS _known", "p.birth_month AS _birth_month",
                   "p.death_date AS _death_date"]  # fmt: skip
        joins.append("LEFT JOIN person p ON p.person_key = st.person_key")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT {', '.join(select)} "
        f"FROM {stage} st {' '.join(joins)}"
    )


_SNOMED_OR_ICD10 = (
    "CASE WHEN lower(trim(r_code_system)) = 'snomed' "
    "THEN 'not a SNOMED CT concept id (digits, partition or check digit wrong)' "
    f"ELSE 'not an ICD-10 code ({ICD10_PATTERN})' END"
)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Checks:
    """Collects one SELECT per check; each returns the rows that fail it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sql: list[str] = []

    def add(self, column: str, where: str, reason: str, value: str | None, *,
            reason_is_sql: bool = False, source: str | None = None) -> None:  # fmt: skip
        shown = shown_sql(value) if value else "CAST(NULL AS VARCHAR)"
        why = reason if reason_is_sql else _lit(reason)
        self.sql.append(
            f"SELECT {ROW}, '{column}' AS column_name, {why} AS reason, {shown} AS value "
            f"FROM {source or self.source} WHERE {where}"
        )


def _column_checks(checks: _Checks, table: s.Table, column: s.Column, today: dt.date) -> None:
    name, raw, label = column.name, f"{RAW}{column.name}", column.extract_name
    shown = None if column.kind is s.Kind.PERSON_KEY else raw
    present = f"nullif(trim({raw}), '') IS NOT NULL"
    unread = f"{present} AND {name} IS NULL"
    masked = f"list_contains({MASKED}, '{label}')"  # the cell held an NHS number (staging)
    if not column.nullable:
        checks.add(label, f"NOT ({present}) AND NOT {masked}", "missing value", shown)
    if column.kind not in NOT_SCANNED:
        checks.add(label, masked, IDENTIFIER_REASON, None)
    if column.kind is s.Kind.PERSON_KEY:  # raw is the number's status (see extracts.stage)
        for status, reason in REFUSED.items():
            checks.add(label, f"{raw} = '{status}'", reason, None)
        if table.role is s.Role.EVENT:
            orphan = "no person with this NHS number (orphan record)"
            checks.add(label, f"{name} IS NOT NULL AND NOT _known", orphan, None)
    elif column.kind is s.Kind.ENUM:
        checks.add(label, unread, f"unknown value (allowed: {', '.join(column.values)})", shown)
    elif column.kind is s.Kind.CLINICAL_CODE:
        wrong = f"{present} AND NOT coalesce(_code_shaped, FALSE)"
        checks.add(label, wrong, _SNOMED_OR_ICD10, shown, reason_is_sql=True)
        unknown = "unknown code: not in the condition code list"
        checks.add(label, "_code_shaped AND condition IS NULL", unknown, shown)
    elif column.kind in _UNREADABLE:
        checks.add(label, unread, _UNREADABLE[column.kind], shown)
    if column.kind in (s.Kind.DATE, s.Kind.MONTH):
        late = f"{name} < DATE '1900-01-01' OR {name} > DATE '{today.isoformat()}'"
        checks.add(label, late, "date out of range (1900-01-01 to the day of the load)", shown)
    if column.minimum is not None:
        bounds = f"{column.minimum:g} to {column.maximum:g}"
        where = f"{name} < {column.minimum} OR {name} > {column.maximum}"
        checks.add(label, where, f"out of range ({bounds})", shown)
    if column.references and column.kind is not s.Kind.PERSON_KEY:
        ref_table, ref_column = column.references.split(".")
        where = f"{name} IS NOT NULL AND {name} NOT IN (SELECT {ref_column} FROM {ref_table})"
        checks.add(label, where, f"not in {column.references}", shown)


def checks(table: s.Table, target: str, today: dt.date) -> list[str]:
    """One SELECT per check over the typed table ``target``."""
    found = _Checks(target)
    for column in table.extract_columns:
        _column_checks(found, table, column, today)
    if table.event_date:
        d = table.event_date
        found.add(d, f"{d} < _birth_month", "before the person's birth", d)
        found.add(d, f"{d} > _death_date", "after the person's death", d)
    for rule in table.rules:
        found.add(rule.column, f"NOT coalesce({rule.sql}, TRUE)", rule.reason, rule.column)
    if table.key:
        key = ", ".join(table.key)
        first = table.column(table.key[0])
        numbered = (
            f"(SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY {ROW}) AS _n "
            f"FROM {target} WHERE {' AND '.join(f'{k} IS NOT NULL' for k in table.key)})"
        )
        shown = None if first.kind is s.Kind.PERSON_KEY else first.name
        repeated = "repeated in the file (the first row is kept)"
        found.add(first.extract_name, "_n > 1", repeated, shown, source=numbered)
    return found.sql


def problems(con: duckdb.DuckDBPyConnection, table: s.Table, target: str, today: dt.date) -> int:
    """Create temp table ``problems`` for ``target``; return the number of refused rows."""
    union = "\nUNION ALL\n".join(checks(table, target, today))
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {union}")
    row = con.execute(f"SELECT count(DISTINCT {ROW}) FROM problems").fetchall()[0]
    return int(row[0]) if row else 0
