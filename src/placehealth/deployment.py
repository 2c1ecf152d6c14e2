"""The deployment: where case finding's roles file, audit log and audit head are.

Who may see identifiable rows, and where each release is recorded, must not be
chosen by the person asking for a list: otherwise anyone could bring a roles
file naming themselves and an audit log of their own. So these locations come
from one deployment file, found at :data:`SYSTEM_PATH` or named by
``PLACEHEALTH_DEPLOYMENT`` (set by the service that runs the commands)::

    roles: /etc/placehealth/roles.yaml
    audit_log: /var/lib/placehealth/audit/case-finding.jsonl
    audit_head: /var/lib/placehealth/audit-head/case-finding.head
    identity: login        # login: the user is the account running the command
    development: false

Naming the file is not enough to be trusted: unless it says ``development:
true``, the deployment file and the roles file, and the folders holding them,
must be out of the caller's control, and so must every folder above them:
not owned by the account running the command, not writable by it (nor by
everyone, nor by a group it belongs to; a sticky folder such as /tmp is
allowed above entries not the caller's), and the command must not run as
root. An administrator owns them; the service account and the users only read
them. A caller who writes their own deployment file can therefore only mark it
``development: true``, and a development deployment releases synthetic data
alone (synthetic neighbourhood and practice codes, NHS numbers from the 999
test range, which are never issued), for the demo and the tests.

Checking ownership and write permission, rather than asking for root, keeps
the rule testable by an ordinary user: :class:`Caller` is the account the
checks are made for.
"""

from __future__ import annotations

import os
import pwd
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pydantic

from placehealth.data.nhs_number import TEST_RANGE_PREFIX
from placehealth.errors import AccessDenied, ConfigurationError, InputFileError, ValidationError
from placehealth.yamlfile import first_repeated_key, load_model

ENV_DEPLOYMENT = "PLACEHEALTH_DEPLOYMENT"
SYSTEM_PATH = Path("/etc/placehealth/deployment.yaml")
EXAMPLE = "examples/deployment.yaml"

# The synthetic geography's codes (placehealth.data.synth.geography): NBSYN…, SYN….
SYNTHETIC_NEIGHBOURHOOD = "NBSYN"
SYNTHETIC_PRACTICE = "SYN"
SYNTHETIC_ONLY = "a development deployment releases synthetic data only"
REAL_DATA_HINT = "real data needs a protected deployment (docs/security.md)"


