"""Risk registers as jobs: read, score, flag, sort and filter; draw the heat map.

``placehealth plan check`` adds :func:`findings` to the outcome plans' findings;
``placehealth risks`` calls the rest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from placehealth.plans.check.findings import Finding


def findings(path: Path, today: dt.date | None = None) -> list[Finding]:
    """Every finding for the registers under ``path`` (none there: an empty list)."""
    from placehealth.finance.risks_register import check_registers, load_registers, register_files

    if path.exists() and not register_files(path):
        return []
    return check_registers(load_registers(path), today)


def _reads(path: Path, matrix: Path | None) -> list[Any]:
    from placehealth.errors import InputFileError
    from placehealth.finance.risks_register import RISKS_FOLDER, load_registers

    reads = load_registers(path, matrix)
    if not reads:
        raise InputFileError(
            "no risk register found",
            file=path,
            hint=f"give a plan folder with a {RISKS_FOLDER}/ folder, e.g. plans/ccg-2014",
        )
    return reads


def table(
    path: Path,
    *,
    sort: str = "score",
    category: str | None = None,
    owner: str | None = None,
    min_score: int | None = None,
    matrix: Path | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The registers' risks, scored, banded and flagged, filtered and sorted; and the
    registers that print no risk."""
    from placehealth.charts.frames import records
    from placehealth.finance.risks_register import risk_table, select

    reads = _reads(path, matrix)
    frame = select(
        risk_table(reads, as_of), category=category, owner=owner, min_score=min_score, sort=sort
    )
    return {
        "risks": records(frame),
        "registers": [
            {
                "register": r.register.id,
                "document": r.register.document.id,
                "title": r.register.title,
                "scoring": r.register.scoring,
                "risks": len(r.register.risks),
                "mentions": r.register.mentions,
            }
            for r in reads
        ],
    }


def heatmap(path: Path, output: Path, *, matrix: Path | None = None) -> list[Path]:
    """Draw the likelihood × consequence heat map of the registers under ``path`` to
    ``output`` (PNG or SVG, by its suffix)."""
    from placehealth.charts.export import chart_bytes
    from placehealth.errors import ValidationError
    from placehealth.finance.risks_chart import heatmap_chart
    from placehealth.finance.risks_register import heat_counts, risk_table
    from placehealth.tables import write_bytes

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValidationError(
            f"cannot draw '{output.suffix}'", file=output, hint="use .png or .svg"
        )
    reads = _reads(path, matrix)
    scale = reads[0].matrix
    documents = sorted({r.register.document.id for r in reads})
    spec = heatmap_chart(
        heat_counts(risk_table(reads), scale), scale, f"Risk heat map: {', '.join(documents)}"
    )
    return [write_bytes(chart_bytes(spec, fmt), output)]
