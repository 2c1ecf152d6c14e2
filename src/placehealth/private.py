"""Owner-only files for anything that holds person-level or access data.

Case lists, the warehouse, the audit log and key files must not follow the
user's umask (commonly 0022, so world-readable). Every writer of such a file
goes through :func:`owner_only` (a process-wide umask is not thread-safe and
would leak into unrelated files), or creates the file inside
:func:`private_umask` when a library opens it for us.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_DIR = 0o700


def owner_only(path: str | Path) -> Path:
    """Make ``path`` readable and writable by its owner alone (a directory: 0700)."""
    path = Path(path)
    path.chmod(OWNER_ONLY_DIR if path.is_dir() else OWNER_ONLY)
    return path


def is_owner_only(path: str | Path) -> bool:
    """True when nobody but the owner can read or write ``path``."""
    mode = Path(path).stat().st_mode
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files owner-only while the block runs (for files a library creates)."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)
