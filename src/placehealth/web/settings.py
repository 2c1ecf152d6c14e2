"""What a running site needs to know: where the outputs are, where its state is, its limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_DATABASE_URL = "PLACEHEALTH_DATABASE_URL"
ENV_OUTPUTS = "PLACEHEALTH_OUTPUTS"
ENV_PLANS = "PLACEHEALTH_PLANS"
ENV_SITE_FILES = "PLACEHEALTH_SITE_FILES"
DEFAULT_OUTPUTS = Path("out/demo")
DEFAULT_DATABASE = Path("out/site/site.db")
DEFAULT_SITE_FILES = Path("out/site/files")
MIB = 1024 * 1024


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


def plans_folder() -> Path:
    """``PLACEHEALTH_PLANS``, else the plans folder the command line uses by default."""
    from placehealth.cli.options import default_plans_path

    value = os.environ.get(ENV_PLANS, "")
    return Path(value) if value else default_plans_path()


def site_files_folder() -> Path:
    """``PLACEHEALTH_SITE_FILES``, else ``out/site/files``: the folder the site writes to."""
    value = os.environ.get(ENV_SITE_FILES, "")
    return Path(value) if value else DEFAULT_SITE_FILES