class _DeploymentFile(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    roles: Path
    audit_log: Path
    audit_head: Path
    identity: Literal["login", "option"] = "login"
    development: bool = False


@dataclass(frozen=True)
class Deployment:
    """The deployment's settings, with every path resolved against the file's folder."""

    path: Path
    roles: Path
    audit_log: Path
    audit_head: Path
    identity: Literal["login", "option"]
    development: bool

    def audit_fields(self) -> dict[str, object]:
        """What every audit entry records about the deployment it was made under."""
        return {"deployment": str(self.path), "development": self.development}


@dataclass(frozen=True)
class Caller:
    """The account a command runs as: the one that must not control the deployment."""

    uid: int
    groups: frozenset[int]

    @classmethod
    def current(cls) -> Caller:
        return cls(os.geteuid(), frozenset({os.getegid(), *os.getgroups()}))

    def login(self) -> str:
        """The account's name from the system, not from variables the caller can set."""
        try:
            return pwd.getpwuid(self.uid).pw_name
        except KeyError:
            return str(self.uid)


def deployment_path() -> Path:
    """``PLACEHEALTH_DEPLOYMENT`` if set, else the system-wide :data:`SYSTEM_PATH`."""
    value = os.environ.get(ENV_DEPLOYMENT, "")
    return Path(value) if value else SYSTEM_PATH


def read_deployment(path: Path) -> Deployment:
    """Parse a deployment file; problems are reported with their line. Checks no permission."""
    if not path.is_file():
        raise ConfigurationError(
            "no deployment configuration: case finding needs one naming the roles file "
            "and the audit log",
            file=path,
            hint=f"an administrator installs {SYSTEM_PATH} (see {EXAMPLE}); for synthetic "
            f"data, set {ENV_DEPLOYMENT} to a file with development: true",
        )
    path = path.resolve()
    try:
        parsed = load_model(path, _DeploymentFile)
    except ValidationError as exc:
        raise ValidationError(
            exc.message, file=path, line=exc.line, hint=f"see {EXAMPLE}"
        ) from None
    repeat = first_repeated_key(path)
    if repeat is not None:
        raise InputFileError(
            f"'{repeat.key}' is listed twice (first on line {repeat.first_line})",
            file=path,
            line=repeat.line,
            hint="keep one",
        )
    folder = path.parent
    deployment = Deployment(
        path=path,
        roles=(folder / parsed.roles).resolve(),
        audit_log=(folder / parsed.audit_log).resolve(),
        audit_head=(folder / parsed.audit_head).resolve(),
        identity=parsed.identity,
        development=parsed.development,
    )
    if deployment.audit_head.parent == deployment.audit_log.parent:
        raise ConfigurationError(
            "audit_head is in the audit log's own folder, where it would be lost with the log",
            file=path,
            hint="keep the head in another folder, ideally on other storage",
        )
    return deployment


def load_deployment(caller: Caller | None = None) -> Deployment:
    """The deployment in force, refused if ``caller`` could have written it (unless development)."""
    caller = caller or Caller.current()
    deployment = read_deployment(deployment_path())
    if not deployment.development:
        check_protected(deployment.path, caller, "deployment file")
        check_protected(deployment.roles, caller, "roles file")
    return deployment


def _control(info: os.stat_result, caller: Caller) -> str | None:
    """Why ``caller`` could change a file or folder with this status, or None."""
    if info.st_uid == caller.uid:
        return "it belongs to the account running the command"
    if caller.uid == 0:
        return "the command runs as root, who can change any file"
    if info.st_mode & stat.S_IWOTH:
        return "anyone may write it"
    if info.st_mode & stat.S_IWGRP and info.st_gid in caller.groups:
        return "a group of the account running the command may write it"
    return None


def check_protected(path: Path, caller: Caller, what: str) -> None:
    """Refuse a file that ``caller`` could change or replace.

    The file, its folder and every folder above: whoever may write a folder may
    rename what lies in it and put their own in its place, unless the folder's
    sticky bit (as on /tmp) keeps them to entries of their own.
    """
    chain = [path, *path.parents]
    for index, target in enumerate(chain):
        try:
            info = target.stat()
        except OSError as exc:
            raise InputFileError(f"cannot read the {what}: {exc.strerror}", file=path) from None
        reason = _control(info, caller)
        if reason is None or (index > 0 and _sticky_keeps_out(info, chain[index - 1], caller)):
            continue
        where = {0: "", 1: f"its folder {target}: "}.get(index, f"the folder {target}: ")
        raise ConfigurationError(
            f"the {what} is not protected ({where}{reason}), so the person asking could "
            "choose who may see what",
            file=path,
            hint="an administrator must own it and the folders above it, and the service "
            "account only read it; for synthetic data only, mark the deployment "
            "development: true",
        )


def _sticky_keeps_out(folder: os.stat_result, child: Path, caller: Caller) -> bool:
    """True when a sticky folder stops ``caller`` renaming ``child``, which is not theirs."""
    if not folder.st_mode & stat.S_ISVTX or caller.uid in (0, folder.st_uid):
        return False
    return child.stat().st_uid != caller.uid


def check_synthetic_neighbourhood(deployment: Deployment, neighbourhood: str) -> None:
    """Under a development deployment, refuse a neighbourhood that is not synthetic."""
    if deployment.development and not neighbourhood.startswith(SYNTHETIC_NEIGHBOURHOOD):
        raise AccessDenied(
            f"{SYNTHETIC_ONLY}: '{neighbourhood}' is not a synthetic neighbourhood "
            f"({SYNTHETIC_NEIGHBOURHOOD}…)",
            file=deployment.path,
            hint=REAL_DATA_HINT,
        )


def check_synthetic_practices(deployment: Deployment, practices: Iterable[object]) -> None:
    """Under a development deployment, refuse a list holding a practice that is not synthetic."""
    if not deployment.development:
        return
    real = sorted({str(p) for p in practices if not str(p).startswith(SYNTHETIC_PRACTICE)})
    if real:
        raise AccessDenied(
            f"{SYNTHETIC_ONLY}: practice '{real[0]}' is not synthetic ({SYNTHETIC_PRACTICE}…)",
            file=deployment.path,
            hint=REAL_DATA_HINT,
        )


def check_test_numbers(deployment: Deployment, numbers: Iterable[str]) -> None:
    """Under a development deployment, refuse NHS numbers outside the never-issued 999 range."""
    if not deployment.development:
        return
    issued = sum(1 for n in numbers if not str(n).startswith(str(TEST_RANGE_PREFIX)))
    if issued:
        raise AccessDenied(
            f"{SYNTHETIC_ONLY}: {issued} NHS number(s) in the patient list are outside the "
            f"{TEST_RANGE_PREFIX} test range",
            file=deployment.path,
            hint=REAL_DATA_HINT,
        )
