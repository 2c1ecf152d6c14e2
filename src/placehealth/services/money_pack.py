"""The board pack's Better Care Fund and risk page: the pool by partner and year, the
performance payment at risk, the national conditions, and the risk registers' heat map
and flags, for the plan folders the pack is drawn from (nothing when they hold none).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any


def board_section(
    path: Path, *, image: str = "svg"
) -> tuple[dict[str, Any] | None, dict[str, bytes]]:
    """The page's context and, for a PDF (``image="png"``), the heat map's PNG by its url."""
    from placehealth.finance.bcf_load import bcf_files
    from placehealth.finance.risks_register import register_files

    folder = path if path.is_dir() else path.parent
    section: dict[str, Any] = {"bcf": [], "risks": None}
    images: dict[str, bytes] = {}
    if bcf_files(folder):
        section["bcf"] = _bcf(folder)
    if register_files(folder):
        section["risks"], images = _risks(folder, image)
    if not section["bcf"] and section["risks"] is None:
        return None, {}
    return section, images


def _bcf(folder: Path) -> list[dict[str, Any]]:
    from placehealth.services import bcf

    shown = {r["document"]: r for r in bcf.show(folder)}
    out = []
    for paid in bcf.payment(folder):
        plan = shown[paid["document"]]
        years = sorted({c["year"] for c in plan["pool"]})
        out.append(
            {
                "place": paid["place"],
                "years": years,
                "pool": plan["pool_by_partner"],
                "share": paid["share_of_fund"],
                "pool_m": paid["pool_m"],
                "releases": paid["releases"],
                "at_stake": paid["at_stake"],
                "conditions": plan["conditions"],
                "metrics_without_target": sorted(
                    {m["metric"] for m in plan["metrics"] if m["target"] is None}
                ),
            }
        )
    return out


def _risks(folder: Path, image: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    from placehealth.charts.export import chart_bytes
    from placehealth.finance.risks_chart import heatmap_chart
    from placehealth.finance.risks_register import heat_counts, load_registers, risk_table

    reads = load_registers(folder)
    table = risk_table(reads)
    matrix = reads[0].matrix
    spec = heatmap_chart(heat_counts(table, matrix), matrix, "Risk heat map")
    images: dict[str, bytes] = {}
    if image == "png":
        url = "chart:risk-heatmap"
        images[url] = chart_bytes(spec, "png")
        chart = f'<img src="{url}" alt="{escape(spec["description"])}">'
    else:
        chart = chart_bytes(spec, "svg").decode("utf-8")
    flags = {
        flag: int(table["flags"].str.contains(flag, regex=False).sum())
        for flag in ("no owner", "no mitigation", "no review date", "past review", "not scored")
    }
    top = table.dropna(subset=["score"]).sort_values("score", ascending=False).head(5)
    return (
        {
            "registers": len(reads),
            "risks": len(table),
            "scored": int(table["score"].notna().sum()),
            "bands": {k: int(v) for k, v in table["band"].value_counts().items()},
            "flags": {k: v for k, v in flags.items() if v},
            "top": [
                {k: r[k] for k in ("register", "category", "description", "score", "band")}
                for r in top.to_dict("records")
            ],
            "chart": chart,
        },
        images,
    )
