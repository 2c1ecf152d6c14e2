"""Write small finance files for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from placehealth.finance.check import check_book
from placehealth.finance.load import load_book
from placehealth.plans.check.findings import Finding

HEADER = 'document: {id: t, seed: "000"}\n'
# the start of a one-table file in £m, up to its columns
TABLE = "tables:\n  - id: F90\n    title: Position\n    src: 1-9\n    unit: £m\n    columns:\n"


def write_finance(folder: Path, body: str, name: str = "tables.yaml") -> Path:
    """``body`` (dedented) as ``folder/finance/name``, after a document header."""
    path = folder / "finance" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def findings_for(folder: Path, body: str) -> dict[str, Finding]:
    write_finance(folder, body)
    return {f.id: f for f in check_book(load_book(folder))}
