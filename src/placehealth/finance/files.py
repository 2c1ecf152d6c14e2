"""Where finance files live: a ``finance/`` folder inside a plan folder.

Its own light module: the outcome-plan loader asks it which files to leave alone.
"""

from __future__ import annotations

from pathlib import Path

from placehealth.plans.folders import files_in, in_folder

FOLDER = "finance"


def in_finance_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in a finance folder?"""
    return in_folder(file, root, FOLDER)


def finance_files(path: Path) -> list[Path]:
    """The finance files under ``path``: a finance file, a ``finance/`` folder, or a
    plan folder (or folder of plans) holding them; none is not an error."""
    return files_in(path, FOLDER)
