"""The board pack's money pages: the financial position against plan (printed beside
the position the planning assumptions derive, the model's findings and the headroom for
investment), the investments ranked and what the reserve buys, and the Better Care Fund
and risk page (the pool by partner and year, the performance payment at risk, the
national conditions, the risk registers' heat map and flags) — for the plan folder the
pack is drawn from (nothing when it holds none).
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
    section: dict[str, Any] = {
        "bcf": [],
        "risks": None,
        "position": position_section(folder),
        "investments": investment_sections(folder),
    }
    images: dict[str, bytes] = {}
    if bcf_files(folder):
        section["bcf"] = _bcf(folder)
    if register_files(folder):
        section["risks"], images = _risks(folder, image)
    if not any(section.values()):
        return None, {}
    return section, images


def position_section(folder: Path) -> list[dict[str, Any]]:
    """Each year's position as printed and as its assumptions derive it (totals, £m), the
    gap, the model's findings for the year's table, and the headroom; empty without a
    position table."""
    from placehealth.finance.load import load_book
    from placehealth.finance.position_model import is_position
    from placehealth.services import finance

    if not any(is_position(t) for t in load_book(folder).checked()):
        return []
    record = finance.position_model(folder, [])
    years = []
    for year in record["years"]:
        rows = [
            {
                "label": r["label"],
                "printed": r["printed"][2],
                "derived": r["derived"][2],
                "gap": None if r["printed"][2] is None else r["printed"][2] - r["derived"][2],
            }
            for r in year["rows"]
        ]
        table = year["table"]
        years.append(
            {
                "period": year["period"],
                "table": table,
                "assumptions": {k: v["printed"] for k, v in year["assumptions"].items()},
                "rows": rows,
                "headroom": year["headroom"]["derived"],
                "required_surplus": year["required_surplus"]["derived"],
                "investment_headroom": year["investment_headroom"]["derived"],
                "findings": [f for f in record["findings"] if f"/finance/{table}/" in f["id"]],
            }
        )
    return years


def investment_sections(folder: Path) -> list[dict[str, Any]]:
    """The ranking and what the reserve buys, for the plan folder's own proposals or, where
    it has none, for each plan beside it whose proposals it judges (``judged_by``); for a
    folder of plan folders, for each plan with proposals."""
    from placehealth.finance.files import FOLDER
    from placehealth.finance.invest import SUBFOLDER
    from placehealth.finance.invest_model import InvestmentFile
    from placehealth.services import finance
    from placehealth.yamlfile import load_model

    def own(plan: Path) -> list[InvestmentFile]:  # the plan folder's own files, not below
        return [load_model(f, InvestmentFile) for f in (plan / FOLDER / SUBFOLDER).glob("*.yaml")]

    def proposes(plan: Path) -> bool:
        return any(f.proposals for f in own(plan))

    if not (folder / FOLDER).is_dir():  # a folder of plan folders (or none)
        sources = [p for p in sorted(folder.iterdir()) if p.is_dir() and proposes(p)]
    elif proposes(folder):
        sources = [folder]
    else:
        siblings = sorted(p for p in folder.parent.iterdir() if p.is_dir() and p != folder)
        sources = [
            p for p in siblings if proposes(p) and any(f.judged_by == folder.name for f in own(p))
        ]
    out = []
    for plan in sources:
        ranked = finance.investments(plan)
        bought = [p for p in ranked["proposals"] if p["bought"]]
        out.append({"plan": plan.name, **ranked, "bought": bought})
    return out


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
