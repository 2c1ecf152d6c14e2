"""Roles file: who may see identifiable rows, for which neighbourhoods; bad files by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.errors import AccessDenied, InputFileError
from placehealth.phm.access import ENV_USER, load_roles, user_name

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "roles.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text(text)
    return path


def test_example_roles_file_reads() -> None:
    roles = load_roles(EXAMPLE)
    alice = roles.user("alice")
    assert alice.can_identify("NBSYN01")
    assert not alice.can_identify("NBSYN02")
    assert roles.user("dev").can_identify("NBSYN03")


def test_analyst_and_guardian_never_identify() -> None:
    roles = load_roles(EXAMPLE)
    for name in ("bob", "carol"):
        assert not roles.user(name).can_identify("NBSYN01")
    assert roles.user("carol").can_read_audit()
    assert not roles.user("bob").can_read_audit()
    assert roles.user("carol").role == "caldicott_guardian+analyst"


def test_team_role_without_the_neighbourhood_list_does_not_identify(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "users:\n  eve: {roles: [analyst, neighbourhood_team], neighbourhoods: [NBSYN04]}\n",
    )
    eve = load_roles(path).user("eve")
    assert eve.can_identify("NBSYN04")
    assert not eve.can_identify("NBSYN01")


def test_unknown_user_is_denied() -> None:
    with pytest.raises(AccessDenied, match="'mallory' is not in the roles file"):
        load_roles(EXAMPLE).user("mallory")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("users:\n  a: {role: analyst\n", 3, "malformed YAML"),
        ("users:\n  a: {role: analyst}\n  b:\n    role: surgeon\n", 4, "unknown role 'surgeon'"),
        ("users:\n  a:\n    role: neighbourhood_team\n", 3, "needs neighbourhoods"),
        ("users:\n  a: {role: analyst, colour: red}\n", 2, "colour"),
        ("people:\n  a: {role: analyst}\n", 1, "users"),
        ("users:\n  a: {}\n", 2, "give the user a role"),
        ("users:\n  a: {role: analyst, neighbourhoods: NBSYN01}\n", 2, "neighbourhoods"),
        # a repeated user would silently replace the earlier entry's roles
        (
            "users:\n  a: {role: analyst}\n  b: {role: analyst}\n"
            "  a: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}\n",
            4,
            "user 'a' is listed twice (first on line 2)",
        ),
        ("users:\n  a:\n    role: analyst\n    role: admin\n", 4, "'role' is listed twice"),
        ("users: {}\nusers:\n  a: {role: admin}\n", 2, "'users' is listed twice"),
        ("users:\n  a: {roles: [analyst, admin, analyst]}\n", 2, "roles repeated: analyst"),
        ("users:\n  a: {role: analyst}\n  1: {role: admin}\n", 3, "user name 1 must be text"),
        (
            "users:\n  a: {role: neighbourhood_team, neighbourhoods: [NB1, NB1]}\n",
            2,
            "neighbourhoods repeated: NB1",
        ),
        (
            "users:\n  a: {role: analyst, neighborhoods: [NB1]}\n",
            2,
            "unknown field 'neighborhoods'",
        ),
    ],
)
def test_malformed_roles_file_names_the_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_roles(path)
    assert info.value.line == line
    assert words in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.hint  # how to fix it
    assert "\n" not in str(info.value)


def test_missing_roles_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read"):
        load_roles(tmp_path / "none.yaml")


def test_a_signing_on_service_names_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_USER, raising=False)
    assert user_name("bob", identity="option", login="svc") == "bob"
    assert user_name(None, identity="option", login="svc") == "svc"
    monkeypatch.setenv(ENV_USER, "alice")
    assert user_name(None, identity="option", login="svc") == "alice"
    assert user_name("bob", identity="option", login="svc") == "bob"


def test_otherwise_the_user_is_the_login_and_a_claim_to_be_another_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV_USER, raising=False)
    assert user_name(None, identity="login", login="alice") == "alice"
    assert user_name("alice", identity="login", login="alice") == "alice"
    with pytest.raises(AccessDenied, match="you are 'alice' and may not ask as 'carol'"):
        user_name("carol", identity="login", login="alice")
    monkeypatch.setenv(ENV_USER, "carol")
    with pytest.raises(AccessDenied, match="may not ask as 'carol'"):
        user_name(None, identity="login", login="alice")


def test_a_roles_file_that_is_not_text_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_bytes(b"\xff\xfeusers:\n")
    with pytest.raises(InputFileError, match="not UTF-8 text") as info:
        load_roles(path)
    assert info.value.hint == "save the file as UTF-8"
