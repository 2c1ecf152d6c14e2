"""Fingertips: read a 1,000,000-row download and write it to Excel, against pandas.

Ours: :func:`placehealth.fingertips.read_fingertips` (indicators matched to the
catalogue, sex, age and category filters, numbers checked, blanks kept with their note)
then :func:`~placehealth.fingertips.write_fingertips` to .xlsx through the product's one
table writer. Baseline in the same run: pandas' plain ``read_csv`` and ``to_excel`` of
the same file, which checks nothing. Every generated row passes our filters (persons,
all ages, no category), so both write the same 1,000,000 rows (Excel holds 1,048,576).

``BENCH_FINGERTIPS_ROWS`` sets a smaller size for a quick run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.harness import measure, record
from placehealth.catalogue import load_catalogue
from placehealth.fingertips import HEADINGS, read_fingertips, write_fingertips

ROWS = int(os.environ.get("BENCH_FINGERTIPS_ROWS", "1000000"))
# rows written to Excel (default: all); openpyxl writes cell by cell, so on a busy shared
# machine a smaller Excel part keeps the run within minutes
EXCEL_ROWS = min(ROWS, int(os.environ.get("BENCH_FINGERTIPS_EXCEL_ROWS", str(ROWS))))


def download(rows: int, seed: int = 1) -> pd.DataFrame:
    """A Fingertips-style download: the real headings, synthetic numbers, a blank in 1%."""
    rng = np.random.default_rng(seed)
    catalogue = load_catalogue()
    indicators = sorted(catalogue.by_fingertips)
    names = np.array([catalogue.by_fingertips[i].name for i in indicators], dtype=object)
    pick = rng.integers(0, len(indicators), rows)
    area = rng.integers(0, 7000, rows)
    year = rng.integers(2010, 2023, rows)
    value = rng.normal(50, 10, rows).round(1)
    blank = rng.random(rows) < 0.01
    value_col = np.where(blank, np.nan, value)
    note = np.where(blank, "Value suppressed for disclosure control due to small count", "")
    count = rng.integers(10, 5000, rows)
    frame = pd.DataFrame(
        {
            "Indicator ID": np.asarray(indicators)[pick],
            "Indicator Name": names[pick],
            "Parent Code": "E12000002",
            "Parent Name": "North West region",
            "Area Code": np.char.add("E0", np.char.zfill(area.astype(str), 7)),
            "Area Name": np.char.add("Area ", area.astype(str)),
            "Area Type": "Districts & UAs (from Apr 2021)",
            "Sex": "Persons",
            "Age": "All ages",
            "Category Type": "",
            "Category": "",
            "Time period": year.astype(str),
            "Value": value_col,
            "Lower CI 95.0 limit": np.where(blank, np.nan, value - 1.5),
            "Upper CI 95.0 limit": np.where(blank, np.nan, value + 1.5),
            "Lower CI 99.8 limit": np.where(blank, np.nan, value - 2.5),
            "Upper CI 99.8 limit": np.where(blank, np.nan, value + 2.5),
            "Count": count,
            "Denominator": count * 100,
            "Value note": note,
            "Recent Trend": "Cannot be calculated",
            "Compared to England value or percentiles": "Similar",
            "Compared to percentiles": "Not compared",
            "Time period Sortable": year * 10000,
            "New data": "",
            "Compared to goal": "",
            "Time period range": "1y",
        }
    )
    return frame[HEADINGS]


def main() -> None:
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "fingertips.csv"
        download(ROWS).to_csv(csv, index=False)
        mb = csv.stat().st_size / 1e6
        pandas_read_s, raw = measure(lambda: pd.read_csv(csv), repeat=1)
        read_s, frame = measure(lambda: read_fingertips(csv, catalogue), repeat=1)
        # the reader's own work (matching, filters, checks) once the CSV is parsed
        own_s, _ = measure(lambda: read_fingertips(csv, catalogue, raw=raw), repeat=1)
        same = len(frame) == len(raw)
        reading = [
            {"benchmark": f"read a {ROWS:,}-row Fingertips CSV ({mb:,.0f} MB)",
             "placehealth s": read_s, "baseline": "pandas read_csv",
             "baseline s": pandas_read_s, "ratio": read_s / pandas_read_s},
            {"benchmark": "of which matching, filters and checks after parsing",
             "placehealth s": own_s, "baseline": "", "baseline s": float("nan"),
             "ratio": float("nan")},
        ]  # fmt: skip
        # recorded now, so the reading figures survive if the Excel part is stopped
        _record(reading, same, done=False)
        ours, theirs = frame.head(EXCEL_ROWS), raw.head(EXCEL_ROWS)
        write_s, _ = measure(lambda: write_fingertips(ours, folder / "ours.xlsx"), repeat=1)
        pandas_write_s, _ = measure(
            lambda: theirs.to_excel(folder / "pandas.xlsx", index=False), repeat=1
        )
    total, baseline = read_s + write_s, pandas_read_s + pandas_write_s
    rows = [
        *reading,
        {"benchmark": f"write {EXCEL_ROWS:,} of those rows to .xlsx",
         "placehealth s": write_s, "baseline": "pandas to_excel", "baseline s": pandas_write_s,
         "ratio": write_s / pandas_write_s},
        {"benchmark": f"read {ROWS:,} and write {EXCEL_ROWS:,}, together",
         "placehealth s": total, "baseline": "pandas read_csv + to_excel", "baseline s": baseline,
         "ratio": total / baseline},
    ]  # fmt: skip
    _record(rows, same, done=True)


def _record(rows: list[dict[str, object]], same: bool, *, done: bool) -> None:
    record(
        "fingertips",
        f"Fingertips: a {ROWS:,}-row download read and written to Excel",
        rows,
        notes=(
            "Ratio: placehealth time ÷ pandas time (above 1 is slower). Ours matches every "
            "row's indicator to the catalogue by Fingertips id, filters sex, age and "
            "categories, checks every number and keeps blanks with their note, and writes "
            "Fingertips' layout back through the product's one Excel writer (XlsxWriter, "
            "text never a formula, real date cells, fitted columns, frozen header); pandas "
            "reads and writes (to_excel's default engine, XlsxWriter here) without checks. "
            f"Same number of rows read: {same}. One run each (repeat=1) at this size. "
            + (
                f"The Excel part writes the first {EXCEL_ROWS:,} rows "
                "(BENCH_FINGERTIPS_EXCEL_ROWS); unset it to write them all (Excel holds "
                "1,048,576 rows). "
                if EXCEL_ROWS < ROWS
                else ""
            )
            + ("" if done else "The Excel writing had not finished when this was recorded. ")
            + f"Load average during the run: {os.getloadavg()[0]:.1f} (shared machine, "
            "2 cores)."
        ),
    )


if __name__ == "__main__":
    main()
