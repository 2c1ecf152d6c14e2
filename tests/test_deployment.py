"""The deployment file: found by the system, trusted only when the caller cannot change it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from placehealth import deployment as d
from placehealth.errors import AccessDenied, ConfigurationError, InputFileError, ValidationError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SETTINGS = (
    "roles: roles.yaml\naudit_log: audit/case-finding.jsonl\naudit_head: head/case-finding.head\n"
)


def install(folder: Path, extra: str = "") -> Path:
    """A deployment folder as an administrator lays it out (owned by whoever runs the test)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    (folder / "roles.yaml").write_text("users:\n  alice: {role: analyst}\n")
    (folder / "roles.yaml").chmod(0o644)
    path = folder / "deployment.yaml"
    path.write_text(SETTINGS + extra)
    path.chmod(0o644)
    return path


def owner(path: Path) -> d.Caller:
    """The account that owns ``path``: the caller wrote the file."""
    info = path.stat()
    return d.Caller(info.st_uid, frozenset({info.st_gid}))


def outsider(path: Path) -> d.Caller:
    """Another ordinary account, in no group of the file's: the caller only reads it."""
    info = path.stat()
    return d.Caller(info.st_uid + 1000, frozenset({info.st_gid + 1000}))


@pytest.fixture(autouse=True)
def _no_system_deployment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(d, "SYSTEM_PATH", tmp_path / "etc" / "deployment.yaml")
    monkeypatch.delenv(d.ENV_DEPLOYMENT, raising=False)


def test_paths_resolve_against_the_deployment_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = install(tmp_path / "srv")
    monkeypatch.setenv(d.ENV_DEPLOYMENT, str(path))
    found = d.load_deployment(outsider(path))
    assert found.path == path
    assert found.roles == tmp_path / "srv" / "roles.yaml"
    assert found.audit_log == tmp_path / "srv" / "audit" / "case-finding.jsonl"
    assert found.audit_head == tmp_path / "srv" / "head" / "case-finding.head"
    assert (found.identity, found.development) == ("login", False)


def test_the_system_path_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = install(tmp_path / "etc")
    assert d.deployment_path() == path
    assert d.load_deployment(outsider(path)).path == path


def test_no_deployment_refuses_everything(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no deployment configuration") as info:
        d.load_deployment(outsider(tmp_path))
    assert d.ENV_DEPLOYMENT in (info.value.hint or "")


def test_a_deployment_the_caller_wrote_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's bypass: the person asking brings their own settings."""
    path = install(tmp_path / "mine")
    monkeypatch.setenv(d.ENV_DEPLOYMENT, str(path))
    with pytest.raises(ConfigurationError, match="deployment file is not protected") as info:
        d.load_deployment(owner(path))
    assert "belongs to the account running the command" in str(info.value)
    assert "development: true" in (info.value.hint or "")


def test_root_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = install(tmp_path / "srv")
    if os.geteuid() == 0:  # files an administrator other than root installed
        for file in (path.parent, path, path.parent / "roles.yaml"):
            os.chown(file, 12345, 12345)
    monkeypatch.setenv(d.ENV_DEPLOYMENT, str(path))
    with pytest.raises(ConfigurationError, match="runs as root"):
        d.load_deployment(d.Caller(0, frozenset({0})))


@pytest.mark.parametrize(
    ("target", "mode", "caller_in_group", "words"),
    [
        ("deployment.yaml", 0o666, False, "deployment file is not protected (anyone may write"),
        ("deployment.yaml", 0o664, True, "(a group of the account"),
        ("roles.yaml", 0o646, False, "roles file is not protected (anyone may write"),
        ("roles.yaml", 0o664, True, "roles file is not protected (a group"),
        (".", 0o777, False, "(its folder"),
        (".", 0o775, True, "(its folder"),
    ],
)
def test_writable_by_the_caller_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    mode: int,
    caller_in_group: bool,
    words: str,
) -> None:
    path = install(tmp_path / "srv")
    monkeypatch.setenv(d.ENV_DEPLOYMENT, str(path))
    (path.parent / target).chmod(mode)
    caller = outsider(path)
    if caller_in_group:
        caller = d.Caller(caller.uid, frozenset({path.stat().st_gid}))
    with pytest.raises(ConfigurationError) as info:
        d.load_deployment(caller)
    assert words in str(info.value)
    # the same files with the group bit but a caller outside the group are fine
    if caller_in_group:
        assert d.load_deployment(outsider(path)).path == path


