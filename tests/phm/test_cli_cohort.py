"""``placehealth phm cohort`` and ``phm audit`` as a neighbourhood team, an analyst and a
Caldicott Guardian meet them: who gets rows, what is audited, and every bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE
from placehealth.phm import audit
from placehealth.phm.access import ENV_ROLES, ENV_USER
from tests.phm.test_cohort import KEY_TEXT, World, world
from tests.test_cli import Result, run_cli


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world(tmp_path_factory)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY, KEY_TEXT)
    for name in (ENV_KEY_FILE, ENV_ROLES, ENV_USER, audit.ENV_AUDIT):
        monkeypatch.delenv(name, raising=False)


def cohort(built: World, log: Path, *args: str) -> Result:
    return run_cli(
        "phm", "cohort", "--warehouse", str(built.warehouse), "--model", str(built.model),
        "--roles", str(built.roles), "--audit", str(log), *args,
    )  # fmt: skip


def one_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def expected_keys(built: World, neighbourhood: str, threshold: float = 0.5) -> set[str]:
    t = built.truth
    return set(t[(t["neighbourhood"] == neighbourhood) & (t["risk"] >= threshold)]["person_key"])


def test_user_without_the_neighbourhood_gets_no_row_and_the_attempt_is_audited(
    built: World, tmp_path: Path
) -> None:
    log, out = tmp_path / "audit.jsonl", tmp_path / "cohort.csv"
    for user, neighbourhood in (("bob", "NBSYN01"), ("alice", "NBSYN02"), ("carol", "NBSYN01")):
        result = cohort(built, log, "--user", user, "-n", neighbourhood, "-o", str(out))
        assert result.returncode == 3
        assert "may not see identifiable rows" in one_line(result)
        assert not out.exists()
        assert result.stdout == ""
    entries = audit.read(log)
    assert [(e["user"], e["neighbourhood"], e["outcome"]) for e in entries] == [
        ("bob", "NBSYN01", "denied"),
        ("alice", "NBSYN02", "denied"),
        ("carol", "NBSYN01", "denied"),
    ]
    assert all(e["rows_released"] == 0 and e["output_sha256"] is None for e in entries)
    assert audit.verify(log).ok


def test_unknown_user_is_refused_and_audited(built: World, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    result = cohort(built, log, "--user", "mallory", "-n", "NBSYN01")
    assert result.returncode == 3
    assert "'mallory' is not in the roles file" in one_line(result)
    [entry] = audit.read(log)
    assert (entry["user"], entry["role"], entry["outcome"]) == ("mallory", None, "denied")


def test_user_and_roles_from_the_environment(
    built: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "env-audit.jsonl"
    monkeypatch.setenv(ENV_USER, "bob")
    monkeypatch.setenv(ENV_ROLES, str(built.roles))
    monkeypatch.setenv(audit.ENV_AUDIT, str(log))
    result = run_cli(
        "phm", "cohort", "-w", str(built.warehouse), "--model", str(built.model), "-n", "NBSYN01"
    )
    assert result.returncode == 3
    assert audit.read(log)[0]["user"] == "bob"


def test_authorised_user_gets_exactly_the_cohort_with_matched_nhs_numbers(
    built: World, tmp_path: Path
) -> None:
    log, out, held = tmp_path / "audit.jsonl", tmp_path / "cohort.csv", tmp_path / "list.csv"
    truth = built.truth.dropna(subset=["nhs_number"])
    mine = truth[truth["neighbourhood"] == "NBSYN01"]
    # the team's list: most of its own patients, with spaces as printed on letters
    kept = mine.sample(frac=0.8, random_state=2)
    listed = kept["nhs_number"].str.replace(r"(\d{3})(\d{3})(\d{4})", r"\1 \2 \3", regex=True)
    pd.DataFrame({"nhs_number": listed}).to_csv(held, index=False)
    result = cohort(
        built, log, "--user", "alice", "-n", "NBSYN01", "--patients", str(held), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype={"nhs_number": str})
    assert set(frame["person_key"]) == expected_keys(built, "NBSYN01")
    assert frame["risk"].is_monotonic_decreasing
    named = frame.dropna(subset=["nhs_number"])
    truth_numbers = truth.set_index("person_key")["nhs_number"]
    assert len(named) >= 1
    assert (named["nhs_number"].to_numpy() == truth_numbers[named["person_key"]].to_numpy()).all()
    assert set(frame[frame["nhs_number"].isna()]["person_key"]).isdisjoint(kept["person_key"])
    [entry] = audit.read(log)
    assert entry["outcome"] == "released" and entry["identifiable"] is True
    assert entry["rows_released"] == len(frame)
    assert entry["output"] == str(out)
    assert entry["output_sha256"] == audit.sha256_file(out)
    assert entry["model_sha256"] == audit.sha256_file(built.model)
    assert (entry["threshold"], entry["index_date"]) == (0.5, "2018-04-01")
    assert entry["patients_sha256"] == audit.sha256_file(held)
    assert entry["nhs_numbers_matched"] == len(named)


def test_authorised_user_without_a_patient_list_gets_person_keys(
    built: World, tmp_path: Path
) -> None:
    log, out = tmp_path / "audit.jsonl", tmp_path / "cohort.parquet"
    result = cohort(
        built, log, "--user", "alice", "-n", "NBSYN01", "--threshold", "0.3", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out)
    assert "nhs_number" not in frame.columns
    assert set(frame["person_key"]) == expected_keys(built, "NBSYN01", 0.3)


def test_nothing_is_released_when_the_audit_log_cannot_be_written(
    built: World, tmp_path: Path
) -> None:
    blocker, out = tmp_path / "not-a-folder", tmp_path / "cohort.csv"
    blocker.write_text("")
    result = cohort(built, blocker / "audit.jsonl", "--user", "alice", "-n", "NBSYN01")
    assert result.returncode != 0
    assert "nothing was released" in one_line(result)
    assert "person_key" not in result.stdout and not out.exists()


def test_summary_for_an_analyst_hides_one_to_seven(built: World, tmp_path: Path) -> None:
    log, out = tmp_path / "audit.jsonl", tmp_path / "summary.csv"
    result = cohort(built, log, "--user", "bob", "--summary", "--threshold", "0.3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out)
    shown = frame["people"].dropna().astype(int)
    assert len(shown) > 0
    assert not shown.between(1, 7).any()
    assert "person_key" not in frame.columns
    [entry] = audit.read(log)
    assert (entry["action"], entry["identifiable"], entry["outcome"]) == (
        "summary",
        False,
        "released",
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-n", "NBSYN99"], "valid: NBSYN01, NBSYN02"),
        (["-n", "NBSYN01", "--threshold", "1.5"], "not a probability"),
        (["-n", "NBSYN01", "--threshold=-0.2"], "not a probability"),
        (["-n", "NBSYN01", "--index-date", "2013-04-01"], "outside the data"),
        (["-n", "NBSYN01", "--index-date", "2019-06-01"], "outside the data"),
        (["-n", "NBSYN01", "--index-date", "2015-04-01"], "24 months of history"),
        (["-n", "NBSYN01", "--index-date", "first of april"], "cannot read date"),
        (["-n", "NBSYN01", "-o", "cohort.txt"], "unsupported output type"),
        ([], "no neighbourhood given"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    built: World, tmp_path: Path, args: list[str], words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "audit.jsonl"
    result = cohort(built, log, "--user", "alice", *args)
    assert result.returncode == 2
    assert words in one_line(result)
    assert not log.exists()
    assert list(tmp_path.iterdir()) == []


def test_model_file_not_matching_is_refused(built: World, tmp_path: Path) -> None:
    data = json.loads(built.model.read_text())
    data["features"] = data["features"][:-1]
    bad = tmp_path / "old-model.json"
    bad.write_text(json.dumps(data))
    out = tmp_path / "cohort.csv"
    for model, words in ((bad, "model file"), (tmp_path / "none.json", "model file not found")):
        result = run_cli(
            "phm", "cohort", "-w", str(built.warehouse), "--model", str(model),
            "--roles", str(built.roles), "--audit", str(tmp_path / "a.jsonl"),
            "--user", "alice", "-n", "NBSYN01", "-o", str(out),
        )  # fmt: skip
        assert result.returncode == 2
        assert words in one_line(result)
        assert not out.exists()


def test_malformed_roles_file_names_its_line(built: World, tmp_path: Path) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("users:\n  alice: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}\n")
    roles.write_text(roles.read_text() + "  bob:\n    role: anlyst\n")
    result = run_cli(
        "phm", "cohort", "-w", str(built.warehouse), "--roles", str(roles),
        "--audit", str(tmp_path / "a.jsonl"), "--user", "alice", "-n", "NBSYN01",
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{roles}:4" in one_line(result)
    assert "unknown role 'anlyst'" in result.stderr


def test_a_key_other_than_the_warehouses_is_refused(
    built: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_KEY, "some-other-key-entirely-0000")
    held = tmp_path / "list.csv"
    pd.DataFrame({"nhs_number": ["9434765919"]}).to_csv(held, index=False)
    log, out = tmp_path / "audit.jsonl", tmp_path / "cohort.csv"
    result = cohort(
        built, log, "--user", "alice", "-n", "NBSYN01", "--patients", str(held), "-o", str(out)
    )
    assert result.returncode == 2
    assert "not the warehouse's" in one_line(result)
    assert not out.exists()


def test_audit_command_shows_and_verifies_for_the_guardian_only(
    built: World, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    for user in ("bob", "mallory"):
        cohort(built, log, "--user", user, "-n", "NBSYN01")
    base = ("phm", "audit", "--log", str(log), "--roles", str(built.roles))
    shown = run_cli(*base, "--user", "carol", "--json")
    assert shown.returncode == 0
    assert [e["user"] for e in json.loads(shown.stdout)] == ["bob", "mallory"]
    verified = run_cli(*base, "--user", "carol", "--verify")
    assert verified.returncode == 0
    assert "audit chain intact: 2 entries" in verified.stdout
    beside = tmp_path / "w.duckdb"
    log.with_name("w.duckdb.audit.jsonl").write_bytes(log.read_bytes())
    found = run_cli(*base[:2], "-w", str(beside), *base[4:], "--user", "carol", "--verify")
    assert found.returncode == 0
    assert "2 entries" in found.stdout
    refused = run_cli(*base, "--user", "bob", "--verify")
    assert refused.returncode == 3
    assert "may not read the audit log" in one_line(refused)
    lines = log.read_text().splitlines()
    lines[0] = lines[0].replace('"denied"', '"released"')
    log.write_text("\n".join(lines) + "\n")
    broken = run_cli(*base, "--user", "carol", "--verify")
    assert broken.returncode == 2
    assert f"{log}:1" in one_line(broken)
    assert "audit chain broken: this line was changed" in broken.stderr


def test_summary_as_json_is_audited_as_stdout(built: World, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    result = cohort(built, log, "--user", "carol", "--summary", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["level"] for r in rows} == {"neighbourhood", "practice", "total"}
    assert not any(r["people"] is not None and 1 <= r["people"] <= 7 for r in rows)
    [entry] = audit.read(log)
    assert entry["output"] == "stdout"
    assert entry["rows_released"] == len(rows)


def test_every_option_in_the_guide_exists() -> None:
    guide = Path(__file__).resolve().parents[2] / "docs" / "phm-case-finding.md"
    commands = re.findall(
        r"^placehealth phm (cohort|audit)((?:.*\\\n)*.*)$", guide.read_text(), re.M
    )
    assert len(commands) >= 5
    for command, rest in commands:
        options = set(re.findall(r"(?<!\S)(--[a-z-]+|-[a-zA-Z])\b", rest))
        help_text = run_cli("phm", command, "--help").stdout
        for option in options:
            assert option in help_text, f"{command} {option}"
