"""An append-only audit log of case-finding requests, hash-chained (DESIGN §4).

One JSON object a line. Each entry carries ``prev_sha256``, the SHA-256 of the
previous line's exact bytes (64 zeros for the first), and ``entry_sha256``, the
SHA-256 of its own canonical JSON without that field. Editing, inserting or
deleting any line breaks the chain at the next line, and editing the last line
breaks its own hash. What a chain cannot show by itself is the loss of its
newest lines, or the whole tail rewritten with fresh hashes: :func:`verify`
returns the last entry's hash so that it can be kept elsewhere (a ticket, an
e-mail to the Caldicott Guardian) and compared later.

Appends take an exclusive lock on the file, so two users writing at once
cannot fork the chain.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from placehealth.errors import ConfigurationError, InputFileError

ENV_AUDIT = "PLACEHEALTH_AUDIT_LOG"
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
)


def default_path(warehouse: Path | None, option: Path | None) -> Path:
    """``--audit``, else ``PLACEHEALTH_AUDIT_LOG``, else ``<warehouse>.audit.jsonl``."""
    if option is not None:
        return option
    value = os.environ.get(ENV_AUDIT, "")
    if value:
        return Path(value)
    if warehouse is None:
        raise ConfigurationError("no audit log given", hint=f"pass --log FILE or set {ENV_AUDIT}")
    return warehouse.with_name(warehouse.name + ".audit.jsonl")


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


def check_writable(path: Path) -> None:
    """Fail before any work if the log could not be appended to; creates nothing."""
    if path.exists():
        ok = path.is_file() and os.access(path, os.W_OK)
    else:
        ancestor = path.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        ok = ancestor.is_dir() and os.access(ancestor, os.W_OK | os.X_OK)
    if not ok:
        raise ConfigurationError(
            "cannot write the audit log; nothing was released",
            file=path,
            hint=f"check the folder is writable, or pass --audit FILE / set {ENV_AUDIT}",
        )


def append(path: Path, **fields: Any) -> dict[str, Any]:
    """Write one entry (the fields in :data:`FIELDS`) and return it as written.

    Raises ConfigurationError if the log cannot be written: callers release
    nothing in that case.
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown audit field(s): {', '.join(sorted(unknown))}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            last = _last_line(handle)
            prev = sha256_bytes(last) if last is not None else GENESIS
            seq = 1
            if last is not None:
                try:
                    seq = int(json.loads(last)["seq"]) + 1
                except (ValueError, KeyError, TypeError):
                    raise ConfigurationError(
                        "the audit log's last line is not an audit entry",
                        file=path,
                        hint="run 'placehealth phm audit --verify' and restore the log",
                    ) from None
            entry: dict[str, Any] = dict.fromkeys(FIELDS)
            entry.update(fields)
            entry["seq"] = seq
            entry["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
            entry["prev_sha256"] = prev
            entry["entry_sha256"] = _entry_hash(entry)
            handle.seek(0, os.SEEK_END)
            handle.write(_canonical(entry) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write the audit log: {exc.strerror}; nothing was released",
            file=path,
            hint=f"check the folder is writable, or pass --audit FILE / set {ENV_AUDIT}",
        ) from None
    return entry


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
    """The result of checking a log's chain: ``ok``, or the first broken line and why."""

    ok: bool
    entries: int
    last_sha256: str | None
    line: int | None = None
    problem: str | None = None


def verify(path: Path) -> Verification:
    """Check every line's links: previous-line hash, own hash, sequence number."""
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as exc:
        raise InputFileError(f"cannot read the audit log: {exc.strerror}", file=path) from None
    if lines and lines[-1] == b"":
        lines.pop()
    prev = GENESIS
    last: str | None = None
    for number, line in enumerate(lines, start=1):

        def broken(problem: str, number: int = number, last: str | None = last) -> Verification:
            return Verification(False, number - 1, last, number, problem)

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
    return Verification(True, len(lines), last)
