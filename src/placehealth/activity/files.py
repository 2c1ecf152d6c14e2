"""Where activity files live: an ``activity/`` folder inside a plan folder.

Its own light module: the outcome-plan loader asks it which files to leave alone.
"""

from __future__ import annotations

from pathlib import Path

from placehealth.errors import InputFileError

FOLDER = "activity"


def in_activity_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in an activity folder?"""
    inside = file.relative_to(root).parent.parts if file != root else ()
    return FOLDER in inside or root.name == FOLDER or file.parent.name == FOLDER


def activity_files(path: Path) -> list[Path]:
    """The activity files under ``path``: an activity file, an ``activity/`` folder, or a
    plan folder (or folder of plans) holding them; none is not an error."""
    if not path.exists():
        raise InputFileError("no such file or folder", file=path, hint="give a plan folder")
    if path.is_file():
        return [path] if path.parent.name == FOLDER else []
    return sorted(p for p in path.rglob("*.yaml") if p.is_file() and in_activity_folder(p, path))
