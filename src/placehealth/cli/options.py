"""Options and output helpers shared by the commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console

console = Console()

DEFAULT_PLANS = Path("plans")


def print_json(data: Any) -> None:
    """Machine output: plain JSON on stdout, nothing else."""
    print(json.dumps(data, indent=2, default=str))


def default_plans_path() -> Path:
    """``plans/`` in the working directory, else the project's own plans folder."""
    if DEFAULT_PLANS.exists():
        return DEFAULT_PLANS
    return Path(__file__).resolve().parents[3] / "plans"
