"""Where finance files live: a ``finance/`` folder inside a plan folder.

Its own light module: the outcome-plan loader asks it which files to leave alone.
"""

from __future__ import annotations

from pathlib import Path

from placehealth.errors import InputFileError

FOLDER = "finance"
# plan sub-folders that hold money and risk data, not outcome ambitions
DATA_FOLDERS = (FOLDER, "bcf", "risks")


def in_finance_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in a finance folder?"""
    inside = file.relative_to(root).parent.parts if file != root else ()
    return FOLDER in inside or root.name == FOLDER or file.parent.name == FOLDER


def finance_files(path: Path) -> list[Path]:
    """The finance files under ``path``: a finance file, a ``finance/`` folder, or a
    plan folder (or folder of plans) holding them; none is not an error."""
    if not path.exists():
        raise InputFileError("no such file or folder", file=path, hint="give a plan folder")
    if path.is_file():
        return [path] if path.parent.name == FOLDER else []
    return sorted(p for p in path.rglob("*.yaml") if p.is_file() and in_finance_folder(p, path))


def in_data_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in a finance, BCF or risks folder (not an outcome
    plan file)?"""
    inside = file.relative_to(root).parent.parts if file != root else ()
    return any(f in inside or root.name == f or file.parent.name == f for f in DATA_FOLDERS)


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
