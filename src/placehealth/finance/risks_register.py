"""Risk registers read, scored and flagged: score = likelihood × consequence, its band
from the matrix, and a flag for every risk past its review date or without an owner,
a mitigation or a score. The registers become one table to sort and filter, and each
flag and each printed score that disagrees with its likelihood × consequence becomes a
plan-checker finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from placehealth.errors import ValidationError
from placehealth.finance.files import folder_files
from placehealth.finance.risks_model import DEFAULT_MATRIX, Matrix, Register
from placehealth.plans.check.findings import Finding
from placehealth.plans.severity import Severity
from placehealth.sources import cite
from placehealth.yamlfile import line_of, load_model

if TYPE_CHECKING:
    import pandas as pd

RISKS_FOLDER = "risks"
COLUMNS = [
    "register", "document", "risk", "category", "description", "likelihood", "consequence",
    "score", "printed_score", "band", "rating", "owner", "review", "residual_score",
    "residual_band", "mitigation", "flags", "source",
]  # fmt: skip


@dataclass(frozen=True)
class Read:
    """A register, the file it came from, and the matrix it is scored with."""

    register: Register
    file: Path
    matrix: Matrix


def load_matrix(path: Path | None = None) -> Matrix:
    return load_model(path or DEFAULT_MATRIX, Matrix)


def register_files(path: Path) -> list[Path]:
    """The files under ``path``: a file, a ``risks/`` folder, a plan folder or a folder of plans."""
    return folder_files(path, RISKS_FOLDER)


def load_registers(path: Path, matrix: Path | None = None) -> list[Read]:
    """Every register under ``path``, each checked against its matrix (``matrix`` over any
    a register names): a level or score outside it stops the load with file and line."""
    out = []
    for file in register_files(path):
        register = load_model(file, Register)
        chosen = matrix or (file.parent / register.matrix if register.matrix else None)
        scale = load_matrix(chosen)
        _within(file, register, scale)
        out.append(Read(register, file, scale))
    return out


def _within(file: Path, register: Register, matrix: Matrix) -> None:
    limits = {
        "likelihood": matrix.max_likelihood,
        "consequence": matrix.max_consequence,
        "residual_likelihood": matrix.max_likelihood,
        "residual_consequence": matrix.max_consequence,
    }
    top = max(matrix.scores())
    for n, risk in enumerate(register.risks):
        for name, limit in limits.items():
            value = getattr(risk, name)
            if value is not None and value > limit:
                raise ValidationError(
                    f"risk '{risk.id}': {name.replace('_', ' ')} {value} is outside the "
                    f"matrix (1–{limit})",
                    file=file,
                    line=line_of(file, ("risks", n, name)),
                    hint="use a level of the risk matrix",
                )
        for name in ("score", "residual_score"):
            value = getattr(risk, name)
            if value is not None and value not in set(matrix.scores()):
                raise ValidationError(
                    f"risk '{risk.id}': {name.replace('_', ' ')} {value} is outside the matrix "
                    f"(a product of likelihood and consequence, at most {top})",
                    file=file,
                    line=line_of(file, ("risks", n, name)),
                    hint="write the score the matrix gives, likelihood × consequence",
                )


def _product(a: int | None, b: int | None) -> int | None:
    return a * b if a is not None and b is not None else None


def flags(risk_score: int | None, row: dict[str, object], today: dt.date) -> list[str]:
    """What a risk lacks: an owner, a mitigation, a review date (or it is past), a score."""
    out = []
    if not row["owner"]:
        out.append("no owner")
    if not row["mitigation"]:
        out.append("no mitigation")
    review = row["review"]
    if review is None:
        out.append("no review date")
    elif isinstance(review, dt.date) and review < today:
        out.append("past review")
    if risk_score is None:
        out.append("not scored")
    return out


def risk_table(reads: list[Read], today: dt.date | None = None) -> pd.DataFrame:
    """One row per risk, scored, banded and flagged."""
    import pandas as pd

    today = today or dt.date.today()
    rows = []
    for read in reads:
        seed = read.register.document.seed
        for risk in read.register.risks:
            score = _product(risk.likelihood, risk.consequence)
            residual = risk.residual_score or _product(
                risk.residual_likelihood, risk.residual_consequence
            )
            band, residual_band = read.matrix.band(score), read.matrix.band(residual)
            row: dict[str, object] = {
                "register": read.register.id,
                "document": read.register.document.id,
                "risk": risk.id,
                "category": risk.category,
                "description": " ".join(risk.description.split()),
                "likelihood": risk.likelihood,
                "consequence": risk.consequence,
                "score": score,
                "printed_score": risk.score,
                "band": band.name if band else None,
                "rating": risk.rating,
                "owner": risk.owner,
                "review": risk.review,
                "residual_score": residual,
                "residual_band": residual_band.name if residual_band else None,
                "mitigation": "; ".join(risk.mitigation),
                "source": cite(seed, risk.src),
            }
            row["flags"] = ", ".join(flags(score, row, today))
            rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("likelihood", "consequence", "score", "printed_score", "residual_score"):
        frame[column] = frame[column].astype("Int64")
    return frame


def select(
    table: pd.DataFrame,
    *,
    category: str | None = None,
    owner: str | None = None,
    min_score: int | None = None,
    sort: str = "score",
) -> pd.DataFrame:
    """Filter by category and owner (case-insensitive, part of the text) and least score;
    sort by a column (score: highest first, unscored last)."""
    out = table
    if category:
        out = out[out["category"].fillna("").str.contains(category, case=False, regex=False)]
    if owner:
        out = out[out["owner"].fillna("").str.contains(owner, case=False, regex=False)]
    if min_score is not None:
        out = out[out["score"].fillna(0) >= min_score]
    if sort not in out.columns:
        raise ValidationError(
            f"cannot sort by '{sort}'", hint="sort by one of: " + ", ".join(COLUMNS)
        )
    descending = sort in ("score", "residual_score", "likelihood", "consequence")
    return out.sort_values(
        [sort, "register", "risk"], ascending=[not descending, True, True], na_position="last"
    ).reset_index(drop=True)


def heat_counts(table: pd.DataFrame, matrix: Matrix) -> pd.DataFrame:
    """Risks per likelihood × consequence cell, every cell present, with its band."""
    import pandas as pd

    cells = pd.MultiIndex.from_product(
        [range(1, matrix.max_likelihood + 1), range(1, matrix.max_consequence + 1)],
        names=["likelihood", "consequence"],
    )
    scored = table.dropna(subset=["likelihood", "consequence"])
    counts = (
        scored.groupby(["likelihood", "consequence"]).size().reindex(cells, fill_value=0)
    ).rename("risks")
    grid = counts.reset_index()
    grid["score"] = grid["likelihood"] * grid["consequence"]
    grid["band"] = [b.name if (b := matrix.band(int(s))) else None for s in grid["score"]]
    grid["colour"] = [b.colour if (b := matrix.band(int(s))) else None for s in grid["score"]]
    labels = scored.groupby(["likelihood", "consequence"])["risk"].agg(", ".join)
    grid["names"] = [
        labels.get((a, b), "") for a, b in zip(grid["likelihood"], grid["consequence"], strict=True)
    ]
    return grid


_PHRASE = {
    "no owner": "have no owner",
    "no mitigation": "have no mitigation",
    "no review date": "have no review date",
    "past review": "are past their review date",
    "not scored": "have no likelihood or consequence",
}


def _finding(
    reg: Register, key: str, check: str, severity: Severity, message: str, **extra: object
) -> Finding:
    """A register's finding: id ``<document>/risks/<register>/<key>``, check ``risk-…``."""
    return Finding(
        id=f"{reg.document.id}/risks/{reg.id}/{key}",
        severity=severity,
        check=f"risk-{check}",
        document=reg.document.id,
        subject=reg.id if key == check else f"{reg.id}/{key.rsplit('/', 1)[0]}",
        message=message,
        **extra,  # type: ignore[arg-type]
    )


