"""Where finance files live: a ``finance/`` folder inside a plan folder.

Its own light module: the outcome-plan loader asks it which files to leave alone.
"""

from __future__ import annotations

from pathlib import Path

from placehealth.errors import InputFileError
from placehealth.plans.folders import files_in, in_folder

FOLDER = "finance"


def in_finance_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in a finance folder?"""
    return in_folder(file, root, FOLDER)


def finance_files(path: Path) -> list[Path]:
    """The finance files under ``path``: a finance file, a ``finance/`` folder, or a
    plan folder (or folder of plans) holding them; none is not an error."""
    # directly in a finance folder: its subfolders (investments/) hold other kinds of file
    return files_in(path, FOLDER, direct=True)


def folder_files(path: Path, folder: str) -> list[Path]:
    """The YAML files of a plan's ``folder`` (``bcf``, ``risks``) under ``path``: a file, the
    folder itself, a plan folder or a folder of plans."""
    if not path.exists():
        raise InputFileError("no such file or folder", file=path, hint="give a plan folder")
    if path.is_file():
        return [path]
    if path.name == folder:
        return sorted(path.glob("*.yaml"))
    return sorted(path.glob(f"{folder}/*.yaml")) or sorted(path.glob(f"*/{folder}/*.yaml"))
