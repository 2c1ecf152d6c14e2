"""Better Care Fund plans as jobs: read and resolve a plan, show its pool and conditions,
work out the performance payment (with what-ifs), check it, and move it to and from the
national template's workbook.

``placehealth plan check`` adds :func:`findings` to the outcome plans' findings;
``placehealth bcf`` calls the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from placehealth.finance.bcf_load import ResolvedBcf
    from placehealth.plans.check.findings import Finding


def findings(path: Path) -> list[Finding]:
    """Every finding for the BCF plans under ``path`` (none there: an empty list)."""
    from placehealth.finance.bcf_check import check_bcf
    from placehealth.finance.bcf_load import bcf_files, load_bcf

    if path.exists() and not bcf_files(path):
        return []
    return check_bcf(load_bcf(path))


def _money(pounds: float, unit: str = "£m") -> float:
    from placehealth.finance.model import SCALE

    return round(pounds / SCALE[unit], 6)


def show(path: Path) -> list[dict[str, Any]]:
    """Each plan: partners, the pool by partner, year and basis (and by scheme), the
    national conditions, the metrics with their payment-period targets, the payment rules,
    the contingency plan and the sign-off."""
    from placehealth.charts.frames import records
    from placehealth.finance.bcf_load import load_bcf
    from placehealth.finance.bcf_pool import pool_frame, scheme_frame

    out = []
    for resolved in load_bcf(path):
        plan = resolved.plan
        pool = pool_frame(resolved)
        out.append(
            {
                "document": plan.document.id,
                "title": plan.title,
                "place": plan.place,
                "source": f"seed {plan.document.seed}, {plan.src}",
                "partners": [p.model_dump(exclude={"src"}) for p in plan.partners],
                "pool": records(pool),
                "pool_by_partner": _pivot(pool),
                "schemes": records(scheme_frame(resolved)),
                "conditions": [c.model_dump(mode="json") for c in plan.conditions],
                "metrics": [
                    {
                        "metric": m,
                        "release": r,
                        "ambition": t.ambition,
                        "period": t.period,
                        "target": t.value,
                        "higher_is_better": t.higher_is_better,
                    }
                    for (m, r), t in resolved.targets.items()
                ],
                "payment_rules": resolved.rules.model_dump(mode="json"),
                "payment_rules_file": str(resolved.rules_file),
                "contingency": [c.model_dump(mode="json") for c in plan.contingency],
                "signoff": [s.model_dump(mode="json") for s in plan.signoff],
                "acute_sector": [
                    {
                        "kind": a.kind,
                        "text": a.text,
                        "source": f"seed {plan.document.seed}, {a.src}",
                    }
                    for a in plan.acute_sector
                ],
            }
        )
    return out


def _pivot(pool: Any) -> list[dict[str, Any]]:
    """Partner × year totals of each basis (parts of a contribution left out)."""
    whole = pool[~pool["part"]]
    table = whole.pivot_table(
        index=["basis", "partner"], columns="year", values="amount_m", aggfunc="sum"
    )
    from placehealth.charts.frames import records

    return records(table.reset_index())


def parse_sets(sets: list[str], resolved: ResolvedBcf) -> dict[tuple[str, str], float]:
    """``metric=value`` (every payment the metric counts in) or ``metric@release=value``;
    a metric or release the plan lacks, or a value that is not a number, is a clear error."""
    from placehealth.errors import ValidationError

    metrics = {m.id for m in resolved.plan.metrics}
    out: dict[tuple[str, str], float] = {}
    for item in sets:
        name, sep, raw = item.partition("=")
        metric, _, release = name.strip().partition("@")
        try:
            value = float(raw)
        except ValueError:
            value = None
        if not sep or value is None:
            raise ValidationError(
                f"--set {item}: write metric=value, e.g. delayed-transfers=228",
                hint="the value is a number in the metric's unit",
            )
        if metric not in metrics:
            raise ValidationError(
                f"--set {item}: the plan has no metric '{metric}'",
                file=resolved.file,
                hint="metrics: " + ", ".join(sorted(metrics)),
            )
        releases = [r for (m, r) in resolved.targets if m == metric]
        if release and release not in releases:
            raise ValidationError(
                f"--set {item}: '{metric}' does not count in a release '{release}'",
                file=resolved.file,
                hint="releases it counts in: " + ", ".join(releases),
            )
        for r in [release] if release else releases:
            out[(metric, r)] = value
    return out


def payment(
    path: Path,
    sets: list[str] | None = None,
    vary: list[str] | None = None,
    actuals_file: Path | None = None,
) -> list[dict[str, Any]]:
    """The performance payment of each plan under ``path`` given the metrics' actuals (from
    ``actuals_file``, a table of metric, release, value; then ``sets``, which win), at
    national scale and at the place's share; ``vary`` (``metric=v1,v2,…``) adds the total
    released as that metric takes each value."""
    from placehealth.charts.frames import records
    from placehealth.errors import ValidationError
    from placehealth.finance.bcf_actuals import read_actuals
    from placehealth.finance.bcf_load import load_bcf
    from placehealth.finance.bcf_payment import assess, stake, what_if

    plans = load_bcf(path)
    given = read_actuals(actuals_file, plans) if actuals_file is not None else {}
    out = []
    for resolved in plans:
        actuals = {**given.get(resolved.file, {}), **parse_sets(sets or [], resolved)}
        releases, metrics = assess(resolved, actuals)
        place = stake(resolved)
        record: dict[str, Any] = {
            "document": resolved.plan.document.id,
            "place": resolved.plan.place,
            "share_of_fund": place.share,
            "pool_m": _money(place.pool_pounds),
            "pool_basis": place.basis,
            "releases": records(releases),
            "metrics": records(metrics),
            "released": float(releases["released"].sum()),
            "at_stake": float(releases["at_stake"].sum()),
            "what_if": [],
        }
        for item in vary or []:
            metric, sep, raw = item.partition("=")
            try:
                values = [float(v) for v in raw.split(",") if v.strip()]
            except ValueError:
                values = []
            if not sep or not values:
                raise ValidationError(
                    f"--vary {item}: write metric=v1,v2,…, e.g. delayed-transfers=220,230,240"
                )
            parse_sets([f"{metric}={values[0]}"], resolved)  # the metric exists
            record["what_if"] += records(what_if(resolved, actuals, metric.strip(), values))
        out.append(record)
    return out


def export(path: Path, output: Path) -> Path:
    """Write the BCF plan under ``path`` to a workbook laid out like the national template."""
    from placehealth.errors import ValidationError
    from placehealth.finance.bcf_excel import write_workbook
    from placehealth.finance.bcf_load import load_bcf

    plans = load_bcf(path)
    if len(plans) != 1:
        raise ValidationError(
            f"{len(plans)} BCF plans under {path}: export one at a time",
            hint="give one plan folder, e.g. plans/ccg-2014",
        )
    return write_workbook(plans[0].plan, output)


def import_(workbook: Path, output: Path | None = None) -> dict[str, Any]:
    """Read a workbook written by :func:`export` (or filled in by hand) back to a BCF plan,
    validated; ``output`` writes it as YAML."""
    from placehealth.finance.bcf_excel import read_workbook, write_yaml

    plan = read_workbook(workbook)
    if output is not None:
        write_yaml(plan, output)
    return plan.model_dump(mode="json", by_alias=True, exclude_none=True)
