"""The Better Care Fund checker: a plan's pool, payment rules, conditions, metrics,
contingency plan and sign-off, as plan-checker findings (same format, ids, severities
and accepted-findings file as ``placehealth plan check``).

Sums are judged as the finance checker judges restated numbers: a declared total agrees
with its partners' contributions anywhere the rounding of the printed values allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from placehealth.finance.bcf_load import ResolvedBcf
from placehealth.finance.bcf_model import CONDITIONS, Condition
from placehealth.finance.check import judge
from placehealth.finance.model import SCALE
from placehealth.finance.relations import Claim, Source
from placehealth.plans.check.findings import Finding, fmt
from placehealth.plans.severity import Severity
from placehealth.sources import Lines, cite

_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})")


def _finding(
    resolved: ResolvedBcf, key: str, check: str, severity: Severity, message: str, **extra: object
) -> Finding:
    doc = resolved.plan.document.id
    return Finding(
        id=f"{doc}/bcf/{key}/{check}",
        severity=severity,
        check=f"bcf-{check}",
        document=doc,
        subject=key,
        message=message,
        **extra,  # type: ignore[arg-type]
    )


def _cite(resolved: ResolvedBcf, lines: Lines | None, seed: str | None = None) -> str:
    return cite(seed or resolved.seed, lines)


def pool_totals(resolved: ResolvedBcf) -> Iterator[Finding]:
    """Each total the template declares against the sum of its partners' contributions."""
    plan = resolved.plan
    parts = {c.id for c in plan.pool if c.part_of is not None}
    for total in plan.totals:
        key = f"pool/{total.basis}/{total.year.replace('/', '-')}"
        if total.amount is None:
            yield _finding(
                resolved, key, "total-blank", Severity.WARNING,
                f"the template leaves the {total.basis} pool for {total.year} blank",
                sources=[_cite(resolved, total.src)],
                why="the template asks for the pooled budget's value in each year",
            )  # fmt: skip
            continue
        basis = total.contributions or total.basis
        terms = [
            c for c in plan.pool if c.year == total.year and c.basis == basis and c.id not in parts
        ]
        if not terms and not total.amount.value:
            national = [x for x in plan.stated if x.unit in SCALE and x.value.value]
            yield _finding(
                resolved, key, "total-zero", Severity.NOTE,
                f"the template agrees a {_money(total.amount.text, total.unit)} {total.basis} "
                f"pool for {total.year}"
                + "".join(f"; the text: {x.text or x.value.text}" for x in national),
                stated=0.0,
                sources=[_cite(resolved, total.src)] + [_cite(resolved, x.src) for x in national],
                why="a year's pooled budget as the template declares it against the text",
            )  # fmt: skip
            continue
        if not terms:
            if total.amount.value:
                yield _finding(
                    resolved, key, "total-unsplit", Severity.NOTE,
                    f"{total.basis} pool {total.year} {_money(total.amount.text, total.unit)}: no "
                    "partner's contribution makes it up",
                    stated=total.amount.value,
                    sources=[_cite(resolved, total.src)],
                    why="a pooled budget is the sum of what its partners put in",
                )  # fmt: skip
            continue
        amounts = [resolved.amounts[c.id] for c in terms]
        scale = SCALE[total.unit]
        computed = sum(a.pounds for a in amounts) / scale
        spread = sum(a.printed.half_unit * SCALE[a.unit] for a in amounts) / scale
        claim = Claim(
            document=plan.document.id, table="BCF", row=basis, column=total.year,
            check="same-as", stated=total.amount, computed=computed, spread=spread,
            formula="", judged="restated", source=Source(resolved.seed, total.src),
        )  # fmt: skip
        severity = judge(claim)
        if severity is not None:
            inputs = sorted({_cite(resolved, a.lines, a.seed) for a in amounts})
            sources = [_cite(resolved, total.src), *inputs]
            yield _finding(
                resolved, key, "pool-total", severity,
                f"{total.basis} pool {total.year}: printed "
                f"{_money(total.amount.text, total.unit)}, but "
                f"the partners' {basis} contributions add to {computed:,.3f} "
                f"({' + '.join(a.printed.text for a in amounts)})",
                stated=total.amount.value, expected=round(computed, 6), sources=sources,
                why="a pooled budget is the sum of what its partners put in",
            )  # fmt: skip


