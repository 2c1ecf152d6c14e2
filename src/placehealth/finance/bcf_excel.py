"""A BCF plan to and from a workbook laid out like the national planning template: plan
details, partners, the finance summary (the pool), schemes, national conditions, outcomes
and metrics, payment for performance, the contingency plan and the sign-off, one sheet
each, one row per item.

Every printed number is written as the text the document printed ('44.970', '£24.040'),
so the precision the checker compares at survives the round trip; nested fields are
JSON text. Written with the project's one Excel writer (xlsxwriter, through pandas), whole
or not at all; read with openpyxl, a malformed workbook naming its sheet and row.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from placehealth.errors import ValidationError
from placehealth.finance.bcf_model import BcfPlan
from placehealth.finance.model import Ref
from placehealth.finance.printed import Printed
from placehealth.sources import Lines

DETAILS = "Plan details"
# model list field -> sheet, in the template's order
SHEETS = {
    "partners": "Partners",
    "pool": "Finance - Summary",
    "totals": "Pooled budget",
    "schemes": "Schemes",
    "conditions": "National conditions",
    "metrics": "Outcomes & Metrics",
    "releases": "Payment for performance",
    "contingency": "Contingency plan",
    "signoff": "Sign-off",
    "acute_sector": "Acute sector",
    "stated": "Stated in the text",
}
_SCALARS = ("title", "place", "src", "payment_rules_from", "notes")


def plain(value: Any) -> Any:
    """``value`` as YAML/JSON data: a printed number as its printed text, lines as '1-9', a
    reference as 'B8/ccg/x', a model by its field aliases without unset (None) fields."""
    if isinstance(value, Printed):
        return value.text
    if isinstance(value, Lines):
        return str(value.first) if value.first == value.last else f"{value.first}-{value.last}"
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if item is None and not info.is_required():
                continue
            out[info.alias or name] = plain(item)
        return out
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _cell(value: Any) -> Any:
    """A sheet cell: text, a whole number, a boolean, or JSON text for a list, a mapping or
    a required field left blank (``null``)."""
    if isinstance(value, dict | list) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return value


def _sheets(plan: BcfPlan) -> dict[str, list[dict[str, Any]]]:
    data = plain(plan)
    details = [{"field": "document", "value": _cell(data["document"])}]
    details += [{"field": k, "value": _cell(data[k])} for k in _SCALARS if k in data]
    if "dates" in data:
        details.append({"field": "dates", "value": _cell(data["dates"])})
    payment = data.get("payment")
    if payment is not None:
        rest = {k: v for k, v in payment.items() if k != "releases"}
        details.append({"field": "payment", "value": _cell(rest)})
    sheets = {DETAILS: details}
    for field, sheet in SHEETS.items():
        rows = payment.get("releases", []) if field == "releases" and payment else data.get(field)
        if rows:
            sheets[sheet] = [{k: _cell(v) for k, v in row.items()} for row in rows]
    return sheets


def write_workbook(plan: BcfPlan, output: Path) -> Path:
    """The plan as an .xlsx workbook, written whole or not at all."""
    import pandas as pd

    from placehealth.tables import write_bytes

    if output.suffix.lower() != ".xlsx":
        raise ValidationError(f"cannot write '{output.suffix}'", file=output, hint="use .xlsx")
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        for sheet, rows in _sheets(plan).items():
            frame = pd.DataFrame(rows).astype(object)
            frame.to_excel(xl, sheet_name=sheet, index=False)
            xl.sheets[sheet].set_column(0, len(frame.columns) - 1, 24)
    return write_bytes(buffer.getvalue(), output)


def _parse(text: Any, where: str, file: Path) -> Any:
    if text == "null":
        return None
    if isinstance(text, str) and text[:1] in "[{":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValidationError(f"{where}: not valid JSON", file=file) from None
    return text


def read_workbook(file: Path) -> BcfPlan:
    """A BCF plan from a workbook laid out as :func:`write_workbook` writes it."""
    import openpyxl
    from pydantic import ValidationError as Invalid

    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(
            f"not an Excel workbook ({type(exc).__name__})", file=file, hint="give an .xlsx file"
        ) from None
    rows_of: dict[str, list[dict[str, Any]]] = {}
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            continue
        header = [str(h) if h is not None else "" for h in values[0]]
        rows_of[sheet.title] = [
            {
                h: _parse(v, f"sheet '{sheet.title}' row {n}, {h}", file)
                for h, v in zip(header, row, strict=False)
                if h and v is not None
            }
            for n, row in enumerate(values[1:], start=2)
        ]
    book.close()
    if DETAILS not in rows_of:
        raise ValidationError(
            f"no '{DETAILS}' sheet: not a BCF plan workbook",
            file=file,
            hint="export one with `placehealth bcf export PLAN -o FILE.xlsx`",
        )
    data: dict[str, Any] = {r["field"]: r.get("value") for r in rows_of[DETAILS] if "field" in r}
    for field, sheet in SHEETS.items():
        rows = rows_of.get(sheet, [])
        if field == "releases":
            if "payment" in data:
                data["payment"] = {**data["payment"], "releases": rows}
        elif rows:
            data[field] = rows
    try:
        return BcfPlan.model_validate(data)
    except Invalid as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        field = str(loc[0]) if loc else "document"
        if field == "payment" and len(loc) > 2 and loc[1] == "releases":
            where = f"sheet '{SHEETS['releases']}' row {int(loc[2]) + 2}"
        elif field in SHEETS and len(loc) > 1 and isinstance(loc[1], int):
            where = f"sheet '{SHEETS[field]}' row {loc[1] + 2}"
        else:
            where = f"sheet '{DETAILS}', {field}"
        rest = ".".join(str(p) for p in loc[2 if len(loc) > 1 else 1 :])
        raise ValidationError(
            f"{where}{', ' + rest if rest else ''}: {first['msg'].removeprefix('Value error, ')}",
            file=file,
        ) from None


def write_yaml(plan: BcfPlan, output: Path) -> Path:
    """The plan as a BCF plan YAML file, written whole or not at all."""
    import yaml

    from placehealth.tables import write_bytes

    text = yaml.safe_dump(plain(plan), sort_keys=False, allow_unicode=True, width=100)
    return write_bytes(text.encode("utf-8"), output)
