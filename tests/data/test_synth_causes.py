"""The synthetic population records falls and self-harm admissions by their external cause.

Part of the self-poisonings' weight in the adult acute mix goes to intentional self-harm
(X60, X78), part of non-specific abdominal pain's to a fall (W19) and part of the hip
fractures' to a vertebral fracture (S32.0), each beside the code it takes weight from, so
the falls and self-harm indicators have admissions to count while every other code keeps
its share of the draws.
"""

from __future__ import annotations

import numpy as np

from placehealth.catalogue.codelists import code_list
from placehealth.data.synth import codes
from placehealth.data.synth.model import simulate


def test_self_harm_takes_only_the_self_poisonings_weight() -> None:
    weights = dict(codes.ACUTE_ADULT)
    assert weights["T39.1"] + weights["X60"] + weights["X78"] == 2  # T39.1's weight before
    share = codes.SELF_HARM_OF_POISONINGS
    assert (weights["X60"] + weights["X78"]) / 2 == share
    self_harm = code_list("icd10-self-harm")
    assert [self_harm.matches(c) for c in ("X60", "X78", "T39.1")] == [True, True, False]
    ordered = [c for c, _ in codes.ACUTE_ADULT]
    at = ordered.index("T39.1")
    assert ordered[at : at + 3] == ["T39.1", "X60", "X78"]  # beside it: no other code moves


def test_the_synthetic_warehouse_has_self_harm_admissions() -> None:
    assert_share("icd10-self-harm", "T39.1", codes.SELF_HARM_OF_POISONINGS)


def test_falls_take_only_abdominal_pains_weight_and_keep_the_composite() -> None:
    weights = dict(codes.ACUTE_ADULT)
    assert weights["R10.4"] + weights["W19"] == 9  # R10.4's weight before
    composite = code_list("icd10-emergency-composite")
    # neither is an avoidable admission (NHS OF 3a counts no falls, nor abdominal pain), so
    # moving weight between them leaves the composite's share of the draws as it was
    assert not composite.matches("R10.4") and not composite.matches("W19")
    assert code_list("icd10-falls").matches("W19")
    ordered = [c for c, _ in codes.ACUTE_ADULT]
    assert ordered[ordered.index("R10.4") + 1] == "W19"


def test_the_synthetic_warehouse_has_fall_admissions() -> None:
    assert_share("icd10-falls", "R10.4", codes.FALLS_OF_ABDOMINAL_PAIN)


def test_vertebral_fractures_take_only_hip_fractures_weight() -> None:
    """Hip fractures ran at about twice England's rate at 65+ (targets.py): part of their
    weight, in the adults' acute mix and for osteoporosis, goes to a vertebral fracture."""
    share = codes.VERTEBRAL_OF_HIP
    for mix, before in ((codes.ACUTE_ADULT, 2), (codes.CONDITION_ADMISSIONS["osteoporosis"], 1)):
        weights = dict(mix)
        assert weights["S72.0"] + weights["S32.0"] == before  # S72.0's weight before
        assert weights["S32.0"] == before * share
        ordered = [c for c, _ in mix]
        assert ordered[ordered.index("S72.0") + 1] == "S32.0"  # beside it: no other code moves
    hip = code_list("icd10-hip-fracture")
    assert hip.matches("S72.0") and not hip.matches("S32.0")


def assert_share(causes: str, code: str, share: float) -> None:
    """Of the emergency spells with ``code`` or a cause on ``causes``, the causes' share is
    ``share`` (within three standard errors) in a small synthetic population."""
    columns = simulate(5_000, seed=2).records.apc.columns()
    diagnosis = np.asarray(columns["diagnosis"])
    emergency = np.asarray(columns["emergency"]).astype(bool)
    caused = int((code_list(causes).match_array(diagnosis) & emergency).sum())
    drawn = caused + int(((diagnosis == code) & emergency).sum())
    assert drawn > 30
    assert abs(caused / drawn - share) < 3 * (share * (1 - share) / drawn) ** 0.5