def parts(resolved: ResolvedBcf) -> Iterator[Finding]:
    """A part (the Disabled Facilities Grant) larger than what it is part of."""
    plan = resolved.plan
    for c in plan.pool:
        if c.part_of is None:
            continue
        part, whole = resolved.amounts[c.id], resolved.amounts[c.part_of]
        if part.pounds > whole.pounds + part.printed.half_unit * SCALE[part.unit]:
            yield _finding(
                resolved, f"pool/{c.id}", "part-exceeds", Severity.ERROR,
                f"'{c.label}' ({part.printed.text} {part.unit}) is more than '{c.part_of}' "
                f"({whole.printed.text} {whole.unit}), which it is part of",
                stated=part.pounds, expected=whole.pounds,
                sources=[_cite(resolved, part.lines, part.seed),
                         _cite(resolved, whole.lines, whole.seed)],
                why="a part of a contribution cannot exceed it",
            )  # fmt: skip


def payment_rules(resolved: ResolvedBcf) -> Iterator[Finding]:
    """The releases' split (conditions + metrics = release; releases = the performance
    element), and the share paid for outcomes the plan states against the rules'."""
    rules = resolved.rules
    seed = _rules_seed(resolved)
    if resolved.rules_file == resolved.file:
        for r in rules.releases:
            split = r.conditions_share.value + r.metrics_share.value
            if abs(split - r.amount.value) > r.amount.half_unit:
                yield _finding(
                    resolved, f"payment/{r.id}", "release-split", Severity.ERROR,
                    f"release {r.id}: {r.conditions_share.text} on conditions + "
                    f"{r.metrics_share.text} on metrics = {fmt(split)}, not {r.amount.text}",
                    stated=r.amount.value, expected=split, sources=[cite(seed, r.src)],
                    why="a release is paid on conditions and on metrics, nothing else",
                )  # fmt: skip
        total = sum(r.amount.value * SCALE[rules.unit] for r in rules.releases)
        if abs(total - rules.performance_pounds()) > 0.5 * SCALE[rules.performance_unit] * 10.0 ** (
            -rules.performance.places
        ):
            yield _finding(
                resolved, "payment/releases", "releases-total", Severity.ERROR,
                f"the releases add to {fmt(total / SCALE[rules.unit])} {rules.unit}, not the "
                f"performance element's {rules.performance.text}",
                stated=rules.performance_pounds(), expected=total, sources=[cite(seed, rules.src)],
                why="the performance element is paid in its releases",
            )  # fmt: skip
    share = rules.performance_pounds() / rules.fund_pounds() * 100
    for s in resolved.plan.stated:
        if s.key != "performance-share":
            continue
        gap = abs(s.value.value - share)
        if gap < s.value.half_unit:
            continue
        yield _finding(
            resolved, "stated/performance-share", "performance-share",
            Severity.NOTE if s.approximately else Severity.WARNING,
            f"the plan says {'approximately ' if s.approximately else ''}{s.value.text}% of the "
            f"fund is paid for outcomes; the rules' {rules.performance.text} of "
            f"{rules.fund.text} is {share:.1f}%",
            stated=s.value.value, expected=round(share, 2),
            sources=[_cite(resolved, s.src), cite(seed, rules.src)],
            why="the share of the fund paid for performance is the rules' ratio",
        )  # fmt: skip


def _rules_seed(resolved: ResolvedBcf) -> str:
    import yaml

    if resolved.rules_file == resolved.file:
        return resolved.seed
    data = yaml.safe_load(resolved.rules_file.read_text(encoding="utf-8"))
    return str(data["document"]["seed"])


def metrics(resolved: ResolvedBcf) -> Iterator[Finding]:
    """A metric counted in a payment with no target to be judged by; a release none of
    whose metrics has a target."""
    plan = resolved.plan
    for r in resolved.rules.releases:
        counted = [m for m in plan.metrics if (m.id, r.id) in resolved.targets]
        missing = [m for m in counted if resolved.targets[(m.id, r.id)].value is None]
        if counted and len(missing) == len(counted):
            yield _finding(
                resolved, f"metrics/{r.id}", "no-targets", Severity.WARNING,
                f"none of the {len(counted)} metrics of the {r.id} payment has a target: its "
                f"metrics share cannot be earned",
                sources=[_cite(resolved, m.src) for m in counted if m.src][:3],
                why="a metric's share is paid on its performance against a target",
            )  # fmt: skip
            continue
        for m in missing:
            yield _finding(
                resolved, f"metrics/{m.id}/{r.id}", "no-target", Severity.WARNING,
                f"metric '{m.id}' counts in the {r.id} payment but has no target",
                sources=[_cite(resolved, m.src)] if m.src else [],
                why="a metric's share is paid on its performance against a target",
            )  # fmt: skip


