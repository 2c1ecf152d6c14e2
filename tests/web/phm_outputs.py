"""The population health outputs the demo writes, added to a copy of the site's test run.

The segment profile and the concentration of cost (:func:`placehealth.services.
site_phm.write_outputs`), the risk model, and the published counts of people at risk
made under a development deployment — the demo's own steps. Each test then gets a
deployment of its own (the run's roles file, a fresh audit log) so the entries it
reads are its own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from placehealth.deployment import ENV_DEPLOYMENT

TEAM, OTHER_TEAM = "NBSYN01", "NBSYN02"
AT_RISK_THRESHOLD = 0.5  # the risk the run counts people at risk from
# the deployment's roles file: ned's entry covers a neighbourhood his site account does not
ROLES = f"""\
users:
  ana: {{role: analyst}}
  ned: {{role: neighbourhood_team, neighbourhoods: [{TEAM}, {OTHER_TEAM}]}}
  nia: {{role: neighbourhood_team, neighbourhoods: [{OTHER_TEAM}]}}
"""


def build_phm_outputs(site_outputs: Path, out: Path) -> Path:
    """A copy of ``site_outputs`` with the population health outputs of the demo."""
    from placehealth.places import load_place
    from placehealth.services import risk, site_phm

    shutil.copytree(site_outputs, out, dirs_exist_ok=True)
    warehouse = out / f"{load_place(None).id}.duckdb"
    (out / "place.duckdb").rename(warehouse)
    site_phm.write_outputs(warehouse, out)
    model = out / site_phm.MODEL
    truth = out / "synth" / "truth" / "emergency_risk.parquet"
    risk.fit(warehouse, model, truth=truth, key_file=out / "demo.key")
    (out / "roles.yaml").write_text(ROLES)
    deployment = write_deployment(out, out / "run-audit")
    previous = os.environ.get(ENV_DEPLOYMENT)
    os.environ[ENV_DEPLOYMENT] = str(deployment)
    try:
        site_phm.write_at_risk(warehouse, out, model=model, user="ana", threshold=AT_RISK_THRESHOLD)
    finally:
        if previous is None:
            os.environ.pop(ENV_DEPLOYMENT)
        else:
            os.environ[ENV_DEPLOYMENT] = previous
    return out


def write_deployment(outputs: Path, folder: Path) -> Path:
    """A development deployment in ``folder`` with the run's roles file and its own audit log;
    the site names the user (identity: option), as a service that signs people on does."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "deployment.yaml"
    path.write_text(
        f"roles: {outputs / 'roles.yaml'}\naudit_log: audit.jsonl\n"
        "audit_head: head/audit.jsonl.head\nidentity: option\ndevelopment: true\n"
    )
    return path
