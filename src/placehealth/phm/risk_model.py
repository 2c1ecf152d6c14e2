"""Risk of emergency admission in the next 12 months: a logistic regression you can audit.

The design matrix is a short list of named terms over the feature frame (age as
a piecewise-linear curve, log counts, flags), each a transform that Narwhals
can express. The same list builds the matrix for scikit-learn at fitting time
and the scoring expression in the database (``placehealth.phm.scoring``), so the
two cannot drift apart. The model is fitted at one index date and validated at
a later one (temporal validation); the figures go into a JSON model file with a
hash of the term list, so a file fitted on other features is refused.

This module is the model itself: its terms, the design matrix and the model file.
Fitting is in :mod:`placehealth.phm.risk_fitting`, the validation figures in
:mod:`placehealth.phm.risk_validation`, the calibration plot in
:mod:`placehealth.phm.risk_chart`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw

from placehealth.errors import InputFileError, ValidationError
from placehealth.phm.features import ACTIVITIES, CONDITIONS, KEY

VERSION = 1
AGE_KNOTS = (1, 5, 15, 25, 45, 65, 75, 85)
SQRT_COUNTS = (
    "emergency_24m",
    "ae_24m",
    "gp_24m",
    "outpatient_24m",
    "community_24m",
    "bed_days_24m",
)


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
