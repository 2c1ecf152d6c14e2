"""Pseudonymisation: NHS number → HMAC-SHA256(key, number), with the key kept secret.

The key comes from ``PLACEHEALTH_PSEUDO_KEY`` or a key file; without one
ingestion refuses to run. The key is never printed, logged or stored: the
warehouse keeps only a check value (the HMAC of a fixed text) so that a load
with a different key, which would silently split every person in two, is
refused.

HMAC runs inside DuckDB as SQL over a column (``sha256`` of the padded key and
the message, RFC 2104), with the padded keys passed as query parameters, never
written into SQL text, for the tools that hash numbers a user gives them.
:meth:`PseudoKey.hmac_hex` is the same in Python (hashlib) and is the reference
the SQL is tested against.

Ingestion never lets DuckDB see a raw number, not even in passing: DuckDB
spills to disk under memory pressure, whole blocks at a time, and a block can
carry stale bytes of memory the process used before, so a number DuckDB once
held could reach a spill file that a killed load leaves behind.
:func:`key_rows` finds each file's distinct numbers in Arrow, hashes them in
Python (each number once per load), and hands DuckDB only the hashes; the rows
of the file carry the index of their number, never the number itself.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from placehealth.data.nhs_number import OK, statuses
from placehealth.errors import ConfigurationError
from placehealth.private import is_owner_only

ENV_KEY = "PLACEHEALTH_PSEUDO_KEY"
ENV_KEY_FILE = "PLACEHEALTH_PSEUDO_KEY_FILE"
MIN_KEY_BYTES = 16
MIN_KEY_BITS = 64
"""Least randomness of a key, as :func:`estimated_bits` estimates it."""
BLOCK = 64  # SHA-256 block size in bytes
_CHECK_TEXT = b"placehealth pseudonymisation key check, version 1"


class PseudoKey:
    """The secret key. Its repr never shows it."""

    __slots__ = ("_known", "_secret")

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_KEY_BYTES:
            raise ConfigurationError(
                f"the pseudonymisation key is too short (at least {MIN_KEY_BYTES} bytes)",
                hint="use a long random value, e.g. from: openssl rand -hex 32",
            )
        self._secret = secret
        self._known: dict[str, str] = {}  # number -> hash, so a load hashes each number once

    def __repr__(self) -> str:
        return "PseudoKey(<hidden>)"

    def pads(self) -> dict[str, bytes]:
        """The inner and outer padded keys of RFC 2104, as SQL parameters."""
        key = self._secret
        if len(key) > BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(BLOCK, b"\0")
        return {
            "ipad": bytes(b ^ 0x36 for b in key),
            "opad": bytes(b ^ 0x5C for b in key),
        }

    def hmac_hex(self, values: Iterable[str]) -> list[str]:
        """HMAC-SHA256 of each value in Python (the reference for the SQL version)."""
        inner = hmac.new(self._secret, digestmod=hashlib.sha256)
        out = []
        for value in values:
            h = inner.copy()
            h.update(value.encode("ascii"))
            out.append(h.hexdigest())
        return out

    def hash_text(self, values: Iterable[str | None]) -> list[str | None]:
        """HMAC-SHA256 of each text (UTF-8), blank and missing values left missing.

        For identifiers that are not NHS numbers (a source system's record id): kept
        only as a keyed hash, equal where the ids are equal, so corrections still match.
        """
        inner = hmac.new(self._secret, digestmod=hashlib.sha256)
        out: list[str | None] = []
        for value in values:
            if value is None or not value.strip():
                out.append(None)
                continue
            h = inner.copy()
            h.update(value.strip().encode("utf-8"))
            out.append(h.hexdigest())
        return out

    def hash_numbers(self, numbers: Iterable[str]) -> list[str]:
        """HMAC-SHA256 of each number, as :meth:`hmac_hex`, remembering those seen before.

        A load meets the same person in many files; the numbers stay in this process's
        memory, like the extract rows they come from.
        """
        known = self._known
        new = [n for n in dict.fromkeys(numbers) if n not in known]
        known.update(zip(new, self.hmac_hex(new), strict=True))
        return [known[n] for n in numbers]

    def check_value(self) -> str:
        """A value that identifies the key without revealing it."""
        return hmac.new(self._secret, _CHECK_TEXT, hashlib.sha256).hexdigest()


def hmac_sql(column: str) -> str:
    """DuckDB SQL for HMAC-SHA256 of ``column`` (text) as 64 hex characters.

    Needs the parameters ``$ipad`` and ``$opad`` from :meth:`PseudoKey.pads`.
    """
    return f"sha256($opad || unhex(sha256($ipad || CAST({column} AS BLOB))))"


def load_key(key_file: Path | None = None) -> PseudoKey:
    """The key from ``key_file``, else the file in ``PLACEHEALTH_PSEUDO_KEY_FILE``, else
    ``PLACEHEALTH_PSEUDO_KEY`` itself.

    A key file anyone but its owner can read or change is refused (whoever reads the
    key can re-identify every person by hashing candidate NHS numbers), and so is a
    key too short or too predictable to resist guessing.
    """
    path = key_file or (Path(os.environ[ENV_KEY_FILE]) if os.environ.get(ENV_KEY_FILE) else None)
    if path is not None:
        try:
            _check_private(path)
            secret = path.read_bytes().strip()
        except OSError as exc:
            raise ConfigurationError(
                f"cannot read the key file: {exc.strerror}", file=path
            ) from None
        if not secret:
            raise ConfigurationError("the key file is empty", file=path)
        return _strong(secret, path)
    value = os.environ.get(ENV_KEY, "")
    if not value:
        raise ConfigurationError(
            "no pseudonymisation key: NHS numbers cannot be replaced without one",
            hint=f"set {ENV_KEY} or pass --key-file (a file holding the key)",
        )
    return _strong(value.encode("utf-8"), None)


def estimated_bits(secret: bytes) -> float:
    """Randomness of a key in bits: its length times the entropy of its own characters.

    A rough, conservative estimate: it cannot see patterns (``abcdef…`` scores
    well), but it catches repeated and few-character keys, and undercounts truly
    random ones (32 random hex digits score about 110 bits).
    """
    counts = np.bincount(np.frombuffer(secret, dtype=np.uint8), minlength=256)
    share = counts[counts > 0] / len(secret)
    return float(len(secret) * -(share * np.log2(share)).sum())


def _strong(secret: bytes, path: Path | None) -> PseudoKey:
    key = PseudoKey(secret)  # refuses a short key
    bits = estimated_bits(secret)
    if bits < MIN_KEY_BITS:
        raise ConfigurationError(
            f"the pseudonymisation key is too predictable: about {bits:.0f} bits of "
            f"randomness, estimated from how often its characters repeat; at least "
            f"{MIN_KEY_BITS} are needed",
            file=path,
            hint="use a long random value, e.g. from: openssl rand -hex 32",
        )
    return key


def _check_private(path: Path) -> None:
    """Refuse a key file that its owner's group or other users can read or write."""
    if os.name != "posix" or not path.exists() or is_owner_only(path):
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    raise ConfigurationError(
        f"the key file can be read or changed by other users (mode {mode:o})",
        file=path,
        hint=f"make it private: chmod 600 {path}",
    )


def key_rows(
    con: duckdb.DuckDBPyConnection,
    numbers: pa.ChunkedArray | pa.Array,
    key: PseudoKey,
    *,
    synthetic: bool = False,
    target: str = "nhs_keys",
) -> pa.Array:
    """Each row's index into temp table ``target`` (``i``, ``person_key``, ``nhs_status``).

    ``target`` holds one row per distinct number of ``numbers`` (spaces and hyphens
    dropped): its keyed hash when the number is acceptable (status ``ok``), else only
    its status (see :data:`placehealth.data.nhs_number.REFUSED`). Blank cells get a
    null index. DuckDB is given the hashes, never the numbers.
    """
    text = pc.cast(numbers, pa.string())
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(text), "[ -]", "")
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    encoded = pc.dictionary_encode(text)
    distinct = encoded.dictionary
    values = distinct.to_numpy(zero_copy_only=False)
    status = statuses(values, synthetic=synthetic)
    ok = status == OK
    hashes = np.full(len(values), None, dtype=object)
    hashes[ok] = key.hash_numbers(values[ok].tolist())
    frame = pa.table(
        {
            "i": pa.array(np.arange(len(values), dtype=np.int32)),
            "person_key": pa.array(hashes, type=pa.string()),
            "nhs_status": pa.array(status.astype(str), type=pa.string()),
        }
    )
    con.register("nhs_distinct", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM nhs_distinct")
    finally:
        con.unregister("nhs_distinct")
    return encoded.indices
