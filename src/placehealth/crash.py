"""Crash reports: the traceback goes to an owner-only file, never to the terminal or a page."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path

from placehealth import __version__
from placehealth.redact import mask_identifiers

ENV_CRASH_DIR = "PLACEHEALTH_CRASH_DIR"


def crash_directory() -> Path:
    """``$PLACEHEALTH_CRASH_DIR``, else a per-user folder in the system's temporary directory."""
    configured = os.environ.get(ENV_CRASH_DIR)
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"placehealth-crash-{os.getuid()}"


def crash_summary(exc: BaseException) -> str:
    """One line naming the error, for the terminal."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def record_crash(exc: BaseException) -> Path | None:
    """Write the masked traceback owner-only; None when even that fails (read-only disk)."""
    try:
        folder = crash_directory()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"crash-{stamp}.txt"
        text = "".join(traceback.format_exception(exc))
        body = f"placehealth {__version__}\n{mask_identifiers(text)}"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(body)
        return path
    except OSError:
        return None
