"""``placehealth phm cohort`` and ``phm audit`` as a neighbourhood team, an analyst and a
Caldicott Guardian meet them: who gets rows, what is audited, and every bad input.

Most tests run under a development deployment (synthetic data, users named with
--user), as the demo does; the protected deployment's own rules are tested at the end.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth import deployment as setup
from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE
from placehealth.phm import audit
from placehealth.phm.access import ENV_USER
from tests.phm.test_cohort import KEY_TEXT, World, world
from tests.test_cli import Result, run_cli


@dataclass(frozen=True)
class Site:
    """A deployment as the tests lay it out: its file, audit log and head."""

    path: Path
    log: Path
    head: Path


def deploy(
    folder: Path, roles: Path, *, development: bool = True, identity: str = "option"
) -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "deployment.yaml"
    path.write_text(
        f"roles: {roles}\naudit_log: audit/case-finding.jsonl\n"
        f"audit_head: head/case-finding.head\nidentity: {identity}\n"
        f"development: {str(development).lower()}\n"
    )
    return Site(
        path, folder / "audit" / "case-finding.jsonl", folder / "head" / "case-finding.head"
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world(tmp_path_factory)


@pytest.fixture
def site(built: World, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return deploy(tmp_path_factory.mktemp("site"), built.roles)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, site: Site) -> None:
    monkeypatch.setenv(ENV_KEY, KEY_TEXT)
    monkeypatch.setenv(setup.ENV_DEPLOYMENT, str(site.path))
    for name in (ENV_KEY_FILE, ENV_USER, "PLACEHEALTH_ROLES", "PLACEHEALTH_AUDIT_LOG"):
        monkeypatch.delenv(name, raising=False)


def cohort(built: World, *args: str) -> Result:
    return run_cli(
        "phm", "cohort", "--warehouse", str(built.warehouse), "--model", str(built.model), *args
    )


def one_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def expected_keys(built: World, neighbourhood: str, threshold: float = 0.5) -> set[str]:
    t = built.truth
    return set(t[(t["neighbourhood"] == neighbourhood) & (t["risk"] >= threshold)]["person_key"])


def test_user_without_the_neighbourhood_gets_no_row_and_the_attempt_is_audited(
    built: World, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.csv"
    for user, neighbourhood in (("bob", "NBSYN01"), ("alice", "NBSYN02"), ("carol", "NBSYN01")):
        result = cohort(built, "--user", user, "-n", neighbourhood, "-o", str(out))
        assert result.returncode == 3
        assert "may not see identifiable rows" in one_line(result)
        assert not out.exists()
        assert result.stdout == ""
    entries = audit.read(site.log)
    assert [(e["user"], e["neighbourhood"], e["outcome"]) for e in entries] == [
        ("bob", "NBSYN01", "denied"),
        ("alice", "NBSYN02", "denied"),
        ("carol", "NBSYN01", "denied"),
    ]
    assert all(e["rows_released"] == 0 and e["output_sha256"] is None for e in entries)
    assert audit.verify(site.log, site.head).ok


def test_unknown_user_is_refused_and_audited(built: World, site: Site) -> None:
    result = cohort(built, "--user", "mallory", "-n", "NBSYN01")
    assert result.returncode == 3
    assert "'mallory' is not in the roles file" in one_line(result)
    [entry] = audit.read(site.log)
    assert (entry["user"], entry["role"], entry["outcome"]) == ("mallory", None, "denied")


def test_the_caller_cannot_choose_the_roles_file_or_the_audit_log(
    built: World, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bypass: mallory brings a roles file naming herself and a log of her own."""
    own_roles, own_log, out = tmp_path / "roles.yaml", tmp_path / "mine.jsonl", tmp_path / "c.csv"
    own_roles.write_text(
        "users:\n  mallory: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}\n"
    )
    for option in (["--roles", str(own_roles)], ["--audit", str(own_log)]):
        result = cohort(built, *option, "--user", "mallory", "-n", "NBSYN01", "-o", str(out))
        assert result.returncode == 2
        assert "No such option" in result.stderr and "Traceback" not in result.stderr
    monkeypatch.setenv("PLACEHEALTH_ROLES", str(own_roles))
    monkeypatch.setenv("PLACEHEALTH_AUDIT_LOG", str(own_log))
    result = cohort(built, "--user", "mallory", "-n", "NBSYN01", "-o", str(out))
    assert result.returncode == 3
    assert "'mallory' is not in the roles file" in one_line(result)
    assert not out.exists() and not own_log.exists()
    [entry] = audit.read(site.log)  # the deployment's log holds the attempt
    assert (entry["user"], entry["outcome"]) == ("mallory", "denied")