def check_registers(reads: list[Read], today: dt.date | None = None) -> list[Finding]:
    """A printed score that is not likelihood × consequence, a printed rating that is not
    the band of the score, a risk without an owner, mitigation or review date (one finding
    per register, naming the risks), and a register mentioned but not printed."""
    today = today or dt.date.today()
    out: list[Finding] = []
    table = risk_table(reads, today)
    for read in reads:
        reg = read.register
        seed = reg.document.seed
        for risk in reg.risks:
            score = _product(risk.likelihood, risk.consequence)
            source = [cite(seed, risk.src)]
            if risk.score is not None and score is not None and risk.score != score:
                out.append(_finding(
                    reg, f"{risk.id}/score", "score", Severity.ERROR,
                    f"{reg.id} '{risk.id}': printed score {risk.score}, but likelihood "
                    f"{risk.likelihood} × consequence {risk.consequence} = {score}",
                    stated=risk.score, expected=score, sources=source,
                    why="a score is likelihood × consequence",
                ))  # fmt: skip
            band = read.matrix.band(score)
            if risk.rating and band and risk.rating.lower() != band.name.lower():
                out.append(_finding(
                    reg, f"{risk.id}/rating", "rating", Severity.WARNING,
                    f"{reg.id} '{risk.id}': rated {risk.rating}, but score {score} is "
                    f"{band.name} in the matrix",
                    stated=risk.rating, expected=band.name, sources=source,
                    why="a rating is the band its score falls in",
                ))  # fmt: skip
        mine = table[table["register"] == reg.id]
        for flag, phrase in _PHRASE.items():
            hit = mine[mine["flags"].str.contains(flag, regex=False)]
            if hit.empty:
                continue
            ratings = sorted(set(hit["rating"].dropna()))
            only = f" (rated {', '.join(ratings)} only)" if flag == "not scored" and ratings else ""
            key = flag.replace(" ", "-")
            out.append(_finding(
                reg, key, key, Severity.WARNING,
                f"{reg.id} {reg.title}: {len(hit)} of {len(mine)} risks {phrase}{only}: "
                f"{', '.join(hit['risk'])}",
                stated=len(hit), expected=0, sources=[cite(seed, reg.src)],
                why="a register names an owner, a mitigation, a review date and a score for "
                "every risk",
            ))  # fmt: skip
        if not reg.risks:
            out.append(_finding(
                reg, "not-printed", "not-printed", Severity.NOTE,
                f"{reg.id} {reg.title}: the document mentions risks or a register but prints "
                "no risk",
                sources=[cite(seed, reg.src)],
                why="a register the plan relies on is part of the plan",
            ))  # fmt: skip
    return out
