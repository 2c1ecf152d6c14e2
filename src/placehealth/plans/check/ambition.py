"""Checks within one ambition: its printed numbers against its own method and arithmetic."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from placehealth.catalogue.model import Unit
from placehealth.plans.check.findings import Finding, Severity, agrees, fmt, severity_for
from placehealth.plans.load import Plan
from placehealth.plans.methods import point_to_point_pct
from placehealth.plans.model import (
    Ambition,
    EqualSteps,
    LinearForecast,
    Point,
    ProjectedGap,
    YearlyChanges,
)
from placehealth.plans.trajectory import Trajectory, after_baseline
from placehealth.sources import Lines, cite


class AmbitionChecker:
    """Collects findings for one ambition of one plan."""

    def __init__(
        self, plan: Plan, ambition: Ambition, trajectory: Trajectory, unit: Unit | None
    ) -> None:
        self.plan = plan
        self.unit = unit
        self.ambition = ambition
        self.trajectory = trajectory
        self.seed = plan.seed

    def src(self, *lines: Lines | None) -> list[str]:
        cited = [cite(self.seed, line) for line in lines if line is not None]
        return list(dict.fromkeys(cited)) or [cite(self.seed, self.ambition.src)]

    def finding(
        self,
        check: str,
        key: str,
        message: str,
        stated: float,
        expected: float,
        sources: list[str],
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            id=f"{self.plan.document.id}/{self.ambition.id}/{check}/{key}",
            severity=severity or severity_for(stated, expected),
            check=check,
            document=self.plan.document.id,
            subject=self.ambition.id,
            message=message,
            stated=stated,
            expected=expected,
            sources=sources,
        )

    def compare(
        self,
        check: str,
        key: str,
        what: str,
        stated: float | None,
        expected: float | None,
        *sources: Lines | None,
        severity: Severity | None = None,
    ) -> Iterator[Finding]:
        if stated is None or expected is None or agrees(stated, expected):
            return
        yield self.finding(
            check,
            key,
            f"{what}: printed {fmt(stated)}, recomputed {fmt(expected)}",
            stated,
            expected,
            self.src(*sources),
            severity,
        )

    def run(self) -> Iterator[Finding]:
        yield from self.published_against_method()
        yield from self.method_figures()
        yield from self.rows()
        yield from self.ratios()
        yield from self.counts()
        yield from self.headlines()

    # --- checks ------------------------------------------------------------------------

    def published_against_method(self) -> Iterator[Finding]:
        t = self.trajectory
        if not t.recomputed:
            return
        method_label = self.ambition.method.kind.replace("_", " ")
        for point in self.ambition.published:
            yield from self.compare(
                "trajectory",
                point.period,
                f"{point.period} value against its method ({method_label})",
                point.value,
                t.value_at(point.period),
                point.src,
            )
        target = self.ambition.target
        if target is not None and t.target is not None:
            yield from self.compare(
                "target",
                target.period,
                f"target against its method ({method_label})",
                target.value,
                t.target,
                target.src,
            )

    def method_figures(self) -> Iterator[Finding]:
        method, t = self.ambition.method, self.trajectory
        if isinstance(method, EqualSteps) and method.step is not None:
            yield from self.compare(
                "step",
                "step",
                "equal step",
                abs(method.step),
                abs(t.extras["step"]),
                self.ambition.src,
            )
        if isinstance(method, LinearForecast) and method.stated_forecast is not None:
            yield from self.compare(
                "forecast",
                method.forecast_period,
                f"linear forecast for {method.forecast_period}",
                method.stated_forecast,
                t.extras["forecast"],
                method.stated_forecast_src,
            )
        if isinstance(method, ProjectedGap):
            yield from self.compare(
                "projection",
                method.projection_period,
                f"projected gap in {method.projection_period}",
                method.stated_projection,
                t.extras["projection"],
                method.stated_src,
            )
            yield from self.compare(
                "projected-target",
                method.projection_period,
                f"{method.fraction:g} of the projected gap closed",
                method.stated_target,
                t.target,
                method.stated_src,
            )

    def rows(self) -> Iterator[Finding]:
        """Each printed row's change against the previous row (values or counts).

        A row's % change may be taken on the previous row or on the baseline (seed 000
        prints yearly reductions as a share of the baseline count): either agrees.
        """
        points = self._series()
        if not points:
            return
        first = self.ambition.baseline or points[0]
        for prev, point in itertools.pairwise(points):
            if (
                point.change_count is not None
                and prev.count is not None
                and point.count is not None
            ):
                yield from self.compare(
                    "row-change-count",
                    point.period,
                    f"{point.period} change in count",
                    abs(point.change_count),
                    abs(point.count - prev.count),
                    point.src,
                )
            if point.change_pct is None:
                continue
            candidates: list[tuple[float, float, float]] = []  # (change, on, pct)
            for basis in ("count", "value"):
                now, before, base = (getattr(x, basis) for x in (point, prev, first))
                if now is None or before is None:
                    continue
                change = (
                    point.change_count if basis == "count" and point.change_count else now - before
                )
                candidates.extend(
                    (abs(change), on, abs(change) / on * 100) for on in (before, base) if on
                )
            if not candidates or any(agrees(abs(point.change_pct), c[2]) for c in candidates):
                continue
            change, on, pct = candidates[0]  # the change on the previous row
            yield self.finding(
                "row-change-pct",
                point.period,
                f"{point.period} printed change {fmt(abs(point.change_pct))}% but "
                f"{fmt(change)} / {fmt(on)} = {fmt(pct)}%",
                abs(point.change_pct),
                pct,
                self.src(point.src),
            )

    def ratios(self) -> Iterator[Finding]:
        """Values against their printed numerator and denominator."""
        multiplier = self.trajectory.multiplier or 1.0
        for point in self._series():
            if point.numerator is None or not point.denominator or point.value is None:
                continue
            yield from self.compare(
                "ratio",
                point.period,
                f"{point.period}: {fmt(point.numerator)} / {fmt(point.denominator)}"
                f" × {fmt(multiplier)}",
                point.value,
                point.numerator / point.denominator * multiplier,
                point.src,
            )

    def counts(self) -> Iterator[Finding]:
        """Printed counts against value × denominator (±1, as counts are whole)."""
        t = self.trajectory
        if t.denominator is None or t.multiplier is None:
            return
        for point in self._series():
            if point.count is None or point.value is None:
                continue
            expected = point.value * t.denominator / t.multiplier
            if abs(point.count - expected) > 1.0:
                yield self.finding(
                    "count",
                    point.period,
                    f"{point.period}: count {fmt(point.count)} but {fmt(point.value)} × "
                    f"{fmt(t.denominator)} / {fmt(t.multiplier)} = {fmt(expected)}",
                    point.count,
                    expected,
                    self.src(point.src),
                    Severity.ERROR,
                )

    def headlines(self) -> Iterator[Finding]:
        yield from self._headlines_agree()
        a = self.ambition
        default = self.plan.document.headline_convention
        first, last = self._ends()
        for n, head in enumerate(a.headlines):
            key = f"headline-{n + 1}"
            convention = head.convention or default
            on_counts = head.of == "count"
            start = (first.count if on_counts else first.value) if first else None
            end = (last.count if on_counts else last.value) if last else None
            t = self.trajectory
            if (first is last or first is None) and t.recomputed and t.target is not None:
                # nothing printed beyond the baseline: the method's own start and end points
                start = float(t.values[0]) if not on_counts else None
                end = t.target if not on_counts else None
            if head.change_pct is not None:
                yield from self._headline_pct(
                    head.change_pct, convention, start, end, key, head.src
                )
            if head.change_count is not None:
                change = self._count_change()
                yield from self.compare(
                    "headline-count",
                    key,
                    "stated change in number",
                    head.change_count,
                    change,
                    head.src,
                    first.src if first else None,
                )
                base_count = first.count if first else None
                if head.change_pct is not None and base_count:
                    implied = head.change_count / base_count * 100
                    yield from self.compare(
                        "headline-pct-vs-count",
                        key,
                        f"{fmt(abs(head.change_pct))}% stated with {fmt(abs(head.change_count))}"
                        f" of {fmt(base_count)}",
                        head.change_pct,
                        implied,
                        head.src,
                        first.src if first else None,
                    )
            if head.value is not None:
                yield from self.compare(
                    "headline-value",
                    key,
                    "stated level",
                    head.value,
                    self.trajectory.target,
                    head.src,
                )

    def _headlines_agree(self) -> Iterator[Finding]:
        """Two stated overall changes of the same ambition must agree with each other."""
        heads = [h for h in self.ambition.headlines if h.change_pct is not None]
        for n, later in enumerate(heads[1:], start=2):
            first = heads[0]
            assert first.change_pct is not None and later.change_pct is not None
            if agrees(first.change_pct, later.change_pct) or agrees(
                later.change_pct, first.change_pct
            ):
                continue
            yield self.finding(
                "headline-disagree",
                f"headline-{n}",
                f"the document states the change as {fmt(abs(first.change_pct))}% and as "
                f"{fmt(abs(later.change_pct))}%",
                later.change_pct,
                first.change_pct,
                self.src(first.src, later.src),
                Severity.WARNING,
            )

    def _headline_pct(
        self,
        stated: float,
        convention: str,
        start: float | None,
        end: float | None,
        key: str,
        src: Lines,
    ) -> Iterator[Finding]:
        method = self.ambition.method
        yearly: list[float] = []
        if isinstance(method, YearlyChanges):
            yearly = [float(c) for c in method.changes_pct]
        else:
            later = after_baseline(self.ambition)
            sign = -1.0 if stated < 0 else 1.0
            printed = [p.change_pct for p in later if p.change_pct is not None]
            yearly = [sign * abs(c) for c in printed] if len(printed) == len(later) else []
            values = self.trajectory.values
            if not yearly and self.trajectory.recomputed and len(values) > 1:
                # no printed yearly changes: the trajectory's own, from the baseline on
                yearly = list((values[1:] / values[:-1] - 1.0) * 100.0)
        if convention == "sum" and yearly:
            total = sum(yearly)
            yield from self.compare(
                "headline-sum",
                key,
                "headline against the sum of yearly changes",
                stated,
                total,
                src,
            )
        elif convention == "compound" and yearly:
            from placehealth.plans.methods import headline_change_pct

            yield from self.compare(
                "headline-compound",
                key,
                "headline against compounded yearly changes",
                stated,
                headline_change_pct(yearly, "compound"),
                src,
            )
        if start and end is not None:
            true = point_to_point_pct(start, end)
            severity = Severity.ERROR if convention == "point_to_point" else Severity.WARNING
            if not agrees(stated, true):
                first, last = self._ends()
                yield self.finding(
                    "headline-point-to-point",
                    key,
                    f"headline {fmt(abs(stated))}% ({convention.replace('_', '-')}) but "
                    f"{fmt(start)} → {fmt(end)} is {fmt(abs(true))}% point-to-point",
                    stated,
                    true,
                    self.src(src, first.src if first else None, last.src if last else None),
                    severity if severity_for(stated, true) == Severity.ERROR else Severity.MINOR,
                )

    # --- helpers ---------------------------------------------------------------------

    def _series(self) -> list[Point]:
        """Baseline then published points, ordered as printed (baseline first)."""
        a = self.ambition
        points = [p for p in a.published]
        if a.baseline is not None and all(p.period != a.baseline.period for p in points):
            points.insert(0, a.baseline)
        if a.target is not None and all(p.period != a.target.period for p in points):
            points.append(a.target)
        return points

    def _ends(self) -> tuple[Point | None, Point | None]:
        """Baseline (else the first printed point) and target (else the last printed)."""
        a = self.ambition
        later = after_baseline(a)
        first = a.baseline if a.baseline is not None else (later[0] if later else None)
        last = a.target if a.target is not None else (later[-1] if later else None)
        if first is not None and last is not None and first.period == last.period:
            last = None
        return first, last

    def _count_change(self) -> float | None:
        first, last = self._ends()
        if last is None:
            return None
        if first and last and first.count is not None and last.count is not None:
            return last.count - first.count
        if first and last and first.value is not None and last.value is not None:
            if self.trajectory.denominator and self.trajectory.multiplier:
                return (
                    (last.value - first.value)
                    * self.trajectory.denominator
                    / self.trajectory.multiplier
                )
            if self.unit == Unit.COUNT:
                return last.value - first.value
        return None
