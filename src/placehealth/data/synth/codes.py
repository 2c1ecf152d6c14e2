"""Code mixes the generator draws from: diagnoses, causes of death, providers, codes.

Each mix is a list of (code, weight). Whether a diagnosis counts towards the
composite of avoidable emergency admissions is not decided here but by the
catalogue's code list, exactly as the indicator pipelines decide it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from placehealth.catalogue.codelists import code_list

Mix = tuple[tuple[str, float], ...]


def _split(code: str, weight: float, causes: tuple[tuple[str, float], ...], share: float) -> Mix:
    """``code`` keeps ``1 - share`` of ``weight``; the causes share the rest by their parts."""
    parts = sum(part for _, part in causes)
    return ((code, weight * (1 - share)), *((c, weight * share * p / parts) for c, p in causes))


# Hip fractures (S72.0) drawn at the adults' acute weight of 2 and for osteoporosis ran
# at about twice England's rate among people 65+ (targets.py): part of each goes to a
# vertebral fragility fracture (S32.0, also an eFI fragility fracture, not a hip).
VERTEBRAL_OF_HIP = 0.22

# Emergency admissions that are "for" a condition the person has.
CONDITION_ADMISSIONS: dict[str, Mix] = {
    "copd": (("J44.1", 0.7), ("J44.0", 0.3)),
    "asthma": (("J45.9", 0.8), ("J46", 0.2)),
    "heart_failure": (("I50.0", 0.8), ("I50.9", 0.2)),
    "chd": (("I21.9", 0.4), ("I20.0", 0.4), ("I25.1", 0.2)),
    "atrial_fibrillation": (("I48", 1.0),),
    "stroke_tia": (("I63.9", 0.6), ("G45.9", 0.4)),
    "diabetes": (("E11.6", 0.6), ("E10.1", 0.4)),
    "hypertension": (("I10", 1.0),),
    "ckd": (("N17.9", 0.7), ("N18.5", 0.3)),
    "cancer": (("C34.9", 0.3), ("C18.9", 0.2), ("C50.9", 0.1), ("C80.9", 0.4)),
    "dementia": (("F05.1", 0.6), ("F03", 0.4)),
    "epilepsy": (("G40.9", 1.0),),
    "chronic_liver_disease": (("K70.3", 0.6), ("K74.6", 0.4)),
    "serious_mental_illness": (("F20.9", 0.6), ("F31.9", 0.4)),
    "depression": (("T42.4", 0.5), ("F32.9", 0.5)),
    "parkinsons": (("G20", 1.0),),
    "osteoporosis": _split("S72.0", 1.0, (("S32.0", 1),), VERTEBRAL_OF_HIP),
}
# How likely an admission of someone with the condition is to be for it (relative).
CONDITION_ADMISSION_WEIGHT = {
    "copd": 4.0, "heart_failure": 4.0, "asthma": 1.5, "chd": 2.0, "atrial_fibrillation": 1.0,
    "stroke_tia": 1.5, "diabetes": 1.2, "hypertension": 0.3, "ckd": 1.0, "cancer": 3.0,
    "dementia": 2.0, "epilepsy": 1.5, "chronic_liver_disease": 3.0,
    "serious_mental_illness": 1.5, "depression": 0.5, "parkinsons": 1.0, "osteoporosis": 1.0,
}  # fmt: skip

# Falls and self-harm recorded by their external cause, as a warehouse with one diagnosis
# per spell can hold them: part of the self-poisonings' weight (T39.1) goes to intentional
# self-harm (X60 paracetamol, X78 sharp object), and part of non-specific abdominal pain's
# (R10.4) to a fall (W19), so the self-harm and falls indicators have admissions to count.
# Each cause sits beside the code it takes weight from and the group keeps that weight;
# neither W19 nor R10.4 is on the avoidable-admissions (composite) list. So no other
# code's share of the draws moves (the same random numbers give the same codes elsewhere)
# and the calibrated composite keeps its admissions.
SELF_HARM_OF_POISONINGS = 0.6
FALLS_OF_ABDOMINAL_PAIN = 0.5


ACUTE_ADULT: Mix = (
    ("R07.4", 8), *_split("R10.4", 9, (("W19", 1),), FALLS_OF_ABDOMINAL_PAIN),
    ("N39.0", 6), ("L03.1", 4), ("J18.9", 7), ("J22", 3),
    ("R55", 3), ("S06.0", 2), *_split("S72.0", 2, (("S32.0", 1),), VERTEBRAL_OF_HIP), ("S52.5", 2),
    *_split("T39.1", 2, (("X60", 3), ("X78", 1)), SELF_HARM_OF_POISONINGS), ("F10.0", 2),
    ("A41.9", 2), ("K80.2", 3), ("K35.8", 2), ("R51", 2), ("A09.9", 2), ("I80.2", 1),
    ("R50.9", 1), ("K92.2", 1), ("E87.1", 1), ("M54.5", 2), ("R06.0", 2), ("K57.3", 1),
)  # fmt: skip
ACUTE_CHILD: Mix = (
    ("J21.9", 6), ("B34.9", 6), ("A09.9", 5), ("J06.9", 5), ("R50.9", 3), ("J22", 3),
    ("S00.9", 3), ("S52.5", 2), ("R10.4", 3), ("N39.0", 1), ("L03.1", 1), ("R56.0", 2),
    ("K35.8", 1), ("P59.9", 2), ("T78.4", 1),
)  # fmt: skip
OBSTETRIC: Mix = (("O26.8", 3), ("O47.0", 3), ("O21.0", 2), ("O20.0", 1), ("O99.8", 1))
ELECTIVE: Mix = (
    ("H25.9", 10), ("K40.9", 5), ("M17.1", 5), ("M16.1", 3), ("K80.2", 4), ("N40", 3),
    ("Z51.1", 8), ("K57.3", 3), ("D12.6", 4), ("K21.9", 4), ("N81.1", 2), ("I25.1", 2),
    ("G56.0", 3), ("M23.2", 2), ("L72.1", 2), ("N20.0", 2),
)  # fmt: skip

DEATH_CAUSES: dict[str, Mix] = {
    "cancer": (("C34.9", 25), ("C18.9", 10), ("C50.9", 7), ("C61", 6), ("C25.9", 6),
               ("C15.9", 6), ("C16.9", 3), ("C22.0", 4), ("C67.9", 3), ("C71.9", 3),
               ("C85.9", 4), ("C92.0", 3), ("C80.9", 20)),
    "circulatory": (("I21.9", 35), ("I25.1", 30), ("I64", 15), ("I71.4", 8), ("I26.9", 7),
                    ("I61.9", 5)),
    "respiratory": (("J18.9", 60), ("J84.1", 15), ("J69.0", 15), ("J22", 10)),
    "other": (("A41.9", 10), ("N18.5", 8), ("E11.9", 6), ("K92.2", 8), ("R54", 10),
              ("K55.0", 6), ("G12.2", 5), ("N39.0", 6), ("K56.6", 6), ("F03", 10),
              ("Q89.9", 3), ("D64.9", 5), ("E86", 4), ("K74.6", 6)),
    "external": (("X42", 40), ("W19", 25), ("X70", 15), ("V89.2", 10), ("X59", 10)),
    "infant": (("P07.3", 35), ("Q24.9", 25), ("P22.0", 15), ("R95", 10), ("P36.9", 15)),
}  # fmt: skip
# Deaths of people with these conditions are mostly put down to them (first match wins).
CAUSE_BY_CONDITION: dict[str, tuple[tuple[str, Mix], ...]] = {
    "circulatory": (
        ("heart_failure", (("I50.0", 1),)),
        ("stroke_tia", (("I64", 0.7), ("I61.9", 0.3))),
        ("chd", (("I21.9", 0.5), ("I25.1", 0.5))),
        ("atrial_fibrillation", (("I48", 0.5), ("I64", 0.5))),
    ),
    "respiratory": (
        ("copd", (("J44.9", 0.8), ("J18.9", 0.2))),
        ("asthma", (("J45.9", 0.4), ("J18.9", 0.6))),
    ),
    "other": (
        ("dementia", (("F03", 0.7), ("G30.9", 0.3))),
        ("chronic_liver_disease", (("K70.3", 1),)),
        ("parkinsons", (("G20", 1),)),
        ("learning_disability", (("F79", 1),)),
        ("epilepsy", (("G40.9", 1),)),
    ),
}
CAUSE_BY_CONDITION_SHARE = 0.85

# SNOMED CT concept recorded for each condition (the first of the code list's ids).
# ICD-10 equivalents for the share of records that arrive coded in ICD-10.
ICD10_RECORD = {
    "hypertension": "I10", "diabetes": "E11.9", "asthma": "J45.9", "copd": "J44.9",
    "chd": "I25.1", "heart_failure": "I50.0", "atrial_fibrillation": "I48", "stroke_tia": "I64",
    "ckd": "N18.3", "cancer": "C80.9", "dementia": "F03", "depression": "F32.9",
    "anxiety": "F41.1", "serious_mental_illness": "F20.9", "epilepsy": "G40.9",
    "learning_disability": "F79", "rheumatoid_arthritis": "M06.9", "osteoporosis": "M81.0",
    "hypothyroidism": "E03.9", "chronic_liver_disease": "K70.3", "parkinsons": "G20",
}  # fmt: skip

ADULT_ACUTE_PROVIDERS: Mix = (("RQ6", 0.6), ("REM", 0.4))
CHILD_PROVIDER = "RBS"  # Alder Hey Children's
MATERNITY_PROVIDER = "REP"  # Liverpool Women's
ELECTIVE_PROVIDERS: Mix = (("RQ6", 0.45), ("REM", 0.3), ("RBQ", 0.1), ("REN", 0.08),
                           ("RET", 0.07))  # fmt: skip


def weigh_composite(mix: Mix, factor: float) -> Mix:
    """The mix with avoidable (composite) diagnoses made ``factor`` times as likely."""
    composite = code_list("icd10-emergency-composite")
    return tuple((c, w * factor if composite.matches(c) else w) for c, w in mix)


def draw(rng: np.random.Generator, mix: Mix, n: int) -> npt.NDArray[np.str_]:
    """``n`` codes drawn from a mix by weight."""
    codes = np.array([c for c, _ in mix])
    weights = np.array([w for _, w in mix], dtype=float)
    return codes[rng.choice(len(codes), size=n, p=weights / weights.sum())]
