"""The risk model's validation figures: discrimination, calibration, fairness, best achievable.

Everything is measured at the model's validation index date, a year or more after
the one it was fitted at (temporal validation), on risks scored in the database
(:mod:`placehealth.phm.scoring`). With the synthetic population's truth file, the
AUC of each person's true probability says how good any model could be.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import expit

from placehealth.data.pseudonymise import PseudoKey, load_key
from placehealth.engine.backends import Backend
from placehealth.errors import InputFileError, ValidationError
from placehealth.phm.features import KEY, features, outcome
from placehealth.phm.risk_model import Model

TOP_SHARES = (0.005, 0.01, 0.05)
HIGH_RISK = 0.5
Float = npt.NDArray[np.float64]


def validate(
    backend: Backend, model: Model, *, truth: Path | None = None, key: PseudoKey | None = None
) -> dict[str, Any]:
    """Every figure at the validation index date, from risks scored in the database."""
    from placehealth.phm.scoring import score

    index = model.validate_index
    scored = score(backend, model, index).join(outcome(backend, index), on=KEY, how="left")
    groups = features(backend, index).select(KEY, "sex", "imd_decile")
    frame = backend.collect(scored.join(groups, on=KEY, how="left"))
    y = frame["emergency_admission"].to_numpy(dtype=float)
    p = frame["risk"].to_numpy(dtype=float)
    metrics = discrimination_and_calibration(y, p)
    metrics["validation_people"] = len(frame)
    metrics["calibration_table"] = calibration_table(y, p).to_dict(orient="records")
    metrics["by_group"] = by_group(frame)
    if truth is not None:
        metrics["best_achievable_auc"] = best_achievable_auc(frame, truth, index, key)
    return metrics


def discrimination_and_calibration(y: Float, p: Float) -> dict[str, Any]:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    slope, intercept = calibration_slope(y, p)
    out: dict[str, Any] = {
        "auc": float(roc_auc_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "calibration_slope": slope,
        "calibration_intercept": intercept,
        "calibration_in_the_large": calibration_in_the_large(y, p),
        "observed_rate": float(y.mean()),
        "mean_predicted": float(p.mean()),
        "share_above_50pc": float((p > HIGH_RISK).mean()),
        "people_above_50pc": int((p > HIGH_RISK).sum()),
    }
    order = np.argsort(-p, kind="stable")
    events = y.sum()
    for share in TOP_SHARES:
        n = max(1, math.ceil(share * len(p)))
        hits = y[order[:n]].sum()
        label = f"top_{share * 100:g}pc".replace(".", "_")
        out[f"sensitivity_{label}"] = float(hits / events) if events else float("nan")
        out[f"ppv_{label}"] = float(hits / n)
    return out


def _logit(p: Float) -> Float:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return np.asarray(np.log(q / (1 - q)), dtype=float)


def calibration_slope(y: Float, p: Float) -> tuple[float, float]:
    """Slope and intercept of logit P(y) = a + b·logit(p), by Newton's method (no penalty)."""
    x = np.column_stack([np.ones_like(p), _logit(p)])
    beta = np.array([0.0, 1.0])
    for _ in range(50):
        mu = expit(x @ beta)
        w = mu * (1 - mu)
        step = np.linalg.solve((x * w[:, None]).T @ x, x.T @ (y - mu))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(beta[1]), float(beta[0])


def calibration_in_the_large(y: Float, p: Float) -> float:
    """Intercept a of logit P(y) = a + logit(p) (slope fixed at 1): 0 when the mean is right."""
    offset = _logit(p)
    a = 0.0
    for _ in range(50):
        mu = expit(a + offset)
        step = float((y - mu).sum() / max((mu * (1 - mu)).sum(), 1e-12))
        a += step
        if abs(step) < 1e-12:
            break
    return a


def calibration_table(y: Float, p: Float, groups: int = 10) -> pd.DataFrame:
    """Observed against predicted by tenths of the people ranked by predicted risk."""
    order = np.argsort(p, kind="stable")
    tenth = np.empty(len(p), dtype=int)
    tenth[order] = np.arange(len(p)) * groups // max(len(p), 1) + 1
    frame = pd.DataFrame({"tenth": tenth, "y": y, "p": p})
    table = frame.groupby("tenth").agg(
        people=("y", "size"),
        events=("y", "sum"),
        mean_predicted=("p", "mean"),
        observed_rate=("y", "mean"),
        min_predicted=("p", "min"),
        max_predicted=("p", "max"),
    )
    table["events"] = table["events"].astype(int)
    return table.reset_index()


def by_group(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """AUC and calibration-in-the-large by sex and by deprivation decile (fairness)."""
    from sklearn.metrics import roc_auc_score

    rows = []
    for column in ("sex", "imd_decile"):
        for value, part in frame.groupby(column, dropna=False):
            y = part["emergency_admission"].to_numpy(dtype=float)
            p = part["risk"].to_numpy(dtype=float)
            two_classes = 0 < y.sum() < len(y)
            rows.append(
                {
                    "group": column,
                    "value": str(value),
                    "people": len(part),
                    "observed_rate": float(y.mean()),
                    "mean_predicted": float(p.mean()),
                    "auc": float(roc_auc_score(y, p)) if two_classes else None,
                    "calibration_in_the_large": calibration_in_the_large(y, p),
                }
            )
    return rows


def truth_keys(truth: Path, index_date: dt.date, key: PseudoKey | None = None) -> pd.DataFrame:
    """[person_key, true_probability] for the financial year starting at the index date.

    The synthetic truth is keyed by raw NHS number; it is hashed with the same
    key as ingestion (``PLACEHEALTH_PSEUDO_KEY`` or its key file), in Python as at
    ingestion (:meth:`PseudoKey.hash_numbers`), so DuckDB never holds a raw number.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not truth.is_file():
        raise InputFileError(
            "truth file not found", file=truth, hint="EXTRACT/truth/emergency_risk.parquet"
        )
    start = index_date.year - (index_date.month < 4)
    year = f"{start}/{(start + 1) % 100:02d}"
    key = key or load_key()
    try:
        table = pq.read_table(
            truth, columns=["nhs_number", "emergency_probability", "financial_year"]
        )
        rows = table.filter(pc.equal(pc.cast(table["financial_year"], pa.string()), year))
        numbers = pc.cast(rows["nhs_number"], pa.string()).to_pylist()
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(f"cannot read the truth file: {exc}", file=truth) from None
    frame = pd.DataFrame(
        {
            "person_key": key.hash_numbers(numbers),
            "true_probability": rows["emergency_probability"].to_numpy(),
        }
    )
    if frame.empty:
        raise ValidationError(f"truth file has no rows for {year}", file=truth)
    return frame


def best_achievable_auc(
    frame: pd.DataFrame, truth: Path, index_date: dt.date, key: PseudoKey | None = None
) -> float:
    """AUC of the synthetic population's true probability against the observed outcome."""
    from sklearn.metrics import roc_auc_score

    joined = frame[[KEY, "emergency_admission"]].merge(truth_keys(truth, index_date, key), on=KEY)
    if len(joined) < 0.9 * len(frame):
        raise ValidationError(
            f"only {len(joined)} of {len(frame)} people found in the truth file",
            file=truth,
            hint="is PLACEHEALTH_PSEUDO_KEY the key the warehouse was loaded with?",
        )
    return float(roc_auc_score(joined["emergency_admission"], joined["true_probability"]))
