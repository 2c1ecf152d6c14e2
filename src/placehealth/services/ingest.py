"""Loading extracts into the warehouse, and removing people who opt out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from placehealth.services.progress import Progress, counted

if TYPE_CHECKING:
    from placehealth.data.ingest import LoadResult
    from placehealth.data.optout import OptOutResult


def load(
    source: Path,
    warehouse: Path,
    *,
    key_file: Path | None = None,
    report: Path | None = None,
    synthetic: bool = False,
    bom: bool = True,
    progress: Progress | None = None,
) -> LoadResult:
    """Validate, pseudonymise and load the extracts in ``source`` in one transaction.

    The key comes from ``key_file``, else the environment (``load_key``); progress
    counts the extract files, one step per table loaded.
    """
    from placehealth.data.extracts import find_extracts
    from placehealth.data.ingest import ingest
    from placehealth.data.pseudonymise import load_key

    key = load_key(key_file)
    step = counted(progress, len(find_extracts(source)))
    return ingest(
        source, warehouse, key, report=report, progress=step, synthetic=synthetic, bom=bom
    )


def opt_out(listing: Path, warehouse: Path, *, key_file: Path | None = None) -> OptOutResult:
    """Remove everyone listed from every table and refuse them in later loads."""
    from placehealth.data.optout import opt_out as remove
    from placehealth.data.pseudonymise import load_key

    return remove(listing, warehouse, load_key(key_file))
