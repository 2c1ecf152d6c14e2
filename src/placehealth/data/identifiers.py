"""NHS numbers where they do not belong: in free text, in codes, in any other column.

An extract may carry an NHS number outside ``nhs_number``: typed into a name
or a code, or a whole column shifted by a bad export. Staging replaces such a
cell by null before it reaches DuckDB's storage and records the column in the
row's ``_masked`` list (:func:`masked_columns_sql`); validation then refuses
the row, saying which column held the number. Nothing is stored, spilled or
reported raw.

Which cells count, by what the column holds:

* free text and codes (:data:`SCANNED`), which may legitimately hold digits:
  a valid NHS number (Modulus 11), ten digits alone or grouped 3-3-4 by spaces
  or hyphens, anywhere in the text (:func:`holds_nhs_number_sql`);
* dates, numbers and categories, where ten digits are never right: anything
  shaped like an NHS number (:func:`shaped_sql`, the twin of
  :data:`placehealth.redact.NHS_NUMBER_SHAPE`), check digit or not;
* clinical codes are left to their own checks: a SNOMED CT concept id can be
  ten digits, and only ids in the condition code list are accepted.

A quarantined value is never copied when it is shaped like an NHS number
(:func:`shown_sql`).
"""

from __future__ import annotations

from placehealth.data import columns as c
from placehealth.data.nhs_number import normalise_sql, valid_sql

MASKED = "_masked"
SCANNED = (c.Kind.TEXT, c.Kind.CODE)
# a record id is kept only as its keyed hash (extracts.stage), so it is never at rest in
# the clear whatever it holds; refusing ten-digit ids would refuse one numeric id in eleven
NOT_SCANNED = (c.Kind.PERSON_KEY, c.Kind.CLINICAL_CODE, c.Kind.RECORD_ID)
REASON = (
    "holds an NHS number; identifiers belong only in nhs_number "
    "(remove it from this column and load the file again)"
)
# RE2 (DuckDB) has no look-around or back-references: the boundaries are consumed and
# the two grouped forms are spelled out. The same shapes as placehealth.redact.
_SHAPE = "(^|[^0-9])([0-9]{10}|[0-9]{3} [0-9]{3} [0-9]{4}|[0-9]{3}-[0-9]{3}-[0-9]{4})([^0-9]|$)"
_TOKENS = "[0-9]+(?:[ -][0-9]+)*"  # maximal runs of digit groups joined by one space or hyphen


def shaped_sql(column: str) -> str:
    """SQL: true when the text holds anything written as an NHS number can be."""
    return f"coalesce(regexp_matches(CAST({column} AS VARCHAR), '{_SHAPE}'), FALSE)"


def holds_nhs_number_sql(column: str) -> str:
    """SQL: true when the text holds a valid NHS number, alone or among other text.

    Each run of digit groups is split at its spaces and hyphens; a group of ten
    digits, or three consecutive groups of three, three and four digits, is a
    candidate, and any candidate passing Modulus 11 counts.
    """
    candidates = (
        "list_concat([x for x in g if length(x) = 10], "
        "[g[i] || g[i + 1] || g[i + 2] for i in range(1, length(g) - 1) "
        "if length(g[i]) = 3 AND length(g[i + 1]) = 3 AND length(g[i + 2]) = 4])"
    )
    per_token = (
        f"list_transform(regexp_extract_all(CAST({column} AS VARCHAR), '{_TOKENS}'), "
        f"lambda t: list_transform([string_split_regex(t, '[ -]')], lambda g: {candidates})[1])"
    )
    valid = valid_sql("n")
    return (
        f"({shaped_sql(column)} AND len(list_filter(flatten({per_token}), lambda n: {valid})) > 0)"
    )


def cell_holds_sql(column: c.Column, cell: str) -> str | None:
    """SQL true when ``cell`` of ``column`` holds an identifier; None for columns not scanned."""
    if column.kind in NOT_SCANNED:
        return None
    return holds_nhs_number_sql(cell) if column.kind in SCANNED else shaped_sql(cell)


def masked_columns_sql(cells: dict[str, tuple[c.Column, str]]) -> str:
    """SQL for the row's list of columns (by extract name) whose cell held an identifier."""
    flags = [
        f"CASE WHEN {holds} THEN '{name}' END"
        for name, (column, cell) in cells.items()
        if (holds := cell_holds_sql(column, cell)) is not None
    ]
    if not flags:
        return "CAST([] AS VARCHAR[])"
    return f"list_filter([{', '.join(flags)}], lambda x: x IS NOT NULL)"


def shown_sql(value: str) -> str:
    """SQL: the value as text for a quarantine row, or null when it looks like an NHS number:
    shaped like one anywhere in it, or a valid one once its spaces and hyphens are dropped
    (``94 34 76 59 19``)."""
    text = f"CAST({value} AS VARCHAR)"
    whole = valid_sql(normalise_sql(value))
    return f"CASE WHEN {shaped_sql(value)} OR {whole} THEN NULL ELSE {text} END"
