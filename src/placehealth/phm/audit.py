"""An append-only audit log of case-finding requests, hash-chained, with its head kept apart.

One JSON object a line. Each entry carries ``prev_sha256``, the SHA-256 of the
previous line's exact bytes (64 zeros for the first), and ``entry_sha256``, the
SHA-256 of its own canonical JSON without that field. Editing, inserting or
deleting any line breaks the chain at the next line, and editing the last line
breaks its own hash.

What a chain cannot show by itself is the loss of its newest lines (a
truncated, emptied or deleted log) or its last line rewritten with fresh
hashes. So every append also adds the chain's *head* (the number of entries
and the last line's hash) as a line to a second file that the deployment keeps
elsewhere (:mod:`placehealth.deployment`); the last line counts. :func:`verify`
compares the log with it, and :func:`append` refuses to add to a log that no
longer matches it, so nothing is released on top of a damaged record. Both files
are only ever appended to, so an administrator can make them append-only
(``chattr +a``), which not even the account writing them can truncate or delete.

Appends take an exclusive lock on the log, so two users writing at once cannot
fork the chain. The log and its head are owner-only.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from placehealth.errors import ConfigurationError, InputFileError
from placehealth.private import OWNER_ONLY

GENESIS = "0" * 64
FIELDS = (
    "seq",
    "timestamp",
    "user",
    "role",
    "action",
    "neighbourhood",
    "threshold",
    "index_date",
    "model_sha256",
    "rows_released",
    "identifiable",
    "outcome",
    "reason",
    "output",
    "output_sha256",
    "patients_sha256",
    "nhs_numbers_matched",
    "warehouse",
    "deployment",
    "development",
)
FIX = "ask the Caldicott Guardian to check it with 'placehealth phm audit --verify'"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def _entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "entry_sha256"}
    return sha256_bytes(_canonical(body))


def _last_line(handle: Any) -> bytes | None:
    """The last non-empty line of an open binary file, read from its end."""
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    if end == 0:
        return None
    block = 4096
    data = b""
    pos = end
    while pos > 0:
        step = min(block, pos)
        pos -= step
        handle.seek(pos)
        data = handle.read(step) + data
        stripped = data.rstrip(b"\n")
        if b"\n" in stripped:
            return stripped.rsplit(b"\n", 1)[1]
    stripped = data.rstrip(b"\n")
    return stripped or None


@dataclass(frozen=True)
class Head:
    """How many entries the log holds and the SHA-256 of its last line."""

    entries: int
    last_sha256: str


EMPTY = Head(0, GENESIS)


def read_head(path: Path) -> Head | None:
    """The recorded head (the head file's last line), or None when it is missing or empty."""
    try:
        with path.open("rb") as handle:
            last = _last_line(handle)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputFileError(f"cannot read the audit head: {exc.strerror}", file=path) from None
    if last is None:
        return None
    try:
        data = json.loads(last)
        return Head(int(data["entries"]), str(data["last_sha256"]))
    except (ValueError, KeyError, TypeError):
        raise InputFileError(
            "the audit head's last line is not a head", file=path, hint="restore it from a backup"
        ) from None


def _recorded(path: Path) -> Head | None:
    """The head for an append: an unreadable head stops the release like an unwritable log."""
    try:
        return read_head(path)
    except InputFileError as exc:
        raise ConfigurationError(
            f"{exc.message}; nothing was released", file=path, hint=exc.hint or FIX
        ) from None


def _owner_only(descriptor: int) -> None:
    """Owner-only, changed only when needed: an append-only (chattr +a) file refuses chmod."""
    info = os.fstat(descriptor)
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != OWNER_ONLY:
        os.fchmod(descriptor, OWNER_ONLY)


def _append_head(path: Path, head: Head) -> None:
    """Add the new head as a line: the head file is append-only too, so it can be kept so."""
    data = json.dumps({"entries": head.entries, "last_sha256": head.last_sha256}) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, OWNER_ONLY)
    try:
        _owner_only(descriptor)
        os.write(descriptor, data.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def mismatch(found: Head, recorded: Head | None) -> str | None:
    """Why the log's state ``found`` is not the ``recorded`` head, or None if it is."""
    if recorded is None:
        if found.entries == 0:
            return None  # a new log
        return f"the log has {found.entries} entries but its head is missing or empty"
    if found == recorded:
        return None
    if found.entries == 0:
        return (
            f"the log is missing or empty but its head records {recorded.entries} entries "
            "(deleted or emptied)"
        )
    if found.entries < recorded.entries:
        return (
            f"the log ends after {found.entries} entries but its head records "
            f"{recorded.entries} (entries removed from its end)"
        )
    if found.entries > recorded.entries:
        return (
            f"the log has {found.entries} entries but its head records {recorded.entries} "
            "(entries added without the head, or a write cut short)"
        )
    return "the log's last entry is not the one its head records (its end was rewritten)"


def _damaged(log: Path, problem: str) -> ConfigurationError:
    return ConfigurationError(
        f"the audit log does not match its head: {problem}; nothing was released",
        file=log,
        hint=FIX,
    )


def _state(log: Path, last: bytes | None) -> Head:
    """The head the log itself shows: its last line's sequence number and hash."""
    if last is None:
        return EMPTY
    try:
        return Head(int(json.loads(last)["seq"]), sha256_bytes(last))
    except (ValueError, KeyError, TypeError):
        raise ConfigurationError(
            "the audit log's last line is not an audit entry; nothing was released",
            file=log,
            hint=FIX,
        ) from None


def _read_locked(
    log: Path, head: Callable[[], Head | None], part: Callable[[Any], bytes | None]
) -> tuple[bytes | None, Head | None]:
    """``part`` of the log and its head, read under a shared lock.

    An append holds the exclusive lock from writing its entry to writing the head,
    so a reader never takes an append in progress for a damaged log.
    """
    try:
        handle = log.open("rb")
    except FileNotFoundError:
        return None, head()
    with handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        return part(handle), head()


def check_ready(log: Path, head: Path) -> None:
    """Fail before any work if the log could not be appended to; creates nothing."""
    if log.exists():
        ok = log.is_file() and os.access(log, os.W_OK)
    else:
        ancestor = log.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        ok = ancestor.is_dir() and os.access(ancestor, os.W_OK | os.X_OK)
    if not ok:
        raise ConfigurationError(
            "cannot write the audit log; nothing was released",
            file=log,
            hint="check the deployment's audit_log folder is writable by this account",
        )
    try:
        last, recorded = _read_locked(log, lambda: _recorded(head), _last_line)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the audit log: {exc.strerror}; nothing was released", file=log
        ) from None
    problem = mismatch(_state(log, last), recorded)
    if problem is not None:
        raise _damaged(log, problem)


