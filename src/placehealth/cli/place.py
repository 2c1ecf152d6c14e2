"""The ``--place`` option of commands that read a warehouse (the check is the engine's)."""

from __future__ import annotations

PLACE_HELP = "The place (top area) to report: the warehouse's own by default; another is refused."
