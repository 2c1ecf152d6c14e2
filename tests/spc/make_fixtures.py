"""Write ``fixtures/plotthedots_rules.json``: series built to hit each Making Data Count rule,
with NHSRplotthedots 0.2.2's outputs for them (from ``plotthedots.py``, its rules point by
point). Run once: ``uv run python -m tests.spc.make_fixtures``; the JSON is the fixture.

Each case cites where it comes from: the reference's README worked example, the vectors in
its own tests (``tests/testthat/test-ptd_calculate_point_type.R`` at tag 0.2.2), or a series
built here for one rule, whose key points are worked by hand in ``test_reference_rules.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from tests.spc import plotthedots as ptd

OUT = Path(__file__).parent / "fixtures" / "plotthedots_rules.json"
STABLE = [10.0, 12.0] * 10  # mean 11, every moving range 2
BASE12 = [10.0, 12.0] * 6  # the first 12 points when limits are fixed after 12
UPL = 11 + ptd.LIMIT * 2.0  # the fixed upper limit, computed as the reference does
LPL = 11 - ptd.LIMIT * 2.0
FIXED20 = [*BASE12, 15.0, 16.0, 15.5, 16.5, 15.0, 16.0, 15.5, 16.0]  # fixed, then a shift
NLPL = 11 - ptd.LIMITCLOSE * 2.0
NUPL = 11 + ptd.LIMITCLOSE * 2.0  # the fixed upper 2-sigma line
POINTS_TESTS = "NHSRplotthedots 0.2.2 tests/testthat/test-ptd_calculate_point_type.R"
CODE = "NHSRplotthedots 0.2.2 R/"


def case(name: str, source: str, values: list[float], hits: list[str], **opts: Any) -> dict:
    return {"name": name, "source": source, "values": values, "hits": hits, "options": opts}


CASES = [
    case(
        "worked_example",
        "NHSRplotthedots README / ../shared/reference/spc/README.md: rnorm(20), set.seed(123), "
        "daily from 2020-01-02; mean 0.1416238, limits -3.01138 and 3.294627",
        [
            -0.56047565,
            -0.23017749,
            1.55870831,
            0.07050839,
            0.12928774,
            1.71506499,
            0.46091621,
            -1.26506123,
            -0.68685285,
            -0.44566197,
            1.22408180,
            0.35981383,
            0.40077145,
            0.11068272,
            -0.55584113,
            1.78691314,
            0.49785048,
            -1.96661716,
            0.70135590,
            -0.47279141,
        ],
        [],
        start="2020-01-02",
        freq="D",
    ),
    case(
        "trend_peak_where_rise_meets_fall",
        CODE + "ptd_calculate_point_type.R, ptd_special_cause_type: a point in a trend whose "
        "next point is also in a trend takes the direction of the step after it (sdy), so the "
        "peak of a 7-up-7-down run is 'Decreasing'",
        [
            *STABLE[:10],
            8.0,
            8.5,
            9.0,
            9.5,
            10.0,
            10.5,
            11.0,
            10.5,
            10.0,
            9.5,
            9.0,
            8.5,
            8.0,
            *STABLE[:10],
        ],
        ["7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"],
        improvement="increase",
    ),
    case(
        "trend_valley_where_fall_meets_rise",
        "as trend_peak_where_rise_meets_fall, mirrored: the valley is 'Increasing'",
        [
            *STABLE[:10],
            14.0,
            13.5,
            13.0,
            12.5,
            12.0,
            11.5,
            11.0,
            11.5,
            12.0,
            12.5,
            13.0,
            13.5,
            14.0,
            *STABLE[:10],
        ],
        ["7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"],
        improvement="decrease",
    ),
    case(
        "trend_published_vectors",
        POINTS_TESTS + ": ptd_seven_point_trend(c(2, 1:7, 3)) and (c(2, 7:1, 3)) flag the "
        "7-point runs only",
        [
            *STABLE[:6],
            *(v + 8 for v in (2, 1, 2, 3, 4, 5, 6, 7, 3)),
            *STABLE[:6],
            *(v + 8 for v in (2, 7, 6, 5, 4, 3, 2, 1, 3)),
            *STABLE[:6],
        ],
        ["7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"],
    ),
    case(
        "six_steps_needed_and_a_tie_breaks_a_trend",
        POINTS_TESTS + ": ptd_seven_point_trend(1:6) and (c(1:3, 3:6)) give no trend",
        [
            *STABLE[:6],
            9.0,
            10.0,
            11.0,
            11.0,
            12.0,
            13.0,
            14.0,
            *STABLE[:4],
            9.0,
            9.5,
            10.0,
            10.5,
            11.0,
            11.5,
            *STABLE[:6],
        ],
        [],
    ),
    case(
        "two_in_three_above_and_below",
        POINTS_TESTS + ": ptd_two_in_three(c(0,0,1,0,1,0,0), all above) and "
        "(c(0,0,1,1,0,0,0)); the middle point of a 1,0,1 window is not flagged",
        [*STABLE[:10], 15.0, 12.0, 15.0, *STABLE[:6], 7.0, 7.0, 10.0, *STABLE[:10]],
        ["2 in 3 Above CL", "2 in 3 Below CL"],
        improvement="decrease",
    ),
    case(
        "two_in_three_needs_one_side",
        POINTS_TESTS + ": 'points on opposite sides of the mean' (issue #143) give nothing",
        # 17 and 5 are beyond the 2-sigma lines (16.61, 5.39), inside the limits
        [*STABLE[:10], 17.0, 10.0, 17.0, *STABLE[:6], 5.0, 12.0, 5.0, *STABLE[:10]],
        [],
    ),
    case(
        "outside_limits_above_and_below",
        CODE + "ptd_spc_standard.R (outside_limits) and ptd_special_cause_type ('Above UCL' / "
        "'Below LCL', first in priority)",
        [*STABLE[:9], 40.0, *STABLE[:5], -20.0, *STABLE[:10]],
        ["Above UCL", "Below LCL"],
        improvement="increase",
    ),
    case(
        "shift_and_a_point_on_the_mean_breaks_it",
        POINTS_TESTS + ": ptd_seven_point_one_side_mean(c(rep(1, 8), -1)) and (c(rep(1, 6), "
        "-1)); a point on the mean has relative_to_mean 0",
        [
            *STABLE,
            11.5,
            12.0,
            11.5,
            12.0,
            11.5,
            12.0,
            11.5,
            *STABLE,
            10.5,
            10.0,
            10.5,
            11.0,
            10.5,
            10.0,
            10.5,
        ],
        ["7 Points Above CL"],
        improvement="decrease",
    ),
    case(
        "shift_below",
        POINTS_TESTS + ": ptd_seven_point_one_side_mean(c(rep(-1, 8), 1))",
        [*STABLE, 10.5, 10.0, 10.5, 10.0, 10.5, 10.0, 10.5, 10.0, *STABLE],
        ["7 Points Below CL"],
        improvement="increase",
    ),
    case(
        "rule_priority_outside_over_trend_over_shift",
        CODE + "ptd_special_cause_type: case_when order outside, trend, 2 in 3, shift",
        [*STABLE, 11.2, 11.4, 11.6, 11.8, 12.0, 12.2, 40.0, *STABLE],
        ["Above UCL", "7 Point Trend (Increasing)"],
        improvement="increase",
    ),
    case(
        "rebase_on_a_point_date",
        CODE + "ptd_add_rebase_column.R: the row dated on the rebase date starts group 1",
        [*STABLE, *(v + 10 for v in STABLE)],
        [],
        rebase=["2021-09-01"],
        improvement="increase",
    ),
    case(
        "rebase_between_points_is_ignored_by_the_reference",
        CODE + "ptd_add_rebase_column.R: rebase = date %in% rebase dates, so 2021-08-15 "
        "(between the monthly points) matches no row and there is one group",
        [*STABLE, *(v + 10 for v in STABLE)],
        ["Below LCL", "Above UCL"],
        rebase=["2021-08-15"],
        improvement="increase",
        ours={"rebase_exact": True},
    ),
    case(
        "fix_after_12_points",
        CODE + "ptd_spc_standard.R: fix_y keeps the first fix_after_n_points values "
        "(ptd_spc_options.R: at least 12)",
        FIXED20,
        ["7 Points Above CL", "2 in 3 Above CL"],
        fix_after=12,
        improvement="increase",
    ),
    case(
        "fix_after_in_each_rebase_group",
        CODE + "ptd_spc_standard.R: fix_y is row_number() <= fix_after_n_points within "
        "each facet and rebase_group, so each group's limits come from its own first 12",
        [*FIXED20, *(v + 10 for v in FIXED20)],
        ["7 Points Above CL", "2 in 3 Above CL"],
        rebase=["2021-09-01"],
        fix_after=12,
        improvement="increase",
    ),
    case(
        "ties_on_the_limit_the_2_sigma_line_and_the_mean",
        CODE + "ptd_spc_standard.R: outside is y > upl (strict), close is y > nupl (strict), "
        "relative_to_mean is sign(y - mean_col)",
        [*BASE12, UPL, 12.0, UPL, NUPL, 12.0, NUPL, 11.0, 12.0, 10.0],
        ["2 in 3 Above CL"],
        fix_after=12,
        improvement="increase",
    ),
    case(
        "ties_on_the_lower_limit_and_lower_2_sigma_line",
        CODE + "ptd_spc_standard.R: outside is y < lpl (strict), close is y < nlpl (strict)",
        [*BASE12, LPL, 10.0, LPL, NLPL, 10.0, NLPL, 11.0, 10.0, 12.0],
        ["2 in 3 Below CL"],
        fix_after=12,
        improvement="increase",
    ),
    case(
        "six_rising_points_at_the_start_are_not_a_trend",
        POINTS_TESTS + ": ptd_seven_point_trend(1:6) gives no trend; the first point of a "
        "group has no step before it",
        [9.0, 9.5, 10.0, 10.5, 11.0, 11.5, *STABLE],
        [],
        improvement="increase",
    ),
    case(
        "two_in_three_does_not_reach_across_a_rebase",
        CODE + "ptd_calculate_point_type.R: the rules run within each rebase group, so the "
        "last two points of one group (16 close to its limit, 12) and the first of the next "
        "(26, close to its own) are not a window",
        [*([10.0, 12.0] * 8), 10.0, 16.0, 12.0, 26.0, 19.0, *([22.0, 20.0] * 5), 22.0],
        [],
        rebase=["2021-08-01"],
        improvement="increase",
    ),
    case(
        "short_group_gets_trial_limits",
        CODE + "ptd_add_short_group_warnings.R: groups under 13 points still get limits, "
        "with a warning that they are trial limits",
        [10.0, 12.0, 11.0, 13.0, 9.0, 11.0, 10.0, 30.0],
        ["Above UCL"],
        improvement="increase",
        ours={"trial_limits": True},
    ),
    case(
        "screening_keeps_a_moving_range_under_3_267_times_the_mean",
        CODE + "ptd_spc_standard.R: mr < 3.267 * amr is kept. By hand: a spike to 18 makes "
        "moving ranges 6 and 8 among 18 of 2, mean 50 / 20 = 2.5; 8 / 2.5 = 3.2, so "
        "nothing is screened (a constant of 3.0 would screen it)",
        [*STABLE[:10], 18.0, *STABLE[:10]],
        ["Above UCL"],
        improvement="increase",
    ),
    case(
        "screening_drops_a_moving_range_over_3_267_times_the_mean",
        CODE + "ptd_spc_standard.R. By hand: a spike to 18.5 makes moving ranges 6.5 and "
        "8.5, mean 51 / 20 = 2.55; 8.5 / 2.55 = 3.33 is screened out (a constant of 3.5 "
        "would keep it), leaving a mean of 42.5 / 19",
        [*STABLE[:10], 18.5, *STABLE[:10]],
        ["Above UCL"],
        improvement="increase",
    ),
    case(
        "screening_off",
        CODE + "ptd_spc_standard.R: with screen_outliers = FALSE every moving range counts",
        [*STABLE[:10], 30.0, *STABLE[:10]],
        ["Above UCL"],
        screen_outliers=False,
        improvement="increase",
    ),
]

for improvement in ("increase", "decrease", "neutral"):
    for label, target in (("5", 5.0), ("11", 11.0), ("17", 17.0), ("upl", UPL), ("lpl", LPL)):
        CASES.append(
            case(
                f"target_{label}_{improvement}",
                CODE + "ptd_calculate_assurance_type.R: target > upl fails an increase and "
                "passes a decrease, target < lpl the reverse, otherwise (a target on a "
                "limit too) inconsistent; no assurance for neutral. Limits fixed after 12 "
                "points at 11 -/+ 2.66 x 2",
                [*BASE12, 11.5, 40.0],
                ["Above UCL"],
                target=target,
                improvement=improvement,
                fix_after=12,
            )
        )
    CASES.append(
        case(
            f"constant_series_with_a_target_{improvement}",
            CODE + "ptd_spc_standard.R / ptd_calculate_assurance_type.R: every moving range "
            "is 0, none is below 3.267 x 0, amr is NaN, so the limits are NA and the target "
            "comparisons fall through to 'inconsistent'",
            [5.0] * 15,
            [],
            target=6.0,
            improvement=improvement,
        )
    )
    CASES.append(
        case(
            f"low_shift_{improvement}",
            "as shift_below, for each improvement direction (ptd_point_type)",
            [*STABLE, 10.5, 10.0, 10.5, 10.0, 10.5, 10.0, 10.5, 10.0],
            ["7 Points Below CL"],
            improvement=improvement,
        )
    )


def printed(x: float) -> float | None:
    """R's print(): 7 significant digits (NA for NaN)."""
    return None if x != x else float(f"{x:.7g}")