def append(log: Path, head: Path, **fields: Any) -> dict[str, Any]:
    """Write one entry (the fields in :data:`FIELDS`) and the new head; return the entry.

    Raises ConfigurationError if the log cannot be written or no longer matches
    its head: callers release nothing in that case.
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown audit field(s): {', '.join(sorted(unknown))}")
    try:
        recorded = _recorded(head)
        if not log.exists() and recorded is not None and recorded.entries > 0:
            raise _damaged(log, mismatch(EMPTY, recorded) or "")
        log.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, OWNER_ONLY)
        with os.fdopen(descriptor, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            _owner_only(descriptor)
            found = _state(log, _last_line(handle))
            problem = mismatch(found, _recorded(head))
            if problem is not None:
                raise _damaged(log, problem)
            entry: dict[str, Any] = dict.fromkeys(FIELDS)
            entry.update(fields)
            entry["seq"] = found.entries + 1
            entry["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
            entry["prev_sha256"] = found.last_sha256
            entry["entry_sha256"] = _entry_hash(entry)
            line = _canonical(entry)
            handle.seek(0, os.SEEK_END)
            handle.write(line + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
            _append_head(head, Head(found.entries + 1, sha256_bytes(line)))
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write the audit log: {exc.strerror}; nothing was released",
            file=exc.filename or log,
            hint="check the deployment's audit_log and audit_head folders are writable",
        ) from None
    return entry


@dataclass(frozen=True)
class Trail:
    """A deployment's audit log and the head kept for it elsewhere."""

    log: Path
    head: Path

    def __str__(self) -> str:
        return str(self.log)

    def check_ready(self) -> None:
        check_ready(self.log, self.head)

    def append(self, **fields: Any) -> dict[str, Any]:
        return append(self.log, self.head, **fields)

    def verify(self) -> Verification:
        return verify(self.log, self.head)


def read(path: Path) -> list[dict[str, Any]]:
    """Every entry of the log, oldest first."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise InputFileError(f"cannot read the audit log: {exc.strerror}", file=path) from None
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            raise InputFileError("not a JSON line", file=path, line=number) from None
    return out


@dataclass(frozen=True)
class Verification:
    """The result of checking a log: ``ok``, or the first broken line (if any) and why."""

    ok: bool
    entries: int
    last_sha256: str | None
    line: int | None = None
    problem: str | None = None
    head_entries: int | None = None


def verify(log: Path, head: Path) -> Verification:
    """Check every line's links (previous-line hash, own hash, sequence), then the head."""
    try:
        data, recorded = _read_locked(log, lambda: read_head(head), lambda h: h.read())
    except OSError as exc:
        raise InputFileError(f"cannot read the audit log: {exc.strerror}", file=log) from None
    counted = recorded.entries if recorded is not None else None
    lines = data.split(b"\n") if data else []
    if lines and lines[-1] == b"":
        lines.pop()
    prev = GENESIS
    last: str | None = None
    for number, line in enumerate(lines, start=1):

        def broken(problem: str, number: int = number, last: str | None = last) -> Verification:
            return Verification(False, number - 1, last, number, problem, counted)

        try:
            entry = json.loads(line)
        except ValueError:
            return broken("not a JSON line")
        if not isinstance(entry, dict):
            return broken("not an audit entry")
        if entry.get("prev_sha256") != prev:
            return broken("the previous line was changed, removed or inserted")
        if entry.get("entry_sha256") != _entry_hash(entry):
            return broken("this line was changed")
        if entry.get("seq") != number:
            return broken(f"sequence number {entry.get('seq')} where {number} was expected")
        prev = sha256_bytes(line)
        last = prev
    problem = mismatch(Head(len(lines), prev), recorded)
    return Verification(problem is None, len(lines), last, None, problem, counted)
