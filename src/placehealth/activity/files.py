"""Where activity files live: an ``activity/`` folder inside a plan folder."""

from __future__ import annotations

from pathlib import Path

from placehealth.plans.folders import files_in, in_folder

FOLDER = "activity"


def in_activity_folder(file: Path, root: Path) -> bool:
    """Is ``file`` (found under ``root``) in an activity folder?"""
    return in_folder(file, root, FOLDER)


def activity_files(path: Path) -> list[Path]:
    """The activity files under ``path`` (none is not an error)."""
    return files_in(path, FOLDER)
