"""Risk of emergency admission in the next 12 months: a logistic regression you can audit.

The design matrix is a short list of named terms over the feature frame (age as
a piecewise-linear curve, log counts, flags), each a transform that Narwhals
can express. The same list builds the matrix for scikit-learn at fitting time
and the scoring expression in the database (``placehealth.phm.scoring``), so the
two cannot drift apart. The model is fitted at one index date and validated at
a later one (temporal validation); the figures go into a JSON model file with a
hash of the term list, so a file fitted on other features is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import expit

from placehealth.data.pseudonymise import PseudoKey, load_key
from placehealth.engine.backends import Backend
from placehealth.errors import InputFileError, ValidationError
from placehealth.periods import add_months
from placehealth.phm.features import (
    ACTIVITIES,
    CONDITIONS,
    KEY,
    check_index,
    features,
    index_range,
    outcome,
)
from placehealth.phm.population import data_window

VERSION = 1
TOP_SHARES = (0.005, 0.01, 0.05)
HIGH_RISK = 0.5
AGE_KNOTS = (1, 5, 15, 25, 45, 65, 75, 85)
SQRT_COUNTS = (
    "emergency_24m",
    "ae_24m",
    "gp_24m",
    "outpatient_24m",
    "community_24m",
    "bed_days_24m",
)
Float = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Term:
    """One column of the design matrix: ``transform`` of feature ``column``.

    Transforms: ``linear`` x·scale; ``hinge`` max(x − param, 0)·scale; ``log1p``
    log(1 + x); ``sqrt`` √x (steeper than the log at high
    counts, where the heaviest users are); ``at_least`` 1 if x ≥ param.
    """

    name: str
    column: str
    transform: str
    param: float = 0.0
    scale: float = 1.0

    def expr(self) -> nw.Expr:
        x = nw.col(self.column).cast(nw.Float64)
        if self.transform == "linear":
            out = x * self.scale
        elif self.transform == "hinge":
            out = (x - self.param).clip(lower_bound=0.0) * self.scale
        elif self.transform == "log1p":
            out = (x + 1.0).log()
        elif self.transform == "sqrt":
            out = x.sqrt()
        elif self.transform == "at_least":
            out = (x >= self.param).cast(nw.Float64)
        else:
            raise ValidationError(f"unknown transform '{self.transform}' for term '{self.name}'")
        return out.alias(self.name)

    def spec(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "column": self.column,
            "transform": self.transform,
            "param": self.param,
            "scale": self.scale,
        }


def _terms() -> tuple[Term, ...]:
    terms = [Term("age_decades", "age", "linear", scale=0.1)]
    terms += [Term(f"age_over_{k}", "age", "hinge", k, 0.1) for k in AGE_KNOTS]
    terms += [
        Term("female", "female", "linear"),
        Term("imd_decile", "imd_decile", "linear"),
    ]
    for a in ACTIVITIES:
        terms += [Term(f"log_{a.name}_{w}m", f"{a.name}_{w}m", "log1p") for w in (12, 24)]
    terms += [
        Term("any_emergency_12m", "emergency_12m", "at_least", 1),
        Term("log_bed_days_12m", "bed_days_12m", "log1p"),
        Term("log_bed_days_24m", "bed_days_24m", "log1p"),
    ]
    terms += [Term(f"sqrt_{c}", c, "sqrt") for c in SQRT_COUNTS]
    terms += [Term(f"ltc_{c}", f"ltc_{c}", "linear") for c in CONDITIONS]
    terms += [
        Term("any_ltc", "ltc_count", "at_least", 1),
        Term("ltc_count", "ltc_count", "linear"),
        Term("log_hfrs", "hfrs", "log1p"),
        Term("efi_tenths", "efi", "linear", scale=10.0),
        Term("social_care_12m", "social_care_12m", "linear"),
        Term("home_care", "home_care", "linear"),
        Term("care_home", "care_home", "linear"),
    ]
    return tuple(terms)


TERMS = _terms()


def spec_hash(terms: tuple[Term, ...] = TERMS) -> str:
    """sha256 of the term list as canonical JSON: what a model file must have been fitted on."""
    text = json.dumps([t.spec() for t in terms], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def design(frame: nw.LazyFrame[Any], *, keep: tuple[str, ...] = ()) -> nw.LazyFrame[Any]:
    """[person_key, *keep, one column per term], built by the frame's own engine."""
    return frame.select(KEY, *keep, *[t.expr() for t in TERMS])


