"""Checks of framework codes and of a document's goal → section → metric map."""

from __future__ import annotations

import re
from collections.abc import Iterator

from placehealth.catalogue.model import Catalogue, Indicator, normalise_code
from placehealth.plans.check.findings import Finding, Severity
from placehealth.plans.load import Plan
from placehealth.sources import Lines, cite

_STOP = {
    "the", "of", "and", "to", "in", "for", "a", "an", "with", "by", "on", "per", "from",
    "people", "rate", "number", "percentage", "proportion", "who", "are", "at", "or", "all",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1}


def similarity(a: str, b: str) -> float:
    """Share of words in common (Jaccard), ignoring filler words."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _best_match(name: str, candidates: list[Indicator]) -> tuple[float, Indicator | None]:
    scored = [(similarity(name, c.name), c) for c in candidates]
    return max(scored, key=lambda s: s[0], default=(0.0, None))


def ambition_codes(plan: Plan, catalogue: Catalogue) -> Iterator[Finding]:
    """Each cited code must exist and belong to what the document says it measures."""
    for a in plan.ambitions:
        for code in a.codes:
            found = catalogue.lookup_code(code)
            where = [cite(plan.seed, a.src)]
            if not found:
                own = [
                    c.code
                    for c in catalogue[a.indicator].codes
                    if normalise_code(c.code)[:2] == normalise_code(code)[:2]
                ]
                hint = (
                    f"; what it measures ('{catalogue[a.indicator].name}') is {own[0]}"
                    if own
                    else _closest_code(code, a.name or "", catalogue)
                )
                yield Finding(
                    id=f"{plan.document.id}/{a.id}/unknown-code/{normalise_code(code)}",
                    severity=Severity.ERROR,
                    check="unknown-code",
                    document=plan.document.id,
                    subject=a.id,
                    message=f"code {code} is not in the catalogue" + hint,
                    stated=code,
                    sources=where,
                )
                continue
            owners = {ind.id for ind in found}
            if a.indicator in owners:
                continue
            cited = found[0]
            same_framework = [
                ind for fc, ind in catalogue.framework(_framework_of(cited, code)) if ind.id
            ]
            _score, better = _best_match(a.name or catalogue[a.indicator].name, same_framework)
            true_codes = [
                c.code
                for c in catalogue[a.indicator].codes
                if c.framework in {fc.framework for fc in cited.codes}
            ]
            right = true_codes[0] if true_codes else (_code_in(better, code) if better else None)
            yield Finding(
                id=f"{plan.document.id}/{a.id}/misused-code/{normalise_code(code)}",
                severity=Severity.ERROR,
                check="misused-code",
                document=plan.document.id,
                subject=a.id,
                message=f"code {code} is '{cited.name}', but the document uses it for "
                f"'{a.name or catalogue[a.indicator].name}'"
                + (f" (that is {right})" if right else ""),
                stated=code,
                expected=right,
                sources=where + _code_sources(plan, cited, code),
            )


def _framework_of(indicator: Indicator, code: str) -> str:
    for c in indicator.codes:
        if normalise_code(c.code) == normalise_code(code):
            return c.framework
    return ""


def _code_in(indicator: Indicator, like: str) -> str | None:
    prefix = normalise_code(like)[:2]
    for c in indicator.codes:
        if normalise_code(c.code).startswith(prefix):
            return c.code
    return None


def _code_sources(plan: Plan, indicator: Indicator, code: str) -> list[str]:
    for c in indicator.codes:
        if normalise_code(c.code) == normalise_code(code) and c.source is not None:
            return [cite(c.source.seed, c.source.lines)]
    return [cite(s.seed, s.lines) for s in indicator.sources[:1]]


def _closest_code(code: str, name: str, catalogue: Catalogue) -> str:
    """Suggest the code whose indicator the wording matches best, within the code's family."""
    prefix = normalise_code(code)[:2]
    family = [
        (c.code, ind)
        for ind in catalogue.indicators.values()
        for c in ind.codes
        if normalise_code(c.code).startswith(prefix)
    ]
    if not family:
        return ""
    if name:
        score, best = _best_match(name, [ind for _, ind in family])
        if best is not None and score >= 0.2:
            right = next(c for c, ind in family if ind.id == best.id)
            return f"; the wording matches {right} ('{best.name}')"
    return ""


def plan_maps(plan: Plan, catalogue: Catalogue) -> Iterator[Finding]:
    """Coverage of the goal → section → metric and schedule → section maps."""
    doc = plan.document.id
    for pmap in plan.maps:
        goals = {g.id for g in pmap.goals}
        sections = {s.id for s in pmap.sections}
        used_goals: set[str] = set()
        for s in pmap.sections:
            used_goals.update(s.goals)
            if not s.metrics and not s.local_metrics:
                yield _map_finding(
                    plan,
                    "section-without-metric",
                    s.id,
                    f"section {s.id} '{s.title}' has no metric",
                    s.src,
                    Severity.WARNING,
                )
            for goal_id in s.goals:
                if goals and goal_id not in goals:
                    yield _map_finding(
                        plan,
                        "unknown-goal",
                        f"{s.id}/{goal_id}",
                        f"section {s.id} refers to goal {goal_id}, which is not defined",
                        s.src,
                        Severity.ERROR,
                    )
            for metric in s.metrics:
                if metric not in catalogue and not catalogue.lookup_code(metric):
                    hint = _closest_code(metric, s.title, catalogue)
                    yield _map_finding(
                        plan,
                        "unknown-metric",
                        f"{s.id}/{metric}",
                        f"section {s.id} '{s.title}' lists metric {metric}, which is not in the "
                        "catalogue" + hint,
                        s.src,
                        Severity.ERROR,
                    )
        for g in pmap.goals:
            if g.id not in used_goals:
                yield _map_finding(
                    plan,
                    "goal-without-section",
                    g.id,
                    f"goal {g.id} '{g.title}' has no plan section",
                    g.src,
                    Severity.WARNING,
                )
        for sch in pmap.schedules:
            if not sch.sections:
                yield _map_finding(
                    plan,
                    "schedule-without-section",
                    sch.id,
                    f"schedule {sch.id} '{sch.title}' maps to no plan section",
                    sch.src,
                    Severity.WARNING,
                )
            for sid in sch.sections:
                if sid not in sections:
                    yield _map_finding(
                        plan,
                        "unknown-section",
                        f"{sch.id}/{sid}",
                        f"schedule {sch.id} maps to section {sid}, which the plan does not have",
                        sch.src,
                        Severity.ERROR,
                    )
    del doc


def _map_finding(
    plan: Plan, check: str, key: str, message: str, src: Lines | None, severity: Severity
) -> Finding:
    return Finding(
        id=f"{plan.document.id}/map/{check}/{key}",
        severity=severity,
        check=check,
        document=plan.document.id,
        subject=key,
        message=message,
        sources=[cite(plan.seed, src)],
    )
