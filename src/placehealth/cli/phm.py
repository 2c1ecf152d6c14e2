"""``placehealth phm``: population health management on the warehouse.

Each part owns a module with a ``register(app)`` function: segments and
profiles (``phm_segments``), the emergency-admission risk model
(``phm_model``) and neighbourhood case finding (``phm_cohort``).
"""

from __future__ import annotations

import typer

from placehealth.cli import phm_cohort, phm_model, phm_segments

phm_app = typer.Typer(
    help=(
        "Population health management: segments, frailty, risk of emergency admission, "
        "case finding.\n\nExample: placehealth phm segments --warehouse out/warehouse.duckdb"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    for module in (phm_segments, phm_model, phm_cohort):
        module.register(phm_app)
    app.add_typer(phm_app, name="phm")