def conditions(resolved: ResolvedBcf) -> Iterator[Finding]:
    """A national condition the plan does not address, or gives no evidence for."""
    given: dict[str, Condition] = {c.id: c for c in resolved.plan.conditions}
    for cid in CONDITIONS:
        c = given.get(cid)
        if c is None:
            yield _finding(
                resolved, f"conditions/{cid}", "condition-missing", Severity.WARNING,
                f"the plan does not address the national condition '{cid}'",
                why="every plan evidences the six national conditions",
            )  # fmt: skip
        elif c.evidence is None or c.status == "unknown":
            yield _finding(
                resolved, f"conditions/{cid}", "condition-evidence", Severity.WARNING,
                f"national condition '{c.name}': no evidence that it is met"
                + (f" ({c.note})" if c.note else ""),
                sources=[_cite(resolved, c.src)] if c.src else [],
                why="every plan evidences the six national conditions",
            )  # fmt: skip


def contingency_and_signoff(resolved: ResolvedBcf) -> Iterator[Finding]:
    """Blank contingency cells, undated signatures, schemes without money, and a plan
    submitted before the board agreed it."""
    plan = resolved.plan
    blank = [c for c in plan.contingency if c.amount is None]
    if blank:
        yield _finding(
            resolved, "contingency", "contingency-blank", Severity.WARNING,
            f"the contingency plan leaves {len(blank)} of {len(plan.contingency)} cells blank "
            "(planned savings; support other services would need)",
            sources=[_cite(resolved, blank[0].src)],
            why="the template asks how services are kept if the improvements are not made",
        )  # fmt: skip
    for n, s in enumerate(plan.signoff):
        if s.date is None:
            yield _finding(
                resolved, f"signoff/{n + 1}", "signoff-undated", Severity.WARNING,
                f"{s.name or 'the signatory'} ({s.organisation}) signs without a date",
                sources=[_cite(resolved, s.src)],
                why="the sign-off dates the plan's agreement",
            )  # fmt: skip
    if plan.schemes and all(s.amount is None for s in plan.schemes):
        yield _finding(
            resolved, "schemes", "schemes-unfunded", Severity.NOTE,
            f"none of the {len(plan.schemes)} schemes has an amount: the pool is not "
            "allocated to schemes",
            sources=[_cite(resolved, plan.schemes[0].src)],
            why="the pooled budget is spent through the schemes",
        )  # fmt: skip
    if plan.dates is not None and plan.dates.submitted:
        submitted = _day(plan.dates.submitted)
        agreed = [d for a in plan.dates.agreed if (d := _day(a)) is not None]
        if submitted is not None and agreed and submitted < min(agreed):
            yield _finding(
                resolved, "dates", "submitted-before-agreed", Severity.NOTE,
                f"submitted {plan.dates.submitted}, before the board agreed it "
                f"({', '.join(plan.dates.agreed)})",
                sources=[_cite(resolved, plan.dates.src)],
                why="a plan is agreed by the Health and Wellbeing Board, then submitted",
            )  # fmt: skip


def _money(text: str, unit: str) -> str:
    """'£2.969' in £m as '£2.969m'; a bare number with its unit."""
    return text + unit.lstrip("£") if text.startswith("£") else f"{text} {unit}"


def _day(text: str) -> date | None:
    m = _DATE.match(text.strip())
    return date(int(m[3]), int(m[2]), int(m[1])) if m else None


def check_bcf(plans: list[ResolvedBcf]) -> list[Finding]:
    """Every finding for the BCF plans given."""
    out: list[Finding] = []
    for resolved in plans:
        for check in (pool_totals, parts, payment_rules, metrics, conditions,
                      contingency_and_signoff):  # fmt: skip
            out.extend(check(resolved))
    return out
