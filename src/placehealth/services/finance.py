"""Financial tables as jobs: read a plan folder's finance files, recompute, check, show.

``placehealth plan check`` adds :func:`findings` to the outcome plans' findings (one
format, one accepted-findings file); ``placehealth finance show`` prints
:func:`tables`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from placehealth.plans.check.findings import Finding


def findings(path: Path) -> list[Finding]:
    """Every finding for the finance files under ``path`` (none: an empty list)."""
    from placehealth.finance.check import check_book
    from placehealth.finance.load import load_book
    from placehealth.finance.position_model import model_findings

    book = load_book(path)
    return check_book(book) + model_findings(book)


def tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table under ``path``, each cell printed and recomputed, and every figure the
    text prints beside the cells it restates; a path with no finance files is an error
    (there is nothing to show)."""
    from placehealth.errors import InputFileError
    from placehealth.finance.files import FOLDER
    from placehealth.finance.load import load_book
    from placehealth.finance.show import figure_records, table_records

    book = load_book(path)
    if not book.checked():
        raise InputFileError(
            "no financial tables found",
            file=path,
            hint=f"give a plan folder with a {FOLDER}/ folder of table files, e.g. plans/ccg-2014",
        )
    return {"tables": table_records(book), "figures": figure_records(book)}


def position_model(path: Path, settings: list[str]) -> dict[str, Any]:
    """The financial position derived from its planning assumptions, beside the printed
    one, and again with ``settings`` (``growth=2.14%``) changed; the lines the printed
    position does not derive as the assumptions say, as findings."""
    from placehealth.finance.load import load_book
    from placehealth.finance.position_model import model_findings, read_model, what_if

    book = load_book(path)
    record = what_if(read_model(book, file=str(path)), settings)
    record["findings"] = [f.as_dict() for f in model_findings(book)]
    return record


def investments(
    path: Path, *, reserve: str | None = None, weights: str | None = None, seed: int = 0
) -> dict[str, Any]:
    """Proposals under ``path`` ranked on their weighted criteria, what the reserve buys
    and what it does not, and how the ranking moves when the weights move by ±20%."""
    from placehealth.finance.invest import load_investments, prioritise

    return prioritise(load_investments(path), reserve=reserve, weights=weights, seed=seed)


def export_position(path: Path, output: Path) -> Path:
    """The position tables under ``path`` as an Excel workbook at ``output``."""
    from placehealth.finance.excel_position import position_frame
    from placehealth.finance.load import load_book
    from placehealth.tables import check_writable, write_table

    check_writable(output)
    return write_table(position_frame(load_book(path)), output)


def import_position(workbook: Path, output: Path) -> Path:
    """The position tables of ``workbook`` as a finance file at ``output``, written only
    once the whole workbook has been read and the file it makes reads back the same."""
    import yaml

    from placehealth.errors import ValidationError
    from placehealth.finance.excel_position import finance_yaml, read_position
    from placehealth.finance.model import FinanceFile
    from placehealth.tables import write_bytes

    if output.suffix.lower() not in {".yaml", ".yml"}:
        raise ValidationError("the output is a finance file (.yaml)", file=output)
    document, tables = read_position(workbook)
    text = finance_yaml(document, tables)
    again = FinanceFile.model_validate(yaml.safe_load(text))
    if again.tables != tables:
        raise ValidationError("the tables do not read back as written", file=output)
    return write_bytes(text.encode("utf-8"), output)
