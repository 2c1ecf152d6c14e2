"""Charts: each chart of the indicator pages from the demo's indicator values.

Charts read the published, aggregated values (a few dozen rows a chart), so their
cost does not grow with the population: the same for 20,000 people as for 500,000.
The values are the demo's ``indicators.csv`` (``placehealth demo --persons 500000``
for the full place), or the file named by ``PLACEHEALTH_BENCH_INDICATORS``. Each
chart is timed from the loaded table to its spec, then to SVG and to PNG, after the
renderer's first start; the baseline is that first start (a process pays it once).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from benchmarks.harness import measure, record
from placehealth.charts.export import chart_bytes
from placehealth.services import charts

DEFAULT = Path("out/demo/indicators.csv")
INDICATOR = "emergency-admissions"


def main() -> None:
    path = Path(os.environ.get("PLACEHEALTH_BENCH_INDICATORS", DEFAULT))
    if not path.exists():
        print(f"charts: no indicator values at {path} (run placehealth demo first)")
        return
    values = charts.read_indicators(path)
    place = values[(values["area_type"] == "place") & (values["indicator_id"] == INDICATOR)]
    persons = int(place["denominator"].astype(float).max())
    start = time.perf_counter()
    chart_bytes(charts.compare(values, INDICATOR), "svg")
    first = time.perf_counter() - start
    neighbourhood = str(values.loc[values["area_type"] == "neighbourhood", "area_code"].iloc[0])
    jobs = {
        "overview (spine, every indicator)": lambda: charts.overview(values, area=neighbourhood),
        "compare neighbourhoods": lambda: charts.compare(values, INDICATOR),
        "trend with the plan's trajectory": lambda: charts.trend(
            values,
            INDICATOR,
            trajectory=charts.plan_trajectory(
                Path("plans/ccg-2014"), "emergency-admissions-composite"
            ),
        ),
        "inequality with SII (10,000 simulations)": lambda: charts.inequality(values, INDICATOR),
        "map of neighbourhoods (298 LSOA polygons)": lambda: charts.area_map(values, INDICATOR),
        "map of LSOAs": lambda: charts.area_map(values, INDICATOR, area_type="lsoa"),
    }
    rows = []
    for name, job in jobs.items():
        spec_s, spec = measure(job, repeat=3)
        svg_s, _ = measure(lambda spec=spec: chart_bytes(spec, "svg"), repeat=3)
        png_s, _ = measure(lambda spec=spec: chart_bytes(spec, "png"), repeat=3)
        rows.append({"chart": name, "spec s": spec_s, "SVG s": svg_s, "PNG s": png_s,
                     "spec + SVG s": spec_s + svg_s, "target s": "< 1"})  # fmt: skip
    record(
        "charts",
        "Charts of indicator values",
        rows,
        notes=(
            f"Over {path.name}: {len(values):,} indicator values of a place of about "
            f"{persons:,} registered people. Best of 3 after the renderer's first start "
            f"({first:.2f} s in this run, once a process). PNG is drawn at 1.5 times the size, "
            "for print; pages use SVG. Charts read aggregated values only, never records. "
            f"Load average when measured: {os.getloadavg()[0]:.1f} on 2 cores (other jobs "
            "were running; on an idle machine the times are lower)."
        ),
    )


if __name__ == "__main__":
    main()
