"""Every number a plan records as printed appears on the seed lines it cites.

A wrong line reference, a typo or an invented number fails here. Numbers the plans
infer rather than copy are listed, with the reason, in INFERRED.
"""

from __future__ import annotations

import re

import pytest

from placehealth.plans.load import load_plans
from tests.conftest import ROOT, seed_figures

# (document, ambition, field, value): values deduced from the text, not printed in it
INFERRED = {
    ("one-liverpool-2019", "infant-deaths", "target", 78),  # 117 less the stated 39
    ("one-liverpool-2019", "infant-deaths", "headline", -33),  # printed "33% reduction"
    ("ccg-2014", "dementia", "published", 5241),  # expected cases, from the BCF table (4780)
    ("blueprint-2015", "neurodevelopment-wait", "baseline", 60.7),  # 14 months × 52/12 weeks
}

PLANS = load_plans(ROOT / "plans")


def printed_numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def cases() -> list[tuple[str, str, str, float, str, int, int]]:
    out = []
    for plan in PLANS:
        for a in plan.ambitions:
            points = [("baseline", a.baseline), ("target", a.target)]
            points += [("published", p) for p in a.published]
            for field, point in points:
                if point is None or point.src is None:
                    continue
                numbers = (point.value, point.count, point.numerator, point.denominator)
                out.extend(
                    (plan.document.id, a.id, field, n, plan.seed, point.src.first, point.src.last)
                    for n in numbers
                    if n is not None
                )
            for head in a.headlines:
                numbers = (head.change_pct, head.change_count, head.value)
                out.extend(
                    (
                        plan.document.id,
                        a.id,
                        "headline",
                        n,
                        plan.seed,
                        head.src.first,
                        head.src.last,
                    )
                    for n in numbers
                    if n is not None
                )
    return out


@pytest.mark.parametrize(("doc", "ambition", "field", "number", "seed", "first", "last"), cases())
def test_number_is_on_its_cited_lines(
    doc: str, ambition: str, field: str, number: float, seed: str, first: int, last: int
) -> None:
    if (doc, ambition, field, number) in INFERRED:
        return
    found = printed_numbers(seed_figures(seed, first, last))
    assert abs(number) in found, f"{number} not on seed {seed} lines {first}–{last}"