def build(c: dict) -> dict:
    opts = c["options"]
    dates = pd.date_range(opts.get("start", "2020-01-01"), periods=len(c["values"]),
                          freq=opts.get("freq", "MS"))  # fmt: skip
    wanted = set(pd.to_datetime(opts.get("rebase", [])))
    rebase_at = [i for i, d in enumerate(dates) if d in wanted]
    improvement = opts.get("improvement", "increase")
    points = ptd.ptd_spc(
        c["values"],
        rebase_at,
        fix_after=opts.get("fix_after"),
        improvement=improvement,
        screen_outliers=opts.get("screen_outliers", True),
    )
    labels = [p.special_cause_type for p in points]
    for hit in c["hits"]:
        assert hit in labels, (c["name"], hit, labels)
    if not c["hits"]:
        assert all(lab == "Common Cause" for lab in labels), (c["name"], labels)
    return {
        **c,
        "dates": [d.date().isoformat() for d in dates],
        "expected": {
            "rebase_group": [p.rebase_group for p in points],
            "mean": [printed(p.mean) for p in points],
            "lpl": [printed(p.lpl) for p in points],
            "upl": [printed(p.upl) for p in points],
            "special_cause_type": labels,
            "point_type": [p.point_type for p in points],
            "variation": ptd.variation(points, improvement),
            "assurance": ptd.assurance(points, opts.get("target"), improvement),
        },
    }


if __name__ == "__main__":
    payload = {
        "about": "NHSRplotthedots 0.2.2 outputs for series built to hit each rule; "
        "written by tests/spc/make_fixtures.py from tests/spc/plotthedots.py",
        "cases": [build(c) for c in CASES],
    }
    OUT.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"{len(CASES)} cases -> {OUT}")
