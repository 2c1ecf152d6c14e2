"""Who may have what from case finding, and the audit that comes before anything leaves.

The deployment (:mod:`placehealth.deployment`) names the roles file and the audit
log; the person asking cannot choose them. :func:`admit` says who is asking by
the deployment's roles, auditing a false name or an unknown user before refusing
them, and hands back a :class:`Gate`: every later refusal goes through
:meth:`Gate.refuse` (audited, then raised), and every release through
:meth:`Gate.release`, which writes the audit entry, with the hash of the exact
bytes, before the bytes are written or handed back. If the log cannot be written,
or no longer matches its head, nothing is released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from placehealth import deployment as setup
from placehealth.errors import AccessDenied, InputFileError, ValidationError
from placehealth.phm import audit
from placehealth.phm.access import User, load_roles, user_name

if TYPE_CHECKING:
    import pandas as pd


def trail(deployment: setup.Deployment) -> audit.Trail:
    """The deployment's audit log and its head."""
    return audit.Trail(deployment.audit_log, deployment.audit_head)


def refuse(
    log: audit.Trail, fields: dict[str, Any], role: str | None, exc: AccessDenied
) -> NoReturn:
    """Audit the refusal, then raise it; a log that cannot be written is said in the hint."""
    try:
        log.append(**fields, role=role, outcome="denied", rows_released=0, reason=exc.message)
    except Exception as failure:  # the refusal stands whatever happened to the log
        raise AccessDenied(exc.message, file=exc.file, hint=f"not audited: {failure}") from None
    raise exc


@dataclass(frozen=True)
class Gate:
    """A request admitted so far: its deployment, audit trail, user and audit fields."""

    deployment: setup.Deployment
    trail: audit.Trail
    user: User
    fields: dict[str, Any] = field(default_factory=dict)

    def with_fields(self, **more: Any) -> Gate:
        """The same gate, its audit entries recording ``more`` too."""
        return replace(self, fields={**self.fields, **more})

    def refuse(self, exc: AccessDenied) -> NoReturn:
        """Audit the refusal under the user's role, then raise it."""
        refuse(self.trail, self.fields, self.user.role, exc)

    def guard(self, check: Callable[..., None], *args: Any) -> None:
        """Run a deployment check; an access refusal it raises is audited first."""
        try:
            check(self.deployment, *args)
        except AccessDenied as exc:
            self.refuse(exc)

    def release(
        self,
        frame: pd.DataFrame,
        *,
        identifiable: bool,
        output: Path | None,
        shown_as: str = "terminal",
        bom: bool = True,
    ) -> Path | None:
        """Audit, then write ``frame`` to ``output`` (owner-only, whole or not at all); with
        no output, the caller shows the frame, recorded as ``shown_as``. A list the log does
        not hold never leaves: a failed write is audited as such."""
        from placehealth.tables import serialise_table, write_bytes

        data = serialise_table(frame, output.suffix if output is not None else ".csv", bom=bom)
        fields = {**self.fields, "role": self.user.role}
        self.trail.append(
            **fields,
            identifiable=identifiable,
            rows_released=len(frame),
            outcome="released",
            output=str(output.resolve()) if output is not None else shown_as,
            output_sha256=audit.sha256_bytes(data),
        )
        if output is None:
            return None
        try:
            return write_bytes(data, output, private=True)
        except OSError as exc:
            self.trail.append(**fields, outcome="failed", rows_released=0, reason=exc.strerror)
            raise InputFileError(f"cannot write: {exc.strerror}", file=output) from None


def admit(deployment: setup.Deployment, user: str | None, fields: dict[str, Any]) -> Gate:
    """Who is asking, by the deployment's roles, with the audit fields naming them.

    A false name, or a user the roles file does not know, is audited, then refused.
    """
    roles = load_roles(deployment.roles)
    log = trail(deployment)
    login = setup.Caller.current().login()
    try:
        name = user_name(user, identity=deployment.identity, login=login)
    except AccessDenied as exc:
        refuse(log, {**fields, "user": login}, None, exc)
    named = {"user": name, **fields}
    try:
        return Gate(deployment, log, roles.user(name), named)
    except AccessDenied as exc:
        refuse(log, named, None, exc)


def admit_auditor(deployment: setup.Deployment, user: str | None, action: str) -> Gate:
    """A Caldicott Guardian or an administrator, admitted to read or verify the audit log;
    anyone else is refused, and the refusal audited."""
    gate = admit(deployment, user, {"action": action, **deployment.audit_fields()})
    if not gate.user.can_read_audit():
        gate.refuse(
            AccessDenied(
                f"user '{gate.user.name}' ({gate.user.role}) may not read the audit log; "
                "the attempt is audited",
                hint="the caldicott_guardian and admin roles may",
            )
        )
    return gate


def require_intact(log: audit.Trail, result: audit.Verification) -> None:
    """Refuse a log whose hash chain is broken or that no longer matches its head."""
    if not result.ok:
        raise ValidationError(
            f"audit log not intact: {result.problem}",
            file=log.log,
            line=result.line,
            hint=f"{result.entries} entries before it are intact; the head is {log.head}"
            if result.line is not None
            else f"the head is {log.head}; restore the log from a backup",
        )
