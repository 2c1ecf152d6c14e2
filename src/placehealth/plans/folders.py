"""Folders of tables inside a plan folder (``finance/``, ``activity/``): which files are in
one, and which files of a path are. Light: the outcome-plan loader asks it which files to
leave alone."""

from __future__ import annotations

from pathlib import Path

from placehealth.errors import InputFileError

# plan sub-folders that hold tables (money, risks, activity), not outcome ambitions
DATA_FOLDERS = ("finance", "bcf", "risks", "activity")


def in_folder(file: Path, root: Path, folder: str) -> bool:
    """Is ``file`` (found under ``root``) in a ``folder`` folder?"""
    inside = file.relative_to(root).parent.parts if file != root else ()
    return folder in inside or root.name == folder or file.parent.name == folder


def in_data_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in any table folder (not an outcome plan file)?"""
    return any(in_folder(file, root, folder) for folder in DATA_FOLDERS)


def files_in(path: Path, folder: str, *, direct: bool = False) -> list[Path]:
    """The YAML files of ``folder`` folders under ``path``: a file in one, such a folder, or
    a plan folder (or folder of plans) holding them; none is not an error. ``direct``
    leaves out the folder's own sub-folders (``finance/investments/``)."""
    if not path.exists():
        raise InputFileError("no such file or folder", file=path, hint="give a plan folder")
    if path.is_file():
        return [path] if path.parent.name == folder else []
    return sorted(
        p
        for p in path.rglob("*.yaml")
        if p.is_file() and in_folder(p, path, folder) and (not direct or p.parent.name == folder)
    )
