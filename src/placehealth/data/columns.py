"""How warehouse tables are described: columns, their kinds, rules and roles.

The vocabulary that :mod:`placehealth.data.schema` writes the tables in; the DDL
and the extract column names are derived here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a column holds, which decides how it is validated."""

    PERSON_KEY = "person key"  # nhs_number in extracts, HMAC hex in the warehouse
    TEXT = "text"
    CODE = "code"  # an organisation or area code: letters and digits
    RECORD_ID = "record id"  # the source system's own identifier of a record, as text
    DATE = "date"
    MONTH = "month"  # a date truncated to the first of its month
    ENUM = "enum"
    ICD10 = "icd10"
    CLINICAL_CODE = "clinical code"  # SNOMED CT or ICD-10, as code_system says
    INTEGER = "integer"
    NUMBER = "number"
    TIMESTAMP = "timestamp"


SQL_TYPES = {
    Kind.PERSON_KEY: "VARCHAR",
    Kind.TEXT: "VARCHAR",
    Kind.CODE: "VARCHAR",
    Kind.RECORD_ID: "VARCHAR",
    Kind.DATE: "DATE",
    Kind.MONTH: "DATE",
    Kind.ENUM: "VARCHAR",
    Kind.ICD10: "VARCHAR",
    Kind.CLINICAL_CODE: "VARCHAR",
    Kind.INTEGER: "BIGINT",
    Kind.NUMBER: "DOUBLE",
    Kind.TIMESTAMP: "TIMESTAMP",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    nullable: bool = False
    values: tuple[str, ...] = ()  # allowed values of an ENUM
    references: str | None = None  # "table.column" that must hold the value
    minimum: float | None = None
    maximum: float | None = None
    in_extract: bool = True  # False: added by ingestion (derived or bookkeeping)
    optional: bool = False  # True: an extract may leave the column out (read as empty)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def extract_name(self) -> str:
        """The column's name in an extract: the raw NHS number stands for the key."""
        return "nhs_number" if self.kind is Kind.PERSON_KEY else self.name


@dataclass(frozen=True)
class Rule:
    """A cross-column check that marks a row impossible; ``sql`` must be true (or null)."""

    column: str  # the column reported as wrong
    sql: str  # over the staged row's typed columns
    reason: str


class Role(StrEnum):
    REFERENCE = "reference"  # geography lookups: upserted by key
    PERSON = "person"  # one row per resident: upserted by person_key
    EVENT = "event"  # appended; identical rows already loaded are not added again
    BOOKKEEPING = "bookkeeping"  # written by ingestion itself


@dataclass(frozen=True)
class Table:
    name: str
    grain: str
    description: str
    role: Role
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # upsert key (of an event table: its optional record id)
    event_date: str | None = None  # the date that must fall between birth and death
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def extract_columns(self) -> list[Column]:
        return [c for c in self.columns if c.in_extract]

    @property
    def required_extract_columns(self) -> list[Column]:
        """The extract columns every file of the table must have (not the optional ones)."""
        return [c for c in self.extract_columns if not c.optional]

    @property
    def data_columns(self) -> list[str]:
        """Warehouse columns that carry data (not bookkeeping such as load_id)."""
        return [c.name for c in self.columns if c.name != "load_id"]

    def create_sql(self) -> str:
        cols = ",\n  ".join(
            f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        )
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"