def test_a_deployment_the_caller_wrote_is_refused_unless_marked_development(
    built: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing one's own deployment file only helps with synthetic data."""
    roles = tmp_path / "roles.yaml"
    roles.write_text("users:\n  mallory: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}\n")
    mine = deploy(tmp_path / "mine", roles, development=False)
    monkeypatch.setenv(setup.ENV_DEPLOYMENT, str(mine.path))
    out = tmp_path / "cohort.csv"
    result = cohort(built, "--user", "mallory", "-n", "NBSYN01", "-o", str(out))
    assert result.returncode == 2
    assert "the deployment file is not protected" in one_line(result)
    assert not out.exists() and not mine.log.exists()


@pytest.fixture
def real_looking(built: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test warehouse with its neighbourhood codes made to look like real ones."""
    copy = tmp_path_factory.mktemp("real") / "warehouse.duckdb"
    shutil.copy(built.warehouse, copy)
    con = duckdb.connect(str(copy))
    for table in ("geo_practice", "geo_lsoa"):
        con.execute(f"UPDATE {table} SET neighbourhood = replace(neighbourhood, 'NBSYN', 'E54X')")
    con.close()
    return copy


def test_a_development_deployment_releases_synthetic_data_only(
    built: World, site: Site, tmp_path: Path, real_looking: Path
) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("users:\n  alice: {role: neighbourhood_team, neighbourhoods: [E54X01]}\n")
    site.path.write_text(site.path.read_text().replace(str(built.roles), str(roles)))
    out = tmp_path / "cohort.csv"
    result = run_cli(
        "phm", "cohort", "-w", str(real_looking), "--model", str(built.model),
        "--user", "alice", "-n", "E54X01", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 3
    assert "synthetic data only: 'E54X01' is not a synthetic neighbourhood" in one_line(result)
    assert not out.exists()
    [entry] = audit.read(site.log)
    assert (entry["user"], entry["outcome"], entry["development"]) == ("alice", "denied", True)
    # nor a summary of it: the caller may have written this deployment, and its log
    summary = run_cli(
        "phm", "cohort", "-w", str(real_looking), "--model", str(built.model),
        "--user", "alice", "--summary", "-o", str(out),
    )  # fmt: skip
    assert summary.returncode == 3
    assert "synthetic data only" in one_line(summary)
    assert not out.exists()
    assert [e["action"] for e in audit.read(site.log)] == ["cohort", "summary"]


def test_a_development_deployment_matches_test_range_numbers_only(
    built: World, site: Site, tmp_path: Path
) -> None:
    held = tmp_path / "list.csv"
    test_range = built.truth.dropna(subset=["nhs_number"])["nhs_number"].head(3).tolist()
    assert all(n.startswith("999") for n in test_range)
    pd.DataFrame({"nhs_number": [*test_range, "943 476 5919"]}).to_csv(held, index=False)
    result = cohort(built, "--user", "alice", "-n", "NBSYN01", "--patients", str(held))
    assert result.returncode == 3
    line = one_line(result)
    assert "1 NHS number(s) in the patient list are outside the 999 test range" in line
    assert "9434765919" not in result.stderr + result.stdout
    assert [e["outcome"] for e in audit.read(site.log)] == ["denied"]


def test_user_from_the_environment_when_the_deployment_takes_it_from_a_service(
    built: World, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_USER, "bob")
    result = cohort(built, "-n", "NBSYN01")
    assert result.returncode == 3
    assert audit.read(site.log)[0]["user"] == "bob"


def test_authorised_user_gets_exactly_the_cohort_with_matched_nhs_numbers(
    built: World, site: Site, tmp_path: Path
) -> None:
    out, held = tmp_path / "cohort.csv", tmp_path / "list.csv"
    truth = built.truth.dropna(subset=["nhs_number"])
    mine = truth[truth["neighbourhood"] == "NBSYN01"]
    # the team's list: most of its own patients, with spaces as printed on letters
    kept = mine.sample(frac=0.8, random_state=2)
    listed = kept["nhs_number"].str.replace(r"(\d{3})(\d{3})(\d{4})", r"\1 \2 \3", regex=True)
    pd.DataFrame({"nhs_number": listed}).to_csv(held, index=False)
    result = cohort(
        built, "--user", "alice", "-n", "NBSYN01", "--patients", str(held), "-o", str(out)
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
    [entry] = audit.read(site.log)
    assert entry["outcome"] == "released" and entry["identifiable"] is True
    assert entry["rows_released"] == len(frame)
    assert entry["output"] == str(out)
    assert entry["output_sha256"] == audit.sha256_file(out)
    assert entry["model_sha256"] == audit.sha256_file(built.model)
    assert (entry["threshold"], entry["index_date"]) == (0.5, "2018-04-01")
    assert entry["patients_sha256"] == audit.sha256_file(held)
    assert entry["nhs_numbers_matched"] == len(named)
    assert (entry["deployment"], entry["development"]) == (str(site.path), True)
    assert entry["warehouse"] == str(built.warehouse.resolve())
    for private in (out, site.log, site.head):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600, private


def test_authorised_user_without_a_patient_list_gets_person_keys(
    built: World, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.parquet"
    result = cohort(built, "--user", "alice", "-n", "NBSYN01", "--threshold", "0.3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out)
    assert "nhs_number" not in frame.columns
    assert set(frame["person_key"]) == expected_keys(built, "NBSYN01", 0.3)


def test_nothing_is_released_when_the_audit_log_cannot_be_written(
    built: World, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.csv"
    site.log.parent.parent.joinpath("audit").write_text("")  # a file where the folder should be
    result = cohort(built, "--user", "alice", "-n", "NBSYN01", "-o", str(out))
    assert result.returncode != 0
    assert "nothing was released" in one_line(result)
    assert "person_key" not in result.stdout and not out.exists()


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_nothing_is_released_on_top_of_a_truncated_or_deleted_log(
    built: World, site: Site, tmp_path: Path, damage: str
) -> None:
    for user in ("bob", "mallory"):
        cohort(built, "--user", user, "-n", "NBSYN01")
    if damage == "truncated":
        site.log.write_bytes(site.log.read_bytes().splitlines(keepends=True)[0])
    else:
        site.log.unlink()
    out = tmp_path / "cohort.csv"
    result = cohort(built, "--user", "alice", "-n", "NBSYN01", "-o", str(out))
    assert result.returncode == 2
    assert "the audit log does not match its head" in one_line(result)
    assert "nothing was released" in result.stderr
    assert not out.exists()


def test_summary_for_an_analyst_hides_one_to_seven(
    built: World, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "summary.csv"
    result = cohort(built, "--user", "bob", "--summary", "--threshold", "0.3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out)
    shown = frame["people"].dropna().astype(int)
    assert len(shown) > 0
    assert not shown.between(1, 7).any()
    assert "person_key" not in frame.columns
    [entry] = audit.read(site.log)
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
        (["-n", "NBSYN01", "--index-date", "first of april"], "is not a date"),
        (["-n", "NBSYN01", "-o", "cohort.txt"], "unsupported output type"),
        ([], "no neighbourhood given"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    built: World,
    site: Site,
    tmp_path: Path,
    args: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cohort(built, "--user", "alice", *args)
    assert result.returncode == 2
    assert words in one_line(result)
    assert not site.log.exists()
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
            "--user", "alice", "-n", "NBSYN01", "-o", str(out),
        )  # fmt: skip
        assert result.returncode == 2
        assert words in one_line(result)
        assert not out.exists()


def test_malformed_roles_file_names_its_line(built: World, site: Site, tmp_path: Path) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("users:\n  alice: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}\n")
    roles.write_text(roles.read_text() + "  bob:\n    role: anlyst\n")
    site.path.write_text(site.path.read_text().replace(str(built.roles), str(roles)))
    result = cohort(built, "--user", "alice", "-n", "NBSYN01")
    assert result.returncode == 2
    assert f"{roles}:4" in one_line(result)
    assert "unknown role 'anlyst'" in result.stderr
    roles.write_text(roles.read_text().replace("anlyst", "analyst") + "  bob: {role: admin}\n")
    result = cohort(built, "--user", "bob", "--summary")
    assert result.returncode == 2
    assert f"{roles}:5" in one_line(result)
    assert "user 'bob' is listed twice (first on line 3)" in result.stderr
    assert not site.log.exists()


def test_a_key_other_than_the_warehouses_is_refused(
    built: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_KEY, "some-other-key-entirely-0000")
    held = tmp_path / "list.csv"
    pd.DataFrame({"nhs_number": ["9434765919"]}).to_csv(held, index=False)
    out = tmp_path / "cohort.csv"
    result = cohort(
        built, "--user", "alice", "-n", "NBSYN01", "--patients", str(held), "-o", str(out)
    )
    assert result.returncode == 2
    assert "not the warehouse's" in one_line(result)
    assert not out.exists()


def test_audit_command_shows_and_verifies_for_the_guardian_only(built: World, site: Site) -> None:
    for user in ("bob", "mallory"):
        cohort(built, "--user", user, "-n", "NBSYN01")
    shown = run_cli("phm", "audit", "--user", "carol", "--json")
    assert shown.returncode == 0
    assert [e["user"] for e in json.loads(shown.stdout)] == ["bob", "mallory"]
    verified = run_cli("phm", "audit", "--user", "carol", "--verify")
    assert verified.returncode == 0
    assert "audit log intact: 2 entries, matching its head" in verified.stdout
    lines = site.log.read_text().splitlines()
    lines[0] = lines[0].replace('"denied"', '"released"')
    site.log.write_text("\n".join(lines) + "\n")
    broken = run_cli("phm", "audit", "--user", "carol", "--verify")
    assert broken.returncode == 2
    assert f"{site.log}:1" in one_line(broken)
    assert "audit log not intact: this line was changed" in broken.stderr


def test_a_refused_audit_request_is_itself_audited(built: World, site: Site) -> None:
    cohort(built, "--user", "bob", "-n", "NBSYN01")
    for user, flags, words in (
        ("bob", ["--verify"], "'bob' (analyst) may not read the audit log"),
        ("alice", [], "'alice' (neighbourhood_team) may not read the audit log"),
        ("mallory", ["--json"], "'mallory' is not in the roles file"),
    ):
        refused = run_cli("phm", "audit", "--user", user, *flags)
        assert refused.returncode == 3
        assert words in one_line(refused)
        assert refused.stdout == ""
    entries = audit.read(site.log)
    assert [(e["user"], e["action"], e["outcome"]) for e in entries] == [
        ("bob", "cohort", "denied"),
        ("bob", "audit-verify", "denied"),
        ("alice", "audit-read", "denied"),
        ("mallory", "audit-read", "denied"),
    ]
    assert entries[1]["role"] == "analyst" and "may not read" in entries[1]["reason"]
    assert run_cli("phm", "audit", "--user", "carol", "--verify").returncode == 0


def test_verify_before_anything_is_recorded_says_so(built: World, site: Site) -> None:
    result = run_cli("phm", "audit", "--user", "carol", "--verify")
    assert result.returncode == 0
    assert "no entries yet" in result.stdout and "both were deleted" in result.stdout
    shown = run_cli("phm", "audit", "--user", "carol")
    assert shown.returncode == 2
    assert "audit log not found: nothing recorded yet, or it was deleted" in one_line(shown)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("truncate", "the log ends after 1 entries but its head records 3"),
        ("empty", "the log is missing or empty but its head records 3 entries"),
        ("delete", "the log is missing or empty but its head records 3 entries"),
        ("rewrite", "the log's last entry is not the one its head records"),
        ("lose head", "the log has 3 entries but its head is missing"),
    ],
)
def test_verify_fails_on_a_truncated_emptied_deleted_or_rewritten_log(
    built: World, site: Site, damage: str, words: str
) -> None:
    """The issue's example: a truncated or deleted log verified as intact."""
    for user in ("bob", "mallory", "alice"):
        cohort(built, "--user", user, "-n", "NBSYN02")
    lines = site.log.read_bytes().splitlines(keepends=True)
    if damage == "truncate":
        site.log.write_bytes(lines[0])
    elif damage == "empty":
        site.log.write_bytes(b"")
    elif damage == "delete":
        site.log.unlink()
    elif damage == "rewrite":
        entry = json.loads(lines[-1])
        entry["user"] = "carol"
        entry["entry_sha256"] = audit._entry_hash(entry)
        site.log.write_bytes(b"".join(lines[:-1]) + audit._canonical(entry) + b"\n")
    else:
        site.head.unlink()
    result = run_cli("phm", "audit", "--user", "carol", "--verify")
    assert result.returncode == 2
    line = one_line(result)
    assert "audit log not intact" in line and words in line
    assert result.stdout == ""


def test_summary_as_json_is_audited_as_stdout(built: World, site: Site) -> None:
    result = cohort(built, "--user", "carol", "--summary", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["level"] for r in rows} == {"neighbourhood", "practice", "total"}
    assert not any(r["people"] is not None and 1 <= r["people"] <= 7 for r in rows)
    [entry] = audit.read(site.log)
    assert entry["output"] == "stdout"
    assert entry["rows_released"] == len(rows)


class _Account(setup.Caller):
    """An ordinary account other than the files' owner, with the login the system gives it."""

    def __init__(self, name: str, owner_of: Path) -> None:
        info = owner_of.stat()
        super().__init__(info.st_uid + 1000, frozenset({info.st_gid + 1000}))
        object.__setattr__(self, "name", name)

    def login(self) -> str:
        return str(self.__dict__["name"])


@pytest.fixture
def protected(
    built: World, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Site:
    """A protected deployment, as an administrator installs it, used by the account 'alice'."""
    folder = tmp_path_factory.mktemp("etc")
    shutil.copy(built.roles, folder / "roles.yaml")
    site = deploy(folder, folder / "roles.yaml", development=False, identity="login")
    for path in (folder, site.path, folder / "roles.yaml"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    monkeypatch.setenv(setup.ENV_DEPLOYMENT, str(site.path))
    monkeypatch.setattr(setup.Caller, "current", lambda: _Account("alice", site.path))
    return site


def test_a_protected_deployment_releases_to_its_own_user(
    built: World, protected: Site, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.csv"
    result = cohort(built, "-n", "NBSYN01", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert set(pd.read_csv(out)["person_key"]) == expected_keys(built, "NBSYN01")
    [entry] = audit.read(protected.log)
    assert (entry["user"], entry["outcome"], entry["development"]) == ("alice", "released", False)


def test_a_protected_deployment_takes_the_user_from_the_login(
    built: World, protected: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    for claim in (["--user", "carol"], []):
        if not claim:
            monkeypatch.setenv(ENV_USER, "carol")
        result = run_cli("phm", "audit", "--verify", *claim)
        assert result.returncode == 3
        assert "you are 'alice' and may not ask as 'carol'" in one_line(result)
    assert [(e["user"], e["action"], e["outcome"]) for e in audit.read(protected.log)] == [
        ("alice", "audit-verify", "denied"),
        ("alice", "audit-verify", "denied"),
    ]


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
