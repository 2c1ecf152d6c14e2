"""The composite of avoidable emergency admissions counts what its NHS Outcomes Framework
parts count (2.3.i, 2.3.ii, 3a and 3.2, each its own code list), and nothing else."""

from __future__ import annotations

import pytest

from placehealth.catalogue.codelists import CodeList, code_list

PARTS = ["icd10-acsc-chronic", "icd10-asthma-diabetes-epilepsy", "icd10-acute-acs", "icd10-lrti"]


def _covers(whole: CodeList, part: CodeList) -> list[str]:
    """The prefixes of ``part`` whose codes ``whole`` does not all match."""
    return [p for p in part.prefixes if not whole.matches(p)]


def test_the_composite_is_the_union_of_its_parts() -> None:
    composite = code_list("icd10-emergency-composite")
    parts = [code_list(name) for name in PARTS]
    assert composite.exclude_prefixes == [] and all(p.exclude_prefixes == [] for p in parts)
    for part in parts:  # every code a part counts, the composite counts
        assert _covers(composite, part) == [], part.id
    # and every code the composite counts, some part counts
    assert [p for p in composite.prefixes if not any(part.matches(p) for part in parts)] == []


@pytest.mark.parametrize(
    "code",
    ["W19", "W01", "W10.0", "W00", "R10.4", "R07.4", "R50.9", "I80.2", "S72.0"],
)
def test_falls_and_symptoms_are_not_avoidable_admissions(code: str) -> None:
    # falls (W00-W19) are in no part; nor the symptom and phlebitis codes an earlier
    # version listed, nor the fracture a fall causes
    assert not code_list("icd10-emergency-composite").matches(code)


@pytest.mark.parametrize(
    ("code", "part"),
    [
        ("J44.1", "icd10-acsc-chronic"),  # COPD
        ("E10.1", "icd10-asthma-diabetes-epilepsy"),  # diabetes
        ("N39.0", "icd10-acute-acs"),  # urinary tract infection
        ("A09.9", "icd10-acute-acs"),  # gastroenteritis
        ("J06.9", "icd10-acute-acs"),  # upper respiratory infection
        ("J21.9", "icd10-lrti"),  # bronchiolitis
    ],
)
def test_each_part_s_codes_count(code: str, part: str) -> None:
    assert code_list(part).matches(code)
    assert code_list("icd10-emergency-composite").matches(code)
