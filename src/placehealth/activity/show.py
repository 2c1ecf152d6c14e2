"""Activity plans as records for display: each table's cells printed and recomputed (the
finance display), with its point of delivery; the schemes and the text's figures."""

from __future__ import annotations

from typing import Any

from placehealth.activity.load import ActivityBook
from placehealth.finance.show import table_records
from placehealth.sources import cite


def records(activity: ActivityBook) -> dict[str, list[dict[str, Any]]]:
    """Tables (as ``placehealth finance show`` shows them, plus ``pod``), schemes, figures
    and population changes."""
    pods = {t.id: t.pod for t in activity.tables()}
    tables = [dict(r, pod=pods[r["table"]]) for r in table_records(activity.book)]
    schemes: list[dict[str, Any]] = []
    for scheme_set, placed in activity.schemes:
        values = {k: s.value for k, s in activity.statements(scheme_set, placed).items()}
        schemes.extend(
            {
                "document": placed.document.id,
                "set": scheme_set.id,
                "scheme": s.id,
                "pod": s.pod,
                "statement": s.statement,
                "avoided": values.get(s.statement),
                "source": cite(placed.document.seed, scheme_set.src),
            }
            for s in scheme_set.schemes
        )
    figures = [
        {
            "document": placed.document.id,
            "figure": f.key,
            "pod": f.pod,
            "linked": f.statement or f.ambition,
            "note": f.note,
            **activity.figure(f, placed),
        }
        for f, placed in activity.figures
    ]
    populations = [
        {
            "document": placed.document.id,
            "population": change.id,
            "area": change.area,
            "years": f"{change.start_year}–{change.end_year}",
            "ages": group.ages,
            "start": group.start.text if group.start else None,
            "end": group.end.text if group.end else None,
            "change": group.change.text,
            "source": cite(placed.document.seed, group.src),
        }
        for change, placed in activity.populations
        for group in change.groups
    ]
    return {"tables": tables, "schemes": schemes, "figures": figures, "populations": populations}
