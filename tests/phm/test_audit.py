"""Audit log: append-only entries with a hash chain that shows any edited, removed or added line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from placehealth.errors import ConfigurationError
from placehealth.phm import audit


def three(path: Path) -> None:
    for outcome in ("released", "denied", "released"):
        audit.append(
            path,
            user="alice",
            role="neighbourhood_team",
            action="cohort",
            neighbourhood="NBSYN01",
            threshold=0.5,
            outcome=outcome,
            rows_released=3 if outcome == "released" else 0,
        )


def test_entries_are_appended_with_every_field(tmp_path: Path) -> None:
    log = tmp_path / "w.duckdb.audit.jsonl"
    three(log)
    entries = audit.read(log)
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert [e["outcome"] for e in entries] == ["released", "denied", "released"]
    assert set(audit.FIELDS) <= set(entries[0])
    assert entries[0]["prev_sha256"] == audit.GENESIS
    assert entries[0]["timestamp"].endswith("+00:00")  # UTC
    result = audit.verify(log)
    assert result.ok and result.entries == 3
    assert result.last_sha256 == audit.sha256_bytes(log.read_bytes().splitlines()[-1])


def test_edited_line_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["outcome"] = "released"  # hide a refusal
    lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n")
    result = audit.verify(log)
    assert not result.ok
    assert result.line == 2
    assert result.problem == "this line was changed"


def test_edited_line_with_its_own_hash_recomputed_breaks_the_next_link(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_text().splitlines()
    entry = json.loads(lines[0])
    entry["rows_released"] = 0
    entry["entry_sha256"] = audit._entry_hash(entry)
    lines[0] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n")
    result = audit.verify(log)
    assert (result.ok, result.line) == (False, 2)
    assert "previous line" in (result.problem or "")


def test_removed_line_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_text().splitlines()
    log.write_text("\n".join([lines[0], lines[2]]) + "\n")
    result = audit.verify(log)
    assert (result.ok, result.line) == (False, 2)


def test_edited_last_line_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    log.write_text(log.read_text().replace('"rows_released":3', '"rows_released":30'))
    result = audit.verify(log)
    assert not result.ok
    assert result.line == 1  # the first edited line is where the chain breaks


def test_append_after_a_garbled_last_line_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    with log.open("a") as handle:
        handle.write("not json\n")
    with pytest.raises(ConfigurationError, match="last line is not an audit entry"):
        audit.append(log, user="alice", outcome="denied")
    assert not audit.verify(log).ok


def test_unwritable_log_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(ConfigurationError, match="nothing was released"):
        audit.append(blocker / "audit.jsonl", user="alice", outcome="released")


def test_default_path_is_next_to_the_warehouse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(audit.ENV_AUDIT, raising=False)
    assert audit.default_path(tmp_path / "w.duckdb", None) == tmp_path / "w.duckdb.audit.jsonl"
    monkeypatch.setenv(audit.ENV_AUDIT, str(tmp_path / "env.jsonl"))
    assert audit.default_path(tmp_path / "w.duckdb", None) == tmp_path / "env.jsonl"
    assert audit.default_path(None, tmp_path / "o.jsonl") == tmp_path / "o.jsonl"


def test_check_writable_creates_nothing(tmp_path: Path) -> None:
    log = tmp_path / "new" / "audit.jsonl"
    audit.check_writable(log)
    assert not log.parent.exists()
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigurationError, match="nothing was released"):
        audit.check_writable(blocker / "audit.jsonl")
