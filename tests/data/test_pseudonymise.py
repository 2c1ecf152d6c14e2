"""The keyed hash: SQL and Python agree with HMAC-SHA256, and the key stays secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.data.pseudonymise import (
    ENV_KEY,
    ENV_KEY_FILE,
    MIN_KEY_BITS,
    PseudoKey,
    estimated_bits,
    hmac_sql,
    load_key,
)
from placehealth.errors import ConfigurationError

STRONG = "3f9c2a7e51d04b8896e1c0a2f47d3b65"  # 32 random hex digits


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
    path.chmod(0o600)
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


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_key_file_others_can_read_or_change_is_refused_with_the_fix(
    tmp_path: Path, mode: int
) -> None:
    path = tmp_path / "secret.key"
    path.write_text(STRONG)
    path.chmod(mode)
    with pytest.raises(ConfigurationError, match="other users") as err:
        load_key(path)
    assert f"chmod 600 {path}" in str(err.value) and f"{mode:o}" in str(err.value)
    assert STRONG not in str(err.value)
    path.chmod(0o600)
    assert load_key(path).check_value() == PseudoKey(STRONG.encode()).check_value()


@pytest.mark.parametrize(
    "secret", ["a" * 40, "passwordpassword", "0000000000000000000000000000", "abababababababababab"]
)
def test_a_predictable_key_is_refused_saying_the_minimum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    monkeypatch.setenv(ENV_KEY, secret)
    with pytest.raises(ConfigurationError, match="too predictable") as err:
        load_key()
    assert f"at least {MIN_KEY_BITS}" in str(err.value) and "openssl rand" in str(err.value)
    assert secret not in str(err.value)
    path = tmp_path / "weak.key"
    path.write_text(secret)
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match="too predictable"):
        load_key(path)


def test_random_keys_pass_the_strength_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    for _ in range(200):  # openssl rand -hex 32, as the documentation recommends
        secret = secrets.token_hex(32)
        monkeypatch.setenv(ENV_KEY, secret)
        assert load_key().check_value() == PseudoKey(secret.encode()).check_value()
    assert estimated_bits(b"passwordpassword") == pytest.approx(44.0, abs=0.05)
    assert estimated_bits(b"0123456789abcdef") == pytest.approx(64.0)


def test_hash_numbers_agrees_with_hmac_and_hashes_each_number_once() -> None:
    key = PseudoKey(STRONG.encode())
    first = [f"999{i:07d}" for i in range(0, 3000, 7)]
    again = [*first[::-1], "9434765919", first[0]]
    assert key.hash_numbers(first) == key.hmac_hex(first)
    assert key.hash_numbers(again) == key.hmac_hex(again)
    assert len(key._known) == len(first) + 1
