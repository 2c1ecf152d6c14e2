"""Who may see what: users, their roles and the neighbourhoods each covers (DESIGN §4).

A roles file (YAML) names every user allowed to run case finding; which file is
in force is set by the deployment (:mod:`placehealth.deployment`), never by the
person asking::

    users:
      alice: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}
      bob: {role: analyst}
      carol: {roles: [caldicott_guardian, analyst]}

Roles:

- ``neighbourhood_team``: identifiable case lists for its own neighbourhoods only
  (the multidisciplinary team and its lead professional, who already hold these
  patients' records for direct care);
- ``analyst``: aggregate, suppressed counts only;
- ``caldicott_guardian``: aggregates, and reading and verifying the audit log;
- ``admin``: aggregates, and reading and verifying the audit log (keeps the roles file).

No role other than ``neighbourhood_team`` releases a record-level row, so the
people who oversee access cannot themselves browse patients. A user absent
from the file has no access at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from placehealth.errors import AccessDenied, InputFileError
from placehealth.yamlfile import first_repeated_key, line_of, load_yaml, reject_repeats

ENV_USER = "PLACEHEALTH_USER"

NEIGHBOURHOOD_TEAM = "neighbourhood_team"
ANALYST = "analyst"
CALDICOTT_GUARDIAN = "caldicott_guardian"
ADMIN = "admin"
ROLES = (NEIGHBOURHOOD_TEAM, ANALYST, CALDICOTT_GUARDIAN, ADMIN)
AUDIT_READERS = (CALDICOTT_GUARDIAN, ADMIN)


class _UserEntry(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    role: str | None = None
    roles: list[str] = []
    neighbourhoods: list[str] = []

    @pydantic.model_validator(mode="after")
    def _check(self) -> _UserEntry:
        names = ([self.role] if self.role else []) + self.roles
        reject_repeats(self.roles, "roles")
        reject_repeats(self.neighbourhoods, "neighbourhoods")
        if not names:
            raise ValueError("give the user a role (role: ...) or roles (roles: [...])")
        unknown = [r for r in names if r not in ROLES]
        if unknown:
            raise ValueError(f"unknown role '{unknown[0]}' (roles: {', '.join(ROLES)})")
        if NEIGHBOURHOOD_TEAM in names and not self.neighbourhoods:
            raise ValueError("a neighbourhood_team user needs neighbourhoods: [...]")
        return self


class _RolesFile(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    users: dict[str, _UserEntry]


@dataclass(frozen=True)
class User:
    """A named user with the roles and neighbourhoods the roles file gives them."""

    name: str
    roles: tuple[str, ...]
    neighbourhoods: frozenset[str]

    @property
    def role(self) -> str:
        """The roles as one text, for the audit log."""
        return "+".join(self.roles)

    def can_identify(self, neighbourhood: str) -> bool:
        """True if this user may see record-level rows for ``neighbourhood``."""
        return NEIGHBOURHOOD_TEAM in self.roles and neighbourhood in self.neighbourhoods

    def can_read_audit(self) -> bool:
        return any(r in AUDIT_READERS for r in self.roles)


@dataclass(frozen=True)
class Roles:
    """The parsed roles file."""

    path: Path
    users: dict[str, User]

    def user(self, name: str) -> User:
        """The named user, or AccessDenied if the roles file does not list them."""
        if name not in self.users:
            raise AccessDenied(
                f"user '{name}' is not in the roles file",
                file=self.path,
                hint="ask the Caldicott Guardian to add you to the deployment's roles file",
            )
        return self.users[name]


def load_roles(path: Path) -> Roles:
    """Read and check a roles file; any problem is an InputFileError with its line.

    A user or field written twice is refused: YAML would keep the last silently,
    so a second entry for a user could widen their access unseen.
    """
    data: Any = load_yaml(path)
    repeat = first_repeated_key(path)
    if repeat is not None:
        what = f"user '{repeat.key}'" if repeat.parents == ("users",) else f"'{repeat.key}'"
        raise InputFileError(
            f"malformed roles file: {what} is listed twice (first on line {repeat.first_line})",
            file=path,
            line=repeat.line,
            hint="keep one entry; give a user several roles with roles: [...]",
        )
    try:
        parsed = _RolesFile.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        location = tuple(first["loc"])
        where = ".".join(str(p) for p in location[:-1] if first["type"] == "extra_forbidden")
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            model = _UserEntry if len(location) == 3 else _RolesFile
            known = ", ".join(model.model_fields)
            message = f"unknown field '{location[-1]}' (fields: {known})"
        elif "[key]" in location:
            where = "users"
            message = f"user name {location[1]!r} must be text (put it in quotes)"
            location = ("users", str(location[1]))
        else:
            where = ".".join(str(p) for p in location)
        raise InputFileError(
            f"malformed roles file: {where or 'document'}: {message}",
            file=path,
            line=line_of(path, location),
            hint="see examples/roles.yaml",
        ) from None
    users = {
        name: User(
            name=name,
            roles=tuple(dict.fromkeys(([e.role] if e.role else []) + e.roles)),
            neighbourhoods=frozenset(e.neighbourhoods),
        )
        for name, e in parsed.users.items()
    }
    return Roles(path=path, users=users)


def user_name(option: str | None, *, identity: str, login: str) -> str:
    """Who is asking, as the deployment's ``identity`` says to tell.

    ``login``: the account running the command (``login``, from the system);
    ``--user`` or ``PLACEHEALTH_USER`` naming anyone else is refused, so nobody
    can ask in a colleague's name. ``option``: a service that has signed the
    user on passes ``--user`` (else ``PLACEHEALTH_USER``, else the login).
    """
    claimed = option or os.environ.get(ENV_USER, "")
    if identity == "option":
        return claimed or login
    if claimed and claimed != login:
        raise AccessDenied(
            f"you are '{login}' and may not ask as '{claimed}': this deployment takes the "
            "user from the login; the attempt is audited",
            hint=f"leave out --user and {ENV_USER}",
        )
    return login
