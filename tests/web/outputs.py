"""A small run's outputs for the site's tests: what `placehealth demo` writes that the site reads.

A synthetic place of a few thousand people, its warehouse and indicator values,
the plan summary and findings, and one plan's status — built by the same commands
the demo runs, without the demo's slower parts the site does not show (risk
model, case lists, board packs).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from placehealth.cli.options import default_plans_path
from tests.test_cli import run_cli

PERSONS = 2000
PLAN = "one-liverpool-2019"


def build_outputs(out: Path) -> Path:
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import check_plans
    from placehealth.plans.load import load_plans
    from placehealth.plans.show import findings_frame, summary_frame
    from placehealth.tables import write_table

    catalogue = load_catalogue()
    plans = load_plans(default_plans_path())
    write_table(summary_frame(plans, catalogue), out / "plan_summary.csv")
    write_table(findings_frame(check_plans(plans, catalogue)), out / "plan_findings.csv")
    key = out / "demo.key"
    key.write_text(secrets.token_hex(32))
    key.chmod(0o600)
    warehouse = out / "place.duckdb"
    values = out / "indicators.csv"
    for args in (
        ("synth", "--persons", str(PERSONS), "--seed", "3", "--output", str(out / "synth")),
        ("ingest", str(out / "synth"), "--warehouse", str(warehouse), "--key-file", str(key),
         "--synthetic"),
        ("indicators", "compute", "--warehouse", str(warehouse), "-o", str(values)),
        ("plan", "status", str(default_plans_path() / PLAN), "--actuals",
         str(values), "--population", str(PERSONS), "-o", str(out / f"status-{PLAN}.csv")),
    ):  # fmt: skip
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
    return out


def with_activity(site_outputs: Path, out: Path) -> Path:
    """A copy of the run's outputs with the activity files the demo writes beside them
    (services.demo.activity: activity against plan, the demand projection and its charts)."""
    import shutil

    from placehealth.services.demo import activity

    shutil.copytree(site_outputs, out)
    activity(out, default_plans_path(), out / "place.duckdb", place=None)
    return out
