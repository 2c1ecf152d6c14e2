"""Audit log: append-only entries with a hash chain that shows any edited, removed or added line."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from placehealth.errors import ConfigurationError
from placehealth.phm import audit


def head_of(log: Path) -> Path:
    """Where these tests keep a log's head: another folder, as a deployment should."""
    return log.parent / "heads" / (log.name + ".head")


def verify(log: Path) -> audit.Verification:
    return audit.verify(log, head_of(log))


def three(path: Path) -> None:
    for outcome in ("released", "denied", "released"):
        audit.append(
            path,
            head_of(path),
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
    result = verify(log)
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
    result = verify(log)
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
    result = verify(log)
    assert (result.ok, result.line) == (False, 2)
    assert "previous line" in (result.problem or "")


def test_removed_line_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_text().splitlines()
    log.write_text("\n".join([lines[0], lines[2]]) + "\n")
    result = verify(log)
    assert (result.ok, result.line) == (False, 2)


def test_edited_last_line_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    log.write_text(log.read_text().replace('"rows_released":3', '"rows_released":30'))
    result = verify(log)
    assert not result.ok
    assert result.line == 1  # the first edited line is where the chain breaks


def test_append_after_a_garbled_last_line_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    with log.open("a") as handle:
        handle.write("not json\n")
    with pytest.raises(ConfigurationError, match="last line is not an audit entry"):
        audit.append(log, head_of(log), user="alice", outcome="denied")
    assert not verify(log).ok


def test_unwritable_log_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(ConfigurationError, match="nothing was released"):
        log = blocker / "audit.jsonl"
        audit.append(log, head_of(log), user="alice", outcome="released")


def test_check_ready_creates_nothing(tmp_path: Path) -> None:
    log = tmp_path / "new" / "audit.jsonl"
    audit.check_ready(log, head_of(log))
    assert not log.parent.exists()
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigurationError, match="nothing was released"):
        audit.check_ready(blocker / "audit.jsonl", head_of(log))


def test_head_records_the_count_and_last_hash(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    heads = [json.loads(line) for line in head_of(log).read_text().splitlines()]
    hashes = [audit.sha256_bytes(line) for line in log.read_bytes().splitlines()]
    assert heads == [{"entries": n + 1, "last_sha256": h} for n, h in enumerate(hashes)]
    assert verify(log).head_entries == 3


def test_a_head_file_cut_back_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = head_of(log).read_bytes().splitlines(keepends=True)
    head_of(log).write_bytes(b"".join(lines[:2]))
    result = verify(log)
    assert not result.ok
    assert "the log has 3 entries but its head records 2" in (result.problem or "")


def test_truncated_log_fails_against_its_head(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:2]))  # the chain of the first two is still intact
    result = verify(log)
    assert not result.ok
    assert result.problem == (
        "the log ends after 2 entries but its head records 3 (entries removed from its end)"
    )


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_deleted_or_emptied_log_fails_against_its_head(tmp_path: Path, how: str) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    if how == "deleted":
        log.unlink()
    else:
        log.write_bytes(b"")
    result = verify(log)
    assert (result.ok, result.entries) == (False, 0)
    assert result.problem == (
        "the log is missing or empty but its head records 3 entries (deleted or emptied)"
    )


def test_rewritten_last_entry_fails_against_its_head(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["rows_released"] = 0  # hide a release, and re-hash so the chain holds
    entry["entry_sha256"] = audit._entry_hash(entry)
    lines[-1] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n")
    result = verify(log)
    assert not result.ok
    assert result.problem == (
        "the log's last entry is not the one its head records (its end was rewritten)"
    )


def test_entry_added_without_the_head_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    saved = head_of(log).read_bytes()
    audit.append(log, head_of(log), user="mallory", outcome="released", rows_released=0)
    head_of(log).write_bytes(saved)
    result = verify(log)
    assert not result.ok
    assert "has 4 entries but its head records 3" in (result.problem or "")


def test_missing_head_beside_a_non_empty_log_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    head_of(log).unlink()
    result = verify(log)
    assert not result.ok
    assert result.problem == "the log has 3 entries but its head is missing or empty"
    head_of(log).write_bytes(b"")
    assert verify(log).problem == "the log has 3 entries but its head is missing or empty"


def test_nothing_is_appended_to_a_damaged_log(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    three(log)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:1]))
    with pytest.raises(ConfigurationError, match=r"entries removed from its end.*nothing was"):
        audit.check_ready(log, head_of(log))
    with pytest.raises(ConfigurationError, match="nothing was released"):
        audit.append(log, head_of(log), user="alice", outcome="released")
    assert log.read_bytes() == lines[0]
    log.unlink()
    with pytest.raises(ConfigurationError, match="deleted or emptied"):
        audit.append(log, head_of(log), user="alice", outcome="released")
    assert not log.exists()


def test_log_and_head_are_owner_only(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    previous = os.umask(0o022)
    try:
        three(log)
        other = tmp_path / "old.jsonl"
        other.touch(mode=0o644)
        audit.append(other, head_of(other), user="alice", outcome="denied")
    finally:
        os.umask(previous)
    for path in (log, head_of(log), other, head_of(other)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def _append_many(log: Path, user: str, count: int) -> None:
    for _ in range(count):
        audit.append(log, head_of(log), user=user, outcome="denied", rows_released=0)


def _check_many(log: Path, count: int, failures: multiprocessing.Queue[str]) -> None:
    for _ in range(count):
        try:
            audit.check_ready(log, head_of(log))
            if not verify(log).ok:
                failures.put("verify")
        except ConfigurationError as exc:
            failures.put(str(exc))


def test_concurrent_appends_and_checks_keep_one_chain_and_never_see_damage(
    tmp_path: Path,
) -> None:
    """Appends hold the lock from entry to head; readers never catch one half done."""
    log = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("fork")
    failures: multiprocessing.Queue[str] = context.Queue()
    workers = [context.Process(target=_append_many, args=(log, f"u{i}", 25)) for i in range(3)]
    workers.append(context.Process(target=_check_many, args=(log, 60, failures)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert failures.empty(), failures.get()
    result = verify(log)
    assert result.ok and result.entries == 75 == result.head_entries


def _chattr(flag: str, *paths: Path) -> bool:
    tool = shutil.which("chattr")
    if tool is None:
        return False
    done = subprocess.run([tool, flag, *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


def test_log_and_head_can_be_kept_append_only(tmp_path: Path) -> None:
    """The deployment advice (docs/security.md): chattr +a on both, then nobody can cut them."""
    log = tmp_path / "audit.jsonl"
    three(log)
    if not _chattr("+a", log, head_of(log)):
        pytest.skip("setting append-only needs root on a filesystem that supports it")
    try:
        audit.append(log, head_of(log), user="carol", outcome="denied", rows_released=0)
        for path in (log, head_of(log)):
            with pytest.raises(PermissionError):
                path.write_bytes(b"")
            with pytest.raises(PermissionError):
                path.unlink()
    finally:
        _chattr("-a", log, head_of(log))
    result = verify(log)
    assert result.ok and result.entries == 4
