"""Reports: a 50-ambition board pack as HTML and as PDF (target: PDF within 20 s).

Baselines in the same run: rendering the same charts alone (what any pack must
pay), and the HTML alone (so the PDF's own cost, WeasyPrint's layout, shows).
The plan has 50 ambitions over five objectives, each with 24 months of
synthetic actuals (``placehealth.plans.sample_actuals``, seed 1).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import measure, record
from placehealth.catalogue import load_catalogue
from placehealth.plans.check import check_plans
from placehealth.plans.load import load_plans
from placehealth.plans.sample_actuals import sample_actuals
from placehealth.plans.status import read_actuals
from placehealth.reports.board import write_board
from placehealth.reports.figures import attach_charts, attach_spc
from placehealth.reports.pack import PackData, assemble
from placehealth.reports.render import warm_up_pdf

AMBITIONS, OBJECTIVES, MONTHS = 50, 5, 24
INDICATORS = [
    ("inpatient-experience-negative", 125.2, 114.7),
    ("reablement-91-days", 80.0, 86.0),
    ("dementia-diagnosis", 55.0, 67.0),
    ("iapt-access", 12.0, 15.0),
    ("care-home-admissions-65", 900.0, 760.0),
    ("premature-mortality-cancer", 160.0, 140.0),
    ("c-diff-infections", 120, 90),
]


def plan_text() -> str:
    lines = ['document: {id: bench, seed: "000", title: Benchmark plan, area: Place}', "ambitions:"]
    for k in range(AMBITIONS):
        indicator, base, target = INDICATORS[k % len(INDICATORS)]
        lines += [
            f"  - id: ambition-{k:02d}",
            f"    indicator: {indicator}",
            f"    area: Neighbourhood {k:02d}",
            f"    group: Objective {k % OBJECTIVES + 1}",
            f"    baseline: {{period: 2013/14, value: {base}}}",
            f"    target: {{period: 2018/19, value: {target}}}",
            "    method: {kind: equal_steps}",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "plan.yaml").write_text(plan_text(), encoding="utf-8")
        plans = load_plans(folder / "plan.yaml")
        actuals = sample_actuals(plans, catalogue, seed=1, months=MONTHS)
        actuals_path = folder / "actuals.csv"
        actuals.to_csv(actuals_path, index=False)
        frame = read_actuals(actuals_path, catalogue)
        findings = check_plans(plans, catalogue)

        def prepared() -> PackData:
            data = assemble(plans, catalogue, frame)
            attach_spc(data)
            return data

        t_assemble, data = measure(prepared, repeat=1)
        t_svg, _ = measure(lambda: attach_charts(data, image="svg"), repeat=1)
        t_png, _ = measure(lambda: attach_charts(data, image="png"), repeat=1)
        n_charts = sum(len(v.charts) for v in data.ambitions)

        def html() -> Path:
            pack = prepared()
            attach_charts(pack, image="svg")
            return write_board(pack, findings, folder / "pack.html")

        def pdf() -> Path:  # as `placehealth report board -o pack.pdf` does it
            pack = prepared()
            warm_up_pdf()
            attach_charts(pack, image="png")
            return write_board(pack, findings, folder / "pack.pdf")

        t_html, html_path = measure(html, repeat=1)
        t_pdf, pdf_path = measure(pdf, repeat=1)
        size_html, size_pdf = html_path.stat().st_size / 1e6, pdf_path.stat().st_size / 1e6
        pages = _pages(pdf_path)

    rows = [
        {"step": "assemble + SPC (50 series)", "seconds": t_assemble, "vs charts alone": ""},
        {"step": f"{n_charts} charts alone, SVG (baseline)", "seconds": t_svg,
         "vs charts alone": "1.00"},
        {"step": f"{n_charts} charts alone, PNG", "seconds": t_png,
         "vs charts alone": f"{t_png / t_svg:.2f}"},
        {"step": f"pack as HTML, SVG charts ({size_html:.1f} MB)", "seconds": t_html,
         "vs charts alone": f"{t_html / t_svg:.2f}"},
        {"step": f"pack as PDF, PNG charts ({pages} pages, {size_pdf:.1f} MB)", "seconds": t_pdf,
         "vs charts alone": f"{t_pdf / t_png:.2f}"},
    ]  # fmt: skip
    record(
        "board",
        "Reports: 50-ambition board pack",
        rows,
        notes=(
            f"{AMBITIONS} ambitions in {OBJECTIVES} objectives, {MONTHS} months of synthetic "
            f"actuals each (seed 1). HTML and PDF times include assembly, SPC and charts "
            f"(SPC chart for every ambition, trajectory chart for each exception); the PDF's "
            f"ratio is to the PNG charts it embeds, the rest being WeasyPrint's layout. "
            f"Target: PDF ≤ 20 s ({'met' if t_pdf <= 20 else 'NOT met'}). "
            f"Load average when run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
            f"(other work on the machine slows every row alike)."
        ),
    )


def _pages(pdf: Path) -> int:
    """Page count from poppler's pdfinfo (installed with pdftoppm)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
