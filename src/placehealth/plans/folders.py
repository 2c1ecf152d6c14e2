"""Folders of tables inside a plan folder (``finance/``, ``activity/``): which files are in
one, and which files of a path are. Light: the outcome-plan loader asks it which files to
leave alone."""

from __future__ import annotations

from pathlib import Path

from placehealth.errors import InputFileError


def in_folder(file: Path, root: Path, folder: str) -> bool:
    """Is ``file`` (found under ``root``) in a ``folder`` folder?"""
    inside = file.relative_to(root).parent.parts if file != root else ()
    return folder in inside or root.name == folder or file.parent.name == folder


def files_in(path: Path, folder: str) -> list[Path]:
    """The YAML files of ``folder`` folders under ``path``: a file in one, such a folder, or
    a plan folder (or folder of plans) holding them; none is not an error."""
    if not path.exists():
        raise InputFileError("no such file or folder", file=path, hint="give a plan folder")
    if path.is_file():
        return [path] if path.parent.name == folder else []
    return sorted(p for p in path.rglob("*.yaml") if p.is_file() and in_folder(p, path, folder))
