"""What a running site needs to know: where the outputs are, where its state is, its limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE_URL = "PLACEHEALTH_DATABASE_URL"
ENV_OUTPUTS = "PLACEHEALTH_OUTPUTS"
DEFAULT_OUTPUTS = Path("out/demo")
DEFAULT_DATABASE = Path("out/site/site.db")
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


def database_url(option: str | None = None) -> str:
    """The option, else ``PLACEHEALTH_DATABASE_URL``, else SQLite under ``out/site``."""
    return option or os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{DEFAULT_DATABASE}"


def outputs_folder(option: Path | None = None) -> Path:
    """The option, else ``PLACEHEALTH_OUTPUTS``, else the demo's ``out/demo``."""
    if option is not None:
        return option
    value = os.environ.get(ENV_OUTPUTS, "")
    return Path(value) if value else DEFAULT_OUTPUTS
