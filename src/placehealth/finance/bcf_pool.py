"""The pooled budget as tables: each contribution by partner, year, basis and kind (in £m,
with where it is printed), and the schemes with what the plan gives each."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.finance.bcf_load import ResolvedBcf


def pool_frame(resolved: ResolvedBcf) -> pd.DataFrame:
    """One row per contribution; ``part`` marks a part of another (left out of totals)."""
    import pandas as pd

    from placehealth.finance.model import SCALE
    from placehealth.sources import cite

    partners = {p.id: p.name for p in resolved.plan.partners}
    rows = []
    for c in resolved.plan.pool:
        amount = resolved.amounts[c.id]
        rows.append(
            {
                "contribution": c.id,
                "partner": partners[c.partner],
                "year": c.year,
                "basis": c.basis,
                "kind": c.kind,
                "label": c.label,
                "printed": amount.printed.text,
                "amount_m": amount.pounds / SCALE["£m"],
                "part": c.part_of is not None,
                "part_of": c.part_of,
                "table": amount.table,
                "source": cite(amount.seed, amount.lines),
            }
        )
    return pd.DataFrame(rows)


def scheme_frame(resolved: ResolvedBcf) -> pd.DataFrame:
    """The schemes, their metrics and conditions, and the amount each is given (the seeds
    give none: the pool is not split by scheme)."""
    import pandas as pd

    from placehealth.finance.model import SCALE

    return pd.DataFrame(
        [
            {
                "scheme": s.id,
                "name": s.name,
                "programme": s.programme,
                "metrics": ", ".join(s.metrics),
                "conditions": ", ".join(s.conditions),
                "amount_m": s.amount.value * SCALE[s.unit] / SCALE["£m"] if s.amount else None,
            }
            for s in resolved.plan.schemes
        ],
        columns=["scheme", "name", "programme", "metrics", "conditions", "amount_m"],
    )
