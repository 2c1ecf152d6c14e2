"""Investment prioritisation: score proposals on weighted criteria, rank them, see what
a reserve buys, and how far the ranking depends on the weights.

Each criterion is a measure of the proposals (cost, savings, lives saved, admissions
avoided), scaled across the proposals to 0–1 (best 1; a proposal without the measure
scores 0 on it) and weighted; the score is the weighted mean. The reserve buys in rank
order every proposal that is costed, fits what is left and matches the reserve's kind
(a recurrent reserve pays for recurrent proposals). The sensitivity draws every weight
from ±x% of its value many times at once (one matrix product) and reports how often
each proposal keeps its rank and is bought.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from placehealth.errors import ValidationError
from placehealth.finance.files import FOLDER
from placehealth.finance.invest_model import (
    MEASURES,
    Amount,
    Criterion,
    InvestmentFile,
    Proposal,
    Reserve,
)
from placehealth.finance.load import Book, load_book
from placehealth.finance.model import SCALE
from placehealth.finance.position_model import money_in_millions
from placehealth.yamlfile import line_of, load_model

SUBFOLDER = "investments"
Matrix = npt.NDArray[np.float64]


@dataclass
class Investments:
    """The proposals of the path given, and the criteria and reserves they are judged
    by (their own document's, or a sibling plan's where theirs has none)."""

    proposals: list[Proposal] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    reserves: list[Reserve] = field(default_factory=list)
    files: list[InvestmentFile] = field(default_factory=list)
    book: Book = field(default_factory=Book)


def investment_files(path: Path) -> list[Path]:
    """``finance/investments/*.yaml`` under ``path`` (a plan folder or a folder of them)."""
    folder = path if path.is_dir() else path.parent
    if folder.name == SUBFOLDER:
        return sorted(folder.glob("*.yaml"))
    return sorted(folder.glob(f"**/{FOLDER}/{SUBFOLDER}/*.yaml"))


def load_investments(path: Path) -> Investments:
    """Read the investments files under ``path`` and, for criteria or reserves it lacks,
    those of the plan folders beside it; table cells an amount cites are read from the
    finance files of every plan folder beside it."""
    if not path.exists():
        raise ValidationError("no such file or folder", file=path, hint="give a plan folder")
    own = investment_files(path)
    parsed = [load_model(f, InvestmentFile) for f in own]
    found = Investments(files=parsed)
    for f in parsed:
        found.proposals += f.proposals
        found.criteria += f.criteria
        found.reserves += f.reserves
    plans = _plans_root(path)
    judges = sorted({f.judged_by for f in parsed if f.judged_by})
    if len(judges) > 1:
        raise ValidationError(
            f"the proposals name more than one plan to judge them by ({', '.join(judges)})",
            file=path,
        )
    if judges and (not found.criteria or not found.reserves):
        folder = plans / judges[0]
        if not folder.is_dir():
            raise ValidationError(f"judged_by: no plan folder {judges[0]}", file=own[0])
        for file in investment_files(folder):
            other = load_model(file, InvestmentFile)
            found.criteria = found.criteria or list(other.criteria)
            found.reserves = found.reserves or list(other.reserves)
    if not found.proposals:
        raise ValidationError(
            "no investment proposals found",
            file=path,
            hint=f"give a plan folder with a {FOLDER}/{SUBFOLDER}/ folder of proposals",
        )
    if not found.criteria:
        raise ValidationError(
            "no prioritisation criteria found",
            file=path,
            hint="give the proposals' file criteria, or judged_by: the plan whose criteria apply",
        )
    found.book = load_book(plans)
    for file, data in zip(own, parsed, strict=True):
        _check_refs(found.book, file, data)
    return found


def _check_refs(book: Book, file: Path, data: InvestmentFile) -> None:
    """Every amount that cites a table cell names one that exists, or the file's line says
    which does not."""
    amounts = [(("reserves", n, "amount"), r.amount) for n, r in enumerate(data.reserves)]
    for n, p in enumerate(data.proposals):
        amounts += [(("proposals", n, key), getattr(p, key)) for key in ("cost", "savings")]
    for location, amount in amounts:
        ref = amount.ref if amount is not None else None
        if ref is None:
            continue
        table = book.tables.get(ref.table)
        ok = table is not None and any(r.id == ref.row for r in table.rows)
        ok = ok and table is not None and any(c.id == ref.column for c in table.columns)
        if not ok:
            raise ValidationError(
                f"{ref}: no such table cell in the finance files",
                file=file,
                line=line_of(file, location),
                hint="write TABLE/row/column with the ids the table file uses",
            )


def _plans_root(path: Path) -> Path:
    """The folder holding the plan folders: plans/ for plans/ccg-2014/finance/…"""
    folder = (path if path.is_dir() else path.parent).resolve()
    for parent in (folder, *folder.parents):
        if parent.name == FOLDER:
            return parent.parent.parent
    return folder.parent if any(folder.glob(f"{FOLDER}")) else folder


def amount_in_millions(book: Book, amount: Amount | None) -> float:
    """An amount in £m (NaN when there is none)."""
    if amount is None:
        return float("nan")
    if amount.value is not None and amount.unit is not None:
        return amount.value.value * SCALE[amount.unit] / SCALE["£m"]
    ref = amount.ref
    assert ref is not None and ref.column is not None  # checked when the files were read
    table = book.tables[ref.table]
    row = next(r for r in table.rows if r.id == ref.row)
    n = next(i for i, c in enumerate(table.columns) if c.id == ref.column)
    cell = row.cell(n)
    unit = table.column_unit(table.columns[n])
    if cell is None or unit not in SCALE:
        return float("nan")
    return ref.sign * cell.value.value * SCALE[unit] / SCALE["£m"]


def measures(found: Investments) -> Matrix:
    """Proposals × MEASURES: cost and savings in £m, the middle of each outcome range."""
    rows = [
        (
            amount_in_millions(found.book, p.cost),
            amount_in_millions(found.book, p.savings),
            p.lives_saved.middle if p.lives_saved else float("nan"),
            p.admissions_avoided.middle if p.admissions_avoided else float("nan"),
        )
        for p in found.proposals
    ]
    return np.array(rows, dtype=float).reshape(len(found.proposals), len(MEASURES))


def scaled(values: Matrix, criteria: list[Criterion]) -> Matrix:
    """Proposals × criteria, each 0 (worst) to 1 (best) across the proposals; 0 where a
    proposal lacks the measure; 1 for everyone who has it when all have the same."""
    cols = values[:, [MEASURES.index(c.measure) for c in criteria]]
    known = np.isfinite(cols)
    lo = np.nanmin(np.where(known, cols, np.nan), axis=0, initial=np.inf, where=known)
    hi = np.nanmax(np.where(known, cols, np.nan), axis=0, initial=-np.inf, where=known)
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = np.where(span > 0, (cols - lo) / np.where(span > 0, span, 1.0), 1.0)
    lower = np.array([c.better == "lower" for c in criteria])
    unit = np.where(lower & (span > 0), 1.0 - unit, unit)
    return np.where(known, unit, 0.0)


def scores(scaled_values: Matrix, weights: Matrix) -> Matrix:
    """Weighted mean scores: ``weights`` is criteria (one set) or draws × criteria; the
    result is proposals, or proposals × draws."""
    w = np.atleast_2d(weights)
    out = scaled_values @ (w / w.sum(axis=1, keepdims=True)).T
    return out[:, 0] if weights.ndim == 1 else out


def ranks(score: Matrix) -> npt.NDArray[np.int_]:
    """1 for the best score, down each column; ties in the proposals' order."""
    order = np.argsort(-score, axis=0, kind="stable")
    return np.argsort(order, axis=0, kind="stable") + 1


def bought(
    score: Matrix, cost: Matrix, eligible: npt.NDArray[np.bool_], reserve: float
) -> npt.NDArray[np.bool_]:
    """Which proposals the reserve buys, going down the ranking: for scores of shape
    proposals or proposals × draws (every draw at once, one rank position at a time)."""
    s = score.reshape(len(cost), -1)
    order = np.argsort(-s, axis=0, kind="stable")
    left = np.full(s.shape[1], reserve, dtype=float)
    out = np.zeros(s.shape, dtype=bool)
    draws = np.arange(s.shape[1])
    for position in range(len(cost)):
        who = order[position]
        c = cost[who]
        take = eligible[who] & np.isfinite(c) & (c <= left + 1e-9)
        left = np.where(take, left - np.where(take, c, 0.0), left)
        out[who, draws] = take
    return out[:, 0] if score.ndim == 1 else out


_WEIGHT = re.compile(r"^\s*([a-z0-9][a-z0-9-]*)\s*=\s*(\d+(?:\.\d+)?)\s*$")


def weights_from(text: str | None, criteria: list[Criterion]) -> Matrix:
    """The criteria's weights, with ``lives-saved=2,cost=1`` changing some."""
    weights = {c.id: c.weight for c in criteria}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        m = _WEIGHT.match(part)
        if not m:
            raise ValidationError(
                f"--weights '{part.strip()}' is not CRITERION=NUMBER", hint="e.g. lives-saved=2"
            )
        if m.group(1) not in weights:
            raise ValidationError(
                f"--weights: no criterion '{m.group(1)}'", hint=f"one of {', '.join(weights)}"
            )
        weights[m.group(1)] = float(m.group(2))
    if sum(weights.values()) <= 0:
        raise ValidationError("--weights: at least one weight must be above 0")
    return np.array([weights[c.id] for c in criteria], dtype=float)


def reserve_from(text: str | None, found: Investments) -> tuple[str, float, bool | None]:
    """The reserve to spend: an amount (£20m) or a reserve's id; the first by default.
    Returns its label, amount in £m and kind (recurrent or not; None for an amount)."""
    if text is None or text in {r.id for r in found.reserves}:
        if not found.reserves:
            raise ValidationError("no reserve in the files: give one", hint="--reserve £20m")
        r = next((r for r in found.reserves if r.id == text), found.reserves[0])
        return r.label, amount_in_millions(found.book, r.amount), r.recurrent
    value = money_in_millions(text)
    if value is None or value < 0:
        ids = ", ".join(r.id for r in found.reserves) or "none in the files"
        raise ValidationError(
            f"--reserve '{text}' is neither money (£20m, £20,000k) nor a reserve ({ids})"
        )
    return f"{text} given", value, None


def prioritise(
    found: Investments,
    *,
    reserve: str | None = None,
    weights: str | None = None,
    spread: float = 20.0,
    draws: int = 2000,
    seed: int = 0,
) -> dict[str, Any]:
    """The ranking, what the reserve buys and does not, and the ranking's sensitivity to
    the weights (each drawn from ±``spread``% of its value, ``draws`` times)."""
    label, amount, recurrent = reserve_from(reserve, found)
    w = weights_from(weights, found.criteria)
    values = measures(found)
    unit = scaled(values, found.criteria)
    base = scores(unit, w)
    rank = ranks(base)
    cost = values[:, 0]
    kinds = [p.recurrent for p in found.proposals]
    eligible = np.array([recurrent is None or k is None or k == recurrent for k in kinds])
    buys = bought(base, cost, eligible, amount)
    rng = np.random.default_rng(seed)
    drawn = w * (1 + rng.uniform(-spread / 100, spread / 100, size=(draws, len(w))))
    many = scores(unit, drawn)
    many_rank = ranks(many)
    many_buys = bought(many, cost, eligible, amount)
    same = (many_rank == rank[:, None]).mean(axis=1)
    low, high = np.percentile(many_rank, [5, 95], axis=1)
    spent = float(np.nansum(np.where(buys, cost, 0.0)))
    rows = []
    for i in np.argsort(rank, kind="stable"):
        p = found.proposals[i]
        rows.append(
            {
                "rank": int(rank[i]),
                "id": p.id,
                "label": p.label,
                "score": float(base[i]),
                "cost": None if np.isnan(cost[i]) else float(cost[i]),
                "recurrent": p.recurrent,
                "measures": {
                    m: (None if np.isnan(values[i, k]) else float(values[i, k]))
                    for k, m in enumerate(MEASURES)
                },
                "bought": bool(buys[i]),
                "why_not": None if buys[i] else _why_not(cost[i], bool(eligible[i]), recurrent),
                "decision": p.decision,
                "rank_kept": float(same[i]),
                "rank_5_95": [int(low[i]), int(high[i])],
                "bought_share": float(many_buys[i].mean()),
                "source": str(p.src),
            }
        )
    return {
        "reserve": {"label": label, "amount": amount, "recurrent": recurrent},
        "spent": spent,
        "left": amount - spent,
        "criteria": [_criterion(c, float(x)) for c, x in zip(found.criteria, w, strict=True)],
        "sensitivity": {"spread_percent": spread, "draws": draws, "seed": seed},
        "proposals": rows,
    }


def _criterion(c: Criterion, weight: float) -> dict[str, Any]:
    return {"id": c.id, "label": c.label, "measure": c.measure, "better": c.better,
            "weight": weight}  # fmt: skip


def _why_not(cost: float, eligible: bool, recurrent: bool | None) -> str:
    if np.isnan(cost):
        return "not costed: the reserve cannot buy it"
    if not eligible:
        kind = "recurrent" if recurrent else "non-recurrent"
        return f"the reserve is {kind}; the proposal is not"
    return "does not fit what is left of the reserve"
