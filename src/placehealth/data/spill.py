"""The private folder a load lets DuckDB spill to, removed on every exit path.

When a load needs more memory than its limit, DuckDB writes blocks of its
temporary tables to this folder. Staging keeps raw NHS numbers out of those
tables (see :func:`placehealth.data.extracts.stage`), so a spill file holds
hashes and clinical data, not identifiers; it is still person-level data, so
the folder is owner-only (0700) and removed when the load ends. A load that is
killed cannot remove it, so every load first removes the folders of loads
whose process is gone: each folder holds a lock file its load keeps locked
(the operating system releases the lock when the process dies, however it
dies), and carries the process id in its name for the moment before the lock
is taken.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from placehealth.private import owner_only

PREFIX = "placehealth-spill-"
LOCK = "lock"
_held: dict[Path, int] = {}  # spill folder -> descriptor of its locked lock file


def make_spill_dir() -> Path:
    """A new owner-only folder for this load's spill files, locked while the load lives."""
    remove_stale()
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    owner_only(path)
    descriptor = os.open(path / LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    _held[path] = descriptor
    return path


def remove_spill_dir(path: Path) -> None:
    """Remove the folder and everything in it, and release its lock."""
    descriptor = _held.pop(path, None)
    shutil.rmtree(path, ignore_errors=True)
    if descriptor is not None:
        os.close(descriptor)


def remove_stale(folder: Path | None = None) -> list[Path]:
    """Remove the spill folders (in ``folder``, default the temporary folder) of dead loads."""
    removed = []
    root = Path(folder or tempfile.gettempdir())
    for path in root.glob(f"{PREFIX}*"):
        if path.is_dir() and not path.is_symlink() and _is_stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _is_stale(path: Path) -> bool:
    """True for a folder of ours whose load has ended without removing it."""
    try:
        if path.stat().st_uid != os.getuid() or path in _held:
            return False
        descriptor = os.open(path / LOCK, os.O_RDONLY)
    except FileNotFoundError:  # no lock yet: stale only if the process that made it is gone
        return not process_alive(_pid(path))
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a live load holds it
    finally:
        os.close(descriptor)  # closing releases a lock taken here
    return True


def _pid(path: Path) -> int | None:
    head = path.name.removeprefix(PREFIX).split("-", 1)[0]
    return int(head) if head.isdigit() else None


def process_alive(pid: int | None) -> bool:
    """True while a process with this id exists (it may be another one, if the id was reused)."""
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
