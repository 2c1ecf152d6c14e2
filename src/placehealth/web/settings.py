"""What a running site needs to know: where the outputs are, where its state is, its limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from placehealth.errors import ValidationError

ENV_DATABASE_URL = "PLACEHEALTH_DATABASE_URL"
ENV_OUTPUTS = "PLACEHEALTH_OUTPUTS"
ENV_PLANS = "PLACEHEALTH_PLANS"
ENV_SITE_FILES = "PLACEHEALTH_SITE_FILES"
DEFAULT_OUTPUTS = Path("out/demo")
DEFAULT_DATABASE = Path("out/site/site.db")
DEFAULT_SITE_FILES = Path("out/site/files")
MIB = 1024 * 1024
ENV_OIDC = "PLACEHEALTH_OIDC_"  # ISSUER, CLIENT_ID, CLIENT_SECRET, ROLE_CLAIM, ROLES, ...


@dataclass(frozen=True)
class OidcSettings:
    """Sign-in through an OpenID Connect identity provider (docs/web.md).

    ``roles`` maps a value of the id_token's ``role_claim`` (a group or role name at
    the provider) to the site's roles; a person none of whose values is mapped is
    refused. ``neighbourhood_claim`` names the claim listing a neighbourhood team
    member's neighbourhoods.
    """

    issuer: str
    client_id: str
    client_secret: str
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    role_claim: str = "roles"
    neighbourhood_claim: str = "neighbourhoods"
    name_claim: str = "preferred_username"
    # the site's accounts for the provider's people are named with this in front
    account_prefix: str = "sso."
    scope: str = "openid profile email"
    label: str = "your organisation's account"
    # the callback address registered at the provider; default: this site's, as requested
    redirect_uri: str | None = None


@dataclass(frozen=True)
class SiteSettings:
    """One site's configuration; the defaults are the safe ones."""

    outputs: Path = DEFAULT_OUTPUTS
    database_url: str = f"sqlite:///{DEFAULT_DATABASE}"
    # cookies only over HTTPS (browsers treat http://localhost and 127.0.0.1 as secure too)
    secure_cookies: bool = True
    session_idle_minutes: int = 30
    session_max_hours: int = 8
    # login throttling: failures allowed within the window, per user name and per address
    failures_per_user: int = 5
    failures_per_address: int = 20
    throttle_minutes: int = 15
    # the largest request body accepted (uploads of actuals are the largest)
    max_body_bytes: int = 10 * MIB
    upload_types: tuple[str, ...] = (".csv", ".xlsx")
    # sign-in through an identity provider as well as local accounts (None: local only)
    oidc: OidcSettings | None = None
    # the plan folders (as `placehealth plan` reads them) and the files the site writes:
    # each plan's actuals, uploads awaiting confirmation, board packs, accepted findings
    plans: Path = field(default_factory=lambda: plans_folder())
    files: Path = field(default_factory=lambda: site_files_folder())


def database_url(option: str | None = None) -> str:
    """The option, else ``PLACEHEALTH_DATABASE_URL``, else SQLite under ``out/site``."""
    return option or os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{DEFAULT_DATABASE}"


def outputs_folder(option: Path | None = None) -> Path:
    """The option, else ``PLACEHEALTH_OUTPUTS``, else the demo's ``out/demo``."""
    if option is not None:
        return option
    value = os.environ.get(ENV_OUTPUTS, "")
    return Path(value) if value else DEFAULT_OUTPUTS


def parse_role_map(text: str) -> dict[str, tuple[str, ...]]:
    """``"group-a=analyst,group-b=analyst+caldicott_guardian"`` → the role mapping, checked
    against the case-finding roles."""
    from placehealth.phm.access import ROLES

    mapping: dict[str, tuple[str, ...]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        value, _, roles = item.rpartition("=")
        names = tuple(r.strip() for r in roles.split("+") if r.strip())
        unknown = [r for r in names if r not in ROLES]
        if not value or not names or unknown:
            raise ValidationError(
                f"{ENV_OIDC}ROLES: cannot read '{item}'",
                hint=f"claim-value=role[+role], roles: {', '.join(ROLES)}",
            )
        mapping[value] = names
    return mapping


def oidc_settings(env: dict[str, str] | None = None) -> OidcSettings | None:
    """OpenID Connect sign-in from ``PLACEHEALTH_OIDC_*``, or None when no issuer is set."""
    env = dict(os.environ if env is None else env)

    def get(name: str) -> str:
        return env.get(f"{ENV_OIDC}{name}", "").strip()

    if not get("ISSUER"):
        return None
    missing = [n for n in ("CLIENT_ID", "CLIENT_SECRET", "ROLES") if not get(n)]
    if missing:
        raise ValidationError(
            f"{ENV_OIDC}ISSUER is set but {ENV_OIDC}{missing[0]} is not",
            hint="docs/web.md lists the settings of sign-in through an identity provider",
        )
    optional = {
        key: get(name)
        for key, name in (("role_claim", "ROLE_CLAIM"), ("name_claim", "NAME_CLAIM"),
                          ("neighbourhood_claim", "NEIGHBOURHOOD_CLAIM"), ("label", "LABEL"),
                          ("redirect_uri", "REDIRECT_URI"), ("scope", "SCOPE"))
        if get(name)
    }  # fmt: skip
    return OidcSettings(
        issuer=get("ISSUER").rstrip("/"),
        client_id=get("CLIENT_ID"),
        client_secret=get("CLIENT_SECRET"),
        roles=parse_role_map(get("ROLES")),
        **optional,
    )


def plans_folder() -> Path:
    """``PLACEHEALTH_PLANS``, else the plans folder the command line uses by default."""
    from placehealth.cli.options import default_plans_path

    value = os.environ.get(ENV_PLANS, "")
    return Path(value) if value else default_plans_path()


def site_files_folder() -> Path:
    """``PLACEHEALTH_SITE_FILES``, else ``out/site/files``: the folder the site writes to."""
    value = os.environ.get(ENV_SITE_FILES, "")
    return Path(value) if value else DEFAULT_SITE_FILES