@dataclass
class Model:
    """A fitted model: terms with coefficients, and its validation figures."""

    coefficients: dict[str, float]
    intercept: float
    fit_index: dt.date
    validate_index: dt.date
    metrics: dict[str, Any] = field(default_factory=dict)
    terms: tuple[Term, ...] = TERMS

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "model": "logistic regression: risk of an emergency admission in 12 months",
            "fit_index_date": self.fit_index.isoformat(),
            "validation_index_date": self.validate_index.isoformat(),
            "feature_spec_sha256": spec_hash(self.terms),
            "intercept": self.intercept,
            "features": [
                {**t.spec(), "coefficient": self.coefficients[t.name]} for t in self.terms
            ],
            "metrics": self.metrics,
        }


def write_model(model: Model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")


def read_model(path: str | Path) -> Model:
    """A model file, checked against the terms this version builds.

    A file whose features differ (added, missing, reordered or transformed
    differently) is a ValidationError naming the first feature that differs.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(
            "model file not found", file=path, hint="fit one: placehealth phm model fit"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"model file is not JSON: {exc}", file=path) from None
    if not isinstance(data, dict):
        raise ValidationError("model file is not a JSON object", file=path)
    missing = [
        k
        for k in ("version", "features", "intercept", "fit_index_date", "validation_index_date")
        if k not in data
    ]
    if missing:
        raise ValidationError(f"model file lacks {', '.join(missing)}", file=path)
    if data["version"] != VERSION:
        raise ValidationError(
            f"model file version {data['version']} is not {VERSION}", file=path, hint="refit it"
        )
    features_in = data["features"]
    if not isinstance(features_in, list) or not all(isinstance(f, dict) for f in features_in):
        raise ValidationError("model file 'features' is not a list of objects", file=path)
    _check_terms(features_in, path)
    if data.get("feature_spec_sha256") != spec_hash():
        raise ValidationError(
            "model file feature_spec_sha256 does not match the features this version builds",
            file=path,
            hint="refit: placehealth phm model fit",
        )
    try:
        coefficients = {f["name"]: float(f["coefficient"]) for f in features_in}
        return Model(
            coefficients=coefficients,
            intercept=float(data["intercept"]),
            fit_index=dt.date.fromisoformat(data["fit_index_date"]),
            validate_index=dt.date.fromisoformat(data["validation_index_date"]),
            metrics=dict(data.get("metrics") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"model file has a bad value: {exc}", file=path) from None


def _check_terms(found: list[dict[str, Any]], path: Path) -> None:
    expected = {t.name: t.spec() for t in TERMS}
    names = [str(f.get("name")) for f in found]
    for name in names:
        if name not in expected:
            raise ValidationError(
                f"model feature '{name}' is not one this version builds", file=path, hint="refit"
            )
    for term in TERMS:
        if term.name not in names:
            raise ValidationError(
                f"model file lacks feature '{term.name}'", file=path, hint="refit"
            )
    for f in found:
        spec = expected[str(f["name"])]
        differs = [k for k in spec if k != "name" and f.get(k) != spec[k]]
        if differs:
            raise ValidationError(
                f"model feature '{f['name']}' differs in {', '.join(differs)} "
                "from the feature this version builds",
                file=path,
                hint="refit",
            )
    if names != [t.name for t in TERMS]:
        raise ValidationError("model file lists its features in another order", file=path)


# --- fitting -----------------------------------------------------------------


def training_frame(
    backend: Backend, index_date: dt.date, columns: list[str] | None = None
) -> pd.DataFrame:
    """Design matrix (all terms, or ``columns``) and outcome at ``index_date``, collected
    for scikit-learn. Naming fewer columns lets the engine skip the features they ignore."""
    matrix = design(features(backend, index_date))
    if columns is not None:
        matrix = matrix.select(KEY, *columns)
    frame = matrix.join(outcome(backend, index_date), on=KEY, how="left")
    return backend.collect(frame)


def default_indexes(
    backend: Backend, fit_index: dt.date | None, validate_index: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The dates asked for, or: validate at the latest date the data allow, fit a year before."""
    if validate_index is None:
        validate_index = index_range(data_window(backend))[1]
    if fit_index is None:
        fit_index = add_months(validate_index, -12)
    return fit_index, validate_index


def fit(
    backend: Backend,
    fit_index: dt.date | None = None,
    validate_index: dt.date | None = None,
    *,
    truth: Path | None = None,
    key: PseudoKey | None = None,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Fit at ``fit_index``, validate at ``validate_index`` (scored in the database).

    Unset, they are the last two 1 Aprils-apart dates the data allow: validation at
    the latest date with 12 months of follow-up, fitting a year before it.

    ``key`` hashes the truth file's NHS numbers (default: the key ingestion
    uses). ``progress`` is told the name of each step as it starts.
    """
    step = progress or (lambda _: None)
    from sklearn.linear_model import LogisticRegression

    fit_index, validate_index = default_indexes(backend, fit_index, validate_index)
    window = data_window(backend)
    check_index(window, fit_index, what="fit index date")
    check_index(window, validate_index, what="validation index date")
    if validate_index <= fit_index:
        raise ValidationError(
            "the validation index date must come after the fit index date",
            hint="temporal validation: e.g. --fit-index 2016-04-01 --validate-index 2017-04-01",
        )
    if truth is not None and not truth.is_file():
        raise InputFileError("truth file not found", file=truth)
    if truth is not None and key is None:
        key = load_key()  # before the slow part: a missing key fails at once
    step("features at the fit index date")
    train = training_frame(backend, fit_index)
    step("fitting")
    names = [t.name for t in TERMS]
    x, y = train[names].to_numpy(dtype=float), train["emergency_admission"].to_numpy()
    lr = LogisticRegression(C=100.0, solver="newton-cholesky", max_iter=200, tol=1e-10)
    lr.fit(x, y)
    model = Model(
        coefficients=dict(zip(names, (float(c) for c in lr.coef_[0]), strict=True)),
        intercept=float(lr.intercept_[0]),
        fit_index=fit_index,
        validate_index=validate_index,
    )
    step("baseline model")
    baseline = _baseline_auc(train, backend, validate_index)
    step("validation")
    model.metrics = validate(backend, model, truth=truth, key=key)
    model.metrics["baseline_auc"] = baseline
    model.metrics["fit_people"] = len(train)
    model.metrics["fit_outcome_rate"] = float(y.mean())
    return model


def _baseline_auc(train: pd.DataFrame, backend: Backend, validate_index: dt.date) -> float:
    """Prior emergency admissions in 12 months and age only, fitted and validated the same way."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    columns = ["log_emergency_12m", "age_decades", *[f"age_over_{k}" for k in AGE_KNOTS]]
    lr = LogisticRegression(solver="newton-cholesky", max_iter=200).fit(
        train[columns].to_numpy(dtype=float), train["emergency_admission"].to_numpy()
    )
    valid = training_frame(backend, validate_index, columns)
    p = lr.predict_proba(valid[columns].to_numpy(dtype=float))[:, 1]
    return float(roc_auc_score(valid["emergency_admission"], p))


# --- validation --------------------------------------------------------------


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


def calibration_chart(model: Model, path: Path) -> list[Path]:
    """Observed against predicted by tenth (altair), saved as HTML and, if possible, PNG/SVG."""
    import altair as alt

    table = pd.DataFrame(model.metrics.get("calibration_table", []))
    top = float(max(table["mean_predicted"].max(), table["observed_rate"].max()) * 1.05)
    diagonal = (
        alt.Chart(pd.DataFrame({"x": [0.0, top], "y": [0.0, top]}))
        .mark_line(strokeDash=[4, 4], color="grey")
        .encode(x="x:Q", y="y:Q")
    )
    points = (
        alt.Chart(table)
        .mark_line(point=True)
        .encode(
            x=alt.X("mean_predicted:Q", title="Mean predicted risk"),
            y=alt.Y("observed_rate:Q", title="Observed emergency admission rate"),
            tooltip=["tenth", "people", "mean_predicted", "observed_rate"],
        )
    )
    chart = (diagonal + points).properties(
        title=f"Calibration by tenth of predicted risk, validation {model.validate_index}",
        width=420,
        height=420,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix in (".html", ".png", ".svg"):
        out = path.with_suffix(suffix)
        try:
            chart.save(str(out))
        except (ValueError, ImportError, RuntimeError):  # PNG/SVG need vl-convert
            continue
        written.append(out)
    return written