@pytest.mark.parametrize(("mode", "refused"), [(0o777, True), (0o1777, False), (0o755, False)])
def test_a_folder_above_that_the_caller_may_write_is_refused_unless_sticky(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int, refused: bool
) -> None:
    """Whoever may write a folder above could rename the deployment's folder and replace it."""
    shared = tmp_path / "shared"
    path = install(shared / "srv")
    shared.chmod(mode)
    monkeypatch.setenv(d.ENV_DEPLOYMENT, str(path))
    if not refused:
        assert d.load_deployment(outsider(path)).path == path
        return
    with pytest.raises(ConfigurationError) as info:
        d.load_deployment(outsider(path))
    assert f"(the folder {shared}: anyone may write it)" in str(info.value)


def test_a_development_deployment_may_be_the_callers_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = install(tmp_path / "demo", "identity: option\ndevelopment: true\n")
    monkeypatch.setenv(d.ENV_DEPLOYMENT, str(path))
    found = d.load_deployment(owner(path))
    assert found.development and found.identity == "option"
    assert found.audit_fields() == {"deployment": str(path), "development": True}


def test_development_releases_synthetic_data_only(tmp_path: Path) -> None:
    dev = d.read_deployment(install(tmp_path / "demo", "development: true\n"))
    real = d.read_deployment(install(tmp_path / "srv"))
    d.check_synthetic_neighbourhood(dev, "NBSYN01")
    d.check_synthetic_practices(dev, ["SYN001", "SYN044"])
    d.check_test_numbers(dev, ["9990000018"])
    with pytest.raises(AccessDenied, match="synthetic data only: 'E38000' is not a synthetic"):
        d.check_synthetic_neighbourhood(dev, "E38000")
    with pytest.raises(AccessDenied, match="practice 'N82001' is not synthetic"):
        d.check_synthetic_practices(dev, ["SYN001", "N82001"])
    with pytest.raises(AccessDenied, match=r"1 NHS number.* outside the 999 test range") as info:
        d.check_test_numbers(dev, ["9990000018", "9434765919"])
    assert "9434765919" not in str(info.value)
    # a protected deployment is for real data
    d.check_synthetic_neighbourhood(real, "E38000")
    d.check_synthetic_practices(real, ["N82001"])
    d.check_test_numbers(real, ["9434765919"])


@pytest.mark.parametrize(
    ("text", "error", "line", "words"),
    [
        (SETTINGS + "colour: red\n", ValidationError, 4, "colour"),
        (SETTINGS + "roles: mine.yaml\n", InputFileError, 4, "'roles' is listed twice"),
        (SETTINGS + "identity: whoever\n", ValidationError, 4, "identity"),
        (SETTINGS + "development: maybe\n", ValidationError, 4, "development"),
        ("roles: roles.yaml\naudit_log: a.jsonl\n", ValidationError, 1, "audit_head"),
        (
            "roles: r.yaml\naudit_log: a/log.jsonl\naudit_head: a/log.head\n",
            ConfigurationError,
            None,
            "audit_head is in the audit log's own folder",
        ),
    ],
)
def test_malformed_deployment_names_file_and_line(
    tmp_path: Path, text: str, error: type[Exception], line: int | None, words: str
) -> None:
    path = tmp_path / "deployment.yaml"
    path.write_text(text)
    with pytest.raises(error) as info:
        d.read_deployment(path)
    assert isinstance(info.value, ConfigurationError | InputFileError | ValidationError)
    assert info.value.line == line
    assert words in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.hint  # how to fix it


def test_the_example_deployment_reads_and_is_protected_by_design() -> None:
    found = d.read_deployment(EXAMPLES / "deployment.yaml")
    assert not found.development and found.identity == "login"
    assert found.roles == Path("/etc/placehealth/roles.yaml")
    assert found.audit_log.parent != found.audit_head.parent


def test_the_login_comes_from_the_system_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER", "somebody-else")
    monkeypatch.setenv("LOGNAME", "somebody-else")
    assert d.Caller.current().login() != "somebody-else"
    assert d.Caller.current().uid == os.geteuid()
