"""Points of delivery: the one list an activity table, a baseline rate and a scheme name.

A plan table may count a part (day cases) or a sum (all elective); the demand projection
works on whatever points of delivery its baseline gives, each of them from this list.
"""

from __future__ import annotations

from typing import Literal, get_args

Pod = Literal[
    "referral",
    "gp-referral",
    "other-referral",
    "op-first",
    "op-first-gp",
    "op-follow-up",
    "op-procedure",
    "elective",
    "elective-ordinary",
    "elective-daycase",
    "non-elective",
    "non-elective-zero-los",
    "ae",
    "maternity",
    "critical-care",
]
PODS: tuple[str, ...] = get_args(Pod)
# the points of delivery that stay in hospital overnight, so give bed-days
ADMITTED: frozenset[str] = frozenset({"elective", "elective-ordinary", "non-elective", "maternity"})
