"""Every catalogue indicator is computed from records or says why it cannot be
(catalogue/records.yaml), and every computed one has a hand-counted test."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pydantic
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.records import Definition, Method, check_coverage, records
from placehealth.engine.indicators import PIPELINES

ENGINE_TESTS = Path(__file__).parents[1] / "engine"


def test_every_catalogue_indicator_is_computed_or_has_a_reason() -> None:
    check_coverage(load_catalogue())
    given = records()
    assert len(given.computed) >= 40
    assert len(given.computed) + len(given.not_computed) == len(load_catalogue())
    used = {reason.reason for reason in given.not_computed.values()}
    assert used <= set(given.reasons)
    assert {"survey", "workforce", "finance"} <= used


def test_a_same_measure_names_a_computed_indicator() -> None:
    given = records()
    for indicator_id, reason in given.not_computed.items():
        if reason.reason == "same_measure":
            assert reason.note is not None
            named = reason.note.split(",")[0].split()[0]
            assert named in given.computed, (indicator_id, named)


def test_every_definition_names_an_engine_pipeline() -> None:
    pipelines = {d.pipeline for d in records().computed.values()}
    assert pipelines <= {*PIPELINES, "inequalities"}  # engine/inequalities.py: its own command
    assert set(PIPELINES) <= pipelines  # and no pipeline computes nothing the catalogue has


def test_every_computed_indicator_has_a_hand_counted_test_on_both_engines() -> None:
    named = set()
    on_both_engines = ("connect: Callable", "own_engine: Backend", "engine: Backend")
    for path in ENGINE_TESTS.glob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        if any(fixture in text for fixture in on_both_engines):
            named |= set(re.findall(r'"([a-z0-9][a-z0-9-]+)"', text)) | _imported_names(text)
    missing = sorted(set(records().computed) - named)
    assert not missing, f"computed without a spec test: {missing}"


def _imported_names(text: str) -> set[str]:
    """The string constants a test imports from placehealth (an indicator id by its name)."""
    values = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("placehealth"):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if isinstance(value, str):
                    values.add(value)
    return values


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"method": "dsr", "period": "financial_year", "standard": "esp2013", "min_age": 17,
          "numerator": {"table": "apc_spell"}, "denominator": "population"}, "five-year bands"),
        ({"method": "crude_rate", "period": "financial_year",
          "numerator": {"table": "apc_spell", "where": {"method": ["x"]}},
          "denominator": "population"}, "no column 'method'"),
        ({"method": "crude_rate", "period": "financial_year",
          "numerator": {"table": "apc_spell", "where": {"admission_method": ["planned"]}},
          "denominator": "population"}, "takes none of"),
        ({"method": "count", "period": "financial_year",
          "numerator": {"table": "death", "code_list": "icd10-nothing"}}, "no code list"),
        ({"method": "proportion", "period": "financial_year",
          "numerator": {"table": "condition", "where": {"condition": ["gout"]}},
          "denominator": "population"}, "takes none of"),
        ({"method": "proportion", "period": "pooled_calendar_years",
          "numerator": {"table": "condition", "where": {"condition": ["asthma"]}},
          "denominator": "population"}, "30 September"),
        ({"method": "mean", "period": "financial_year",
          "numerator": {"table": "ae_attendance", "measure": "length_of_stay"}}, "apc_spell"),
        ({"method": "dsr", "period": "financial_year",
          "numerator": {"table": "apc_spell"}, "denominator": "population"}, "standard"),
        ({"method": "ratio", "period": "financial_year",
          "numerator": {"table": "op_appointment"}, "denominator": "population"}, "events"),
        ({"method": "crude_rate", "period": "financial_year",
          "numerator": {"table": "geo_lsoa"}, "denominator": "population"}, "event table"),
    ],
)  # fmt: skip
def test_a_definition_that_cannot_be_computed_is_refused(
    definition: dict[str, object], message: str
) -> None:
    with pytest.raises(pydantic.ValidationError, match=message):
        Definition.model_validate(definition)


def test_a_bespoke_definition_keeps_its_rules_in_its_pipeline() -> None:
    readmissions = records().computed["emergency-readmissions-30-days"]
    assert readmissions.bespoke and readmissions.numerator is None
    assert readmissions.method == Method.PROPORTION
    assert readmissions.code_lists == ("icd10-readmission-exclusions",)


def test_the_user_guide_lists_every_computed_indicator() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [i for i in records().computed if f"`{i}`" not in guide]
    assert not missing, f"not in docs/indicators.md: {missing}"
