"""The keyed hash: SQL and Python agree with HMAC-SHA256, and the key stays secret."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.data.pseudonymise import (
    ENV_KEY,
    ENV_KEY_FILE,
    PseudoKey,
    hmac_sql,
    load_key,
)
from placehealth.errors import ConfigurationError


def sql_hmac(key: PseudoKey, values: list[str]) -> list[str]:
    con = duckdb.connect()
    con.register("v", pd.DataFrame({"x": values, "i": range(len(values))}))
    rows = con.execute(f"SELECT {hmac_sql('x')} FROM v ORDER BY i", key.pads()).fetchall()
    return [r[0] for r in rows]


def test_rfc_4231_test_case_2() -> None:
    """RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?" (the key is short, so
    it is padded exactly as a longer one would be)."""
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    key = PseudoKey.__new__(PseudoKey)
    key._secret = b"Jefe"  # the RFC's key is shorter than the product allows
    assert sql_hmac(key, ["what do ya want for nothing?"]) == [expected]
    assert key.hmac_hex(["what do ya want for nothing?"]) == [expected]


@pytest.mark.parametrize("secret", [b"k" * 16, b"a much longer key " * 8])
def test_sql_and_python_agree_with_hmac(secret: bytes) -> None:
    values = [f"999{i:07d}" for i in range(0, 2000, 7)]
    key = PseudoKey(secret)
    expected = [hmac.new(secret, v.encode(), hashlib.sha256).hexdigest() for v in values]
    assert key.hmac_hex(values) == expected
    assert sql_hmac(key, values) == expected


def test_no_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    with pytest.raises(ConfigurationError, match="no pseudonymisation key"):
        load_key()


def test_short_key_is_refused_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY, "short-secret")
    with pytest.raises(ConfigurationError, match="too short") as err:
        load_key()
    assert "short-secret" not in str(err.value)


def test_key_file_wins_and_is_stripped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.key"
    path.write_text("file-key-0123456789abcdef\n")
    monkeypatch.setenv(ENV_KEY, "environment-key-0123456789")
    assert load_key(path).check_value() == PseudoKey(b"file-key-0123456789abcdef").check_value()
    monkeypatch.setenv(ENV_KEY_FILE, str(path))
    assert load_key().check_value() == PseudoKey(b"file-key-0123456789abcdef").check_value()
    with pytest.raises(ConfigurationError, match="cannot read the key file"):
        load_key(tmp_path / "missing.key")


def test_the_key_never_shows() -> None:
    key = PseudoKey(b"super-secret-value-123")
    assert "super-secret" not in repr(key)
    assert "super-secret" not in key.check_value()
