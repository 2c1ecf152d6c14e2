"""Draw docs/images/architecture.svg: how data flows through placehealth's packages.

The picture is made from the lists below by Graphviz (Debian's ``graphviz``, needed
only to redraw it: ``apt-get install graphviz``). Run it from the top of a clone after
changing a package's part in the flow, and commit the SVG it writes:

    python3 scripts/architecture_diagram.py
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "images" / "architecture.svg"
FONT = "Liberation Sans"

# id: (title, what it holds or does, kind)
NODES: dict[str, tuple[str, str, str]] = {
    "interfaces": ("cli/ · demo · web", "parse the arguments, call a service, show the result",
                   "interface"),
    "services": ("services/", "the sequence of each job: read, validate, compute,\n"
                 "publish, audit, write; progress through one callback", "service"),
    "place": ("place file", "places/*.yaml: name, areas, comparators,\ndata defaults", "input"),
    "extracts": ("extract files", "CSV or Parquet in the ingestion format:\n"
                 "a place's own, or synthetic", "input"),
    "catalogue": ("catalogue/", "indicators, code lists, comparators (YAML)", "input"),
    "plan_files": ("plan folders", "plans/<document>/*.yaml:\nambitions, statements, maps",
                   "input"),
    "actuals": ("actuals files", "our long format or a Fingertips download\n"
                "(fingertips.py, tables.py)", "input"),
    "synth": ("data/synth/", "a synthetic place: extract files\nand the true risks", "package"),
    "data": ("data/", "validate, pseudonymise NHS numbers,\nquarantine, opt-outs", "package"),
    "warehouse": ("warehouse", "DuckDB file\n(Parquet copy for Spark)", "store"),
    "engine": ("engine/", "Narwhals lazy frames on DuckDB or Spark;\n"
               "indicator pipelines, area roll-ups", "package"),
    "stats": ("stats/", "PHE methods: rates, DSR, ISR,\nlife expectancy, SII (pure)", "package"),
    "phm": ("phm/", "features, segments, risk model,\ncase finding (role-gated, audited)",
            "package"),
    "values": ("indicator values", "indicator, area, period, value, limits", "table"),
    "plans": ("plans/", "trajectories, the checker,\nstatus against actuals", "package"),
    "spc": ("spc/", "XmR charts, special causes,\nMaking Data Count icons (pure)", "package"),
    "reports": ("reports/", "board pack and exception report\n(HTML, PDF)", "package"),
    "publish": ("publish/", "disclosure control: the one step\nevery aggregate output passes",
                "package"),
    "outputs": ("outputs", "published tables, board packs, the model file;\n"
                "case lists only to their own team", "output"),
}  # fmt: skip

# (from, to, label): what flows along each arrow
EDGES: list[tuple[str, str, str]] = [
    ("interfaces", "services", "call"),
    ("place", "synth", ""),
    ("synth", "extracts", ""),
    ("extracts", "data", ""),
    ("data", "warehouse", "pseudonymised records"),
    ("warehouse", "engine", ""),
    ("catalogue", "engine", "code lists"),
    ("engine", "stats", "numerators,\ndenominators"),
    ("engine", "phm", "person-level\nframes"),
    ("stats", "values", ""),
    ("catalogue", "plans", "units, polarity"),
    ("plan_files", "plans", ""),
    ("values", "plans", "as actuals"),
    ("actuals", "plans", ""),
    ("actuals", "spc", "series"),
    ("plans", "reports", "status, forecasts"),
    ("spc", "reports", "limits, icons"),
    ("values", "publish", ""),
    ("phm", "publish", "counts by area"),
    ("publish", "outputs", ""),
    ("reports", "outputs", ""),
]

STYLE = {
    "interface": 'shape=box style="rounded,filled" fillcolor="#e8edf7" color="#005eb8"',
    "service": 'shape=box style="rounded,filled" fillcolor="#d6e4f5" color="#005eb8" penwidth=1.6',
    "input": 'shape=note style=filled fillcolor="#f4f4f4" color="#768692"',
    "package": 'shape=box style="rounded,filled" fillcolor="#ffffff" color="#425563"',
    "store": 'shape=cylinder style=filled fillcolor="#f4f4f4" color="#425563"',
    "table": 'shape=box style="filled" fillcolor="#fff9e0" color="#a08000"',
    "output": 'shape=box style="filled" fillcolor="#e5f4e8" color="#007f3b"',
}
# who calls, drawn above the frame that holds the flow of data
CALLERS = ["interfaces", "services"]
# nodes drawn side by side (the rest find their own rows)
ROWS = [
    ["place", "catalogue", "plan_files"],
    ["stats", "phm"],
    ["values", "actuals"],
    ["plans", "spc"],
]


def label(title: str, text: str) -> str:
    """A Graphviz HTML label: the title in bold, the description below it."""
    lines = "<br/>".join(html.escape(line) for line in text.split("\n"))
    return f'<<b>{html.escape(title)}</b><br/><font point-size="10">{lines}</font>>'


def dot() -> str:
    """The graph in the DOT language."""
    out = [
        "digraph placehealth {",
        f'  graph [rankdir=TB compound=true nodesep=0.3 ranksep=0.4 fontname="{FONT}"'
        ' bgcolor="white" pad=0.2 newrank=true];',
        f'  node [fontname="{FONT}" fontsize=12 margin="0.15,0.07"];',
        f'  edge [fontname="{FONT}" fontsize=9 color="#425563" fontcolor="#425563"];',
    ]
    for key in CALLERS:
        title, text, kind = NODES[key]
        out.append(f"  {key} [label={label(title, text)} {STYLE[kind]}];")
    out.append(
        '  subgraph cluster_flow {\n    label="the flow of data (each job runs part of it)"'
        ' labeljust=l fontsize=10 fontcolor="#768692" style=dashed color="#aeb7bd";'
    )
    for key, (title, text, kind) in NODES.items():
        if key not in CALLERS:
            out.append(f"    {key} [label={label(title, text)} {STYLE[kind]}];")
    out.append("  }")
    out.extend(f"  {{ rank=same; {'; '.join(row)}; }}" for row in ROWS)
    for start, end, text in EDGES:
        attrs = f'label="{text}"' if text else ""
        out.append(f"  {start} -> {end} [{attrs}];")
    out.append(
        '  services -> place [lhead=cluster_flow style=dashed color="#005eb8"'
        ' fontcolor="#005eb8" label="sequences"];'
    )
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> int:
    if shutil.which("dot") is None:
        print("Graphviz's dot is not installed: apt-get install graphviz", file=sys.stderr)
        return 1
    svg = subprocess.run(
        ["dot", "-Tsvg"], input=dot(), capture_output=True, text=True, check=True
    ).stdout
    OUT.write_text(svg, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
