"""The numbers of the synthetic Liverpool model, each with where it comes from.

Two kinds of number live here. Shapes (age structure, how prevalence rises
with age, the cause mix of deaths, diagnosis mixes) come from public English
statistics, rounded. Scales marked *calibrated* were tuned so that
``placehealth synth report`` reproduces the seeds' facts at 500,000 persons
(docs/warehouse.md shows the table); change one and rerun the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# --- time: five NHS financial years, day 0 = 1 April 2014 -------------------
FIRST_YEAR = 2014
YEARS = 5
YEAR_START = np.array([0, 365, 731, 1096, 1461, 1826])  # 2015/16 holds 29 February 2016
DAY0_EPOCH = 16161  # days from 1970-01-01 to 2014-04-01 (Arrow date32)
DAYS_PER_YEAR = 365.25

# --- the population on 1 April 2014 ------------------------------------------
# The age structure is the place's (population.age_bands in its place file); the
# share of women in each band is England's shape.
AGE_BAND_STARTS = np.arange(0, 95, 5)
FEMALE_SHARE = np.array(
    [0.49, 0.49, 0.49, 0.50, 0.50, 0.49, 0.49, 0.49, 0.50, 0.50,
     0.50, 0.50, 0.51, 0.52, 0.54, 0.56, 0.60, 0.65, 0.72]
)  # fmt: skip
BIRTHS_PER_WOMAN = {15: 0.020, 20: 0.065, 25: 0.090, 30: 0.085, 35: 0.045, 40: 0.012}
"""Yearly births per woman by age band (about 6,200 births a year at 500,000)."""
INFANT_DEATH = 0.00525  # *calibrated*: per birth, mid deprivation (seed 002, 850: 39 a year)
INFANT_DEATH_DEPRIVATION = 0.6  # log hazard ratio, most vs least deprived

FRAILTY_SHAPE = 1.49  # *calibrated*: gamma shape of personal propensity (mean 1)
"""Unmeasured personal propensity to use services (mean 1). Its spread gives the
heavy tail of very high users and the share of people above 50% risk (seed 000, 4477)."""


@dataclass(frozen=True)
class ConditionModel:
    """Onset of one condition: cumulative hazard through two (age, prevalence) points."""

    id: str
    young: tuple[float, float]  # (age, prevalence among the living, mid deprivation)
    old: tuple[float, float]
    deprivation: float = 0.4  # log hazard ratio, most vs least deprived
    female: float = 1.0  # hazard ratio, women vs men
    weight: float = 1.0  # contribution to the morbidity score that drives service use
    frailty: float = 0.3  # exponent of personal propensity


# Prevalence shapes after QOF registers (England 2014/15) and the literature,
# pushed up for Liverpool; the global scale is *calibrated* to 45% (seed 002, 186).
CONDITIONS = (
    ConditionModel("hypertension", (40, 0.04), (75, 0.50), 0.4, 1.0, 0.3),
    ConditionModel("diabetes", (40, 0.03), (75, 0.20), 0.6, 0.8, 0.8),
    ConditionModel("asthma", (10, 0.08), (60, 0.14), 0.3, 1.1, 0.6),
    ConditionModel("copd", (50, 0.02), (80, 0.14), 1.3, 1.0, 1.5),
    ConditionModel("chd", (50, 0.02), (80, 0.18), 0.6, 0.6, 1.0),
    ConditionModel("heart_failure", (60, 0.01), (85, 0.09), 0.5, 0.9, 2.0),
    ConditionModel("atrial_fibrillation", (60, 0.015), (85, 0.15), 0.0, 0.8, 0.8),
    ConditionModel("stroke_tia", (60, 0.02), (85, 0.12), 0.5, 0.9, 1.0),
    ConditionModel("ckd", (60, 0.03), (85, 0.25), 0.3, 1.2, 0.8),
    ConditionModel("cancer", (50, 0.02), (80, 0.14), 0.3, 1.0, 1.2),
    ConditionModel("dementia", (67, 0.022), (92, 0.42), 0.3, 1.2, 1.5),
    ConditionModel("depression", (25, 0.10), (60, 0.22), 0.6, 1.6, 0.5),
    ConditionModel("anxiety", (25, 0.06), (60, 0.12), 0.4, 1.6, 0.3),
    ConditionModel("serious_mental_illness", (30, 0.008), (60, 0.016), 1.0, 1.0, 1.0),
    ConditionModel("epilepsy", (10, 0.005), (60, 0.010), 0.5, 1.0, 0.7),
    ConditionModel("learning_disability", (5, 0.004), (40, 0.0045), 0.3, 0.7, 0.7),
    ConditionModel("rheumatoid_arthritis", (50, 0.005), (80, 0.015), 0.2, 2.5, 0.5),
    ConditionModel("osteoporosis", (60, 0.01), (85, 0.08), 0.2, 3.0, 0.5),
    ConditionModel("hypothyroidism", (40, 0.02), (75, 0.06), 0.0, 4.0, 0.2),
    ConditionModel("chronic_liver_disease", (40, 0.005), (65, 0.015), 1.5, 0.5, 1.2),
    ConditionModel("parkinsons", (65, 0.003), (85, 0.015), 0.0, 0.7, 1.0),
)
CONDITION_SCALE = 0.965  # *calibrated*: multiplies every onset hazard
DEMENTIA_DIAGNOSED = 0.692  # *calibrated*: share of people with dementia ever diagnosed
DEMENTIA_DELAY_YEARS = 1.5  # mean time from onset to diagnosis
ICD10_RECORDED = 0.1  # share of condition records coded in ICD-10 (hospital letters)


@dataclass(frozen=True)
class Cause:
    """A cause of death: a Gompertz hazard by age, scaled by conditions and deprivation."""

    id: str
    at_70: float  # yearly hazard at 70 for a person with no conditions (*calibrated*)
    slope: float  # Gompertz slope per year of age
    male: float  # hazard ratio, men vs women
    hazard_ratios: dict[str, float]


CAUSES = (
    Cause("cancer", 0.00159, 0.035, 1.2, {"cancer": 45.0, "copd": 1.5}),
    Cause("circulatory", 0.00153, 0.07, 1.6,
          {"chd": 2.2, "heart_failure": 3.0, "stroke_tia": 2.0, "atrial_fibrillation": 1.5,
           "hypertension": 1.2, "diabetes": 1.6, "ckd": 1.5}),
    Cause("respiratory", 0.00148, 0.075, 1.2,
          {"copd": 7.0, "asthma": 1.5, "dementia": 2.0, "learning_disability": 3.0}),
    Cause("other", 0.00489, 0.08, 1.1,
          {"dementia": 5.0, "chronic_liver_disease": 12.0, "serious_mental_illness": 2.5,
           "learning_disability": 3.0, "epilepsy": 2.0, "parkinsons": 3.0, "ckd": 1.5,
           "diabetes": 1.3}),
)  # fmt: skip
EXTERNAL_DEATH = 0.00035  # yearly, ages 15–64: poisoning, falls, accidents, suicide
CHILD_DEATH = 0.00010  # yearly floor from 1 to 14
MORTALITY_DEPRIVATION = 0.932  # *calibrated*: log hazard ratio, most vs least deprived
MORTALITY_FRAILTY = 0.5  # exponent of personal propensity
CARE_HOME_MORTALITY = 2.0  # hazard ratio for care-home residents
MORTALITY_PLATEAU = 0.8
"""Late-life deceleration: a total hazard μ becomes μ·K/(K + μ), so very old people with
many conditions do not get hazards far above the oldest ages of a national life table."""


@dataclass(frozen=True)
class Service:
    """Yearly use of one service: age curve × long-term-condition ratio × morbidity."""

    scale: float  # *calibrated*
    ages: tuple[float, ...]
    curve: tuple[float, ...]  # relative rate at each age (linear between)
    ltc_ratio: float  # rate ratio with any long-term condition (*calibrated*)
    morbidity: float  # log rate per unit of morbidity score
    deprivation: float  # log rate ratio, most vs least deprived
    frailty: float  # exponent of personal propensity


AGES = (0, 1, 5, 15, 20, 30, 45, 65, 75, 85, 95)
EMERGENCY = Service(0.03855, AGES, (2.5, 0.9, 0.4, 0.5, 0.6, 0.5, 0.5, 0.7, 0.9, 1.1, 1.1),
                    ltc_ratio=3.35, morbidity=0.12, deprivation=0.5, frailty=1.3)  # fmt: skip
"""Emergency admissions other than readmissions (``READMISSION`` adds those). Its frailty
exponent is *calibrated* with the scale: readmissions fall on the frail, so the share of
people above 50% risk (seed 000, 4477) needs the propensity to weigh more in the rest."""
AE_OTHER = Service(0.397, AGES, (1.4, 1.0, 0.6, 0.9, 1.3, 1.0, 0.8, 0.8, 0.9, 1.3, 1.6),
                   ltc_ratio=1.12, morbidity=0.15, deprivation=0.5, frailty=0.8)  # fmt: skip
ELECTIVE = Service(0.06, AGES, (0.3, 0.2, 0.2, 0.3, 0.4, 0.5, 0.8, 1.4, 1.8, 1.4, 0.8),
                   ltc_ratio=3.35, morbidity=0.25, deprivation=0.0, frailty=0.3)  # fmt: skip
OUTPATIENT = Service(1.20, AGES, (1.0, 0.6, 0.5, 0.6, 0.7, 0.8, 1.0, 1.5, 1.8, 1.6, 1.2),
                     ltc_ratio=2.0, morbidity=0.15, deprivation=0.0, frailty=0.3)  # fmt: skip
GP = Service(2.86, AGES, (1.6, 1.1, 0.6, 0.6, 0.8, 0.9, 1.0, 1.3, 1.6, 1.9, 2.0),
             ltc_ratio=1.6, morbidity=0.12, deprivation=0.2, frailty=0.4)  # fmt: skip
COMMUNITY = Service(0.35, AGES, (0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3.0, 4.5),
                    ltc_ratio=1.68, morbidity=0.30, deprivation=0.2, frailty=0.5)  # fmt: skip
MENTAL_HEALTH = Service(0.04, AGES, (0.0, 0.0, 0.3, 1.0, 1.2, 1.0, 0.9, 0.7, 0.7, 0.8, 0.6),
                        ltc_ratio=1.0, morbidity=0.0, deprivation=0.4, frailty=0.5)  # fmt: skip
MENTAL_HEALTH_RATIOS = {"serious_mental_illness": 60.0, "depression": 8.0, "anxiety": 6.0,
                        "dementia": 10.0, "learning_disability": 15.0}  # fmt: skip
CARE_HOME_ADMISSIONS = 1.3  # rate ratio of emergency admission for care-home residents

# --- what happens around an emergency admission -----------------------------
AE_BEFORE_ADMISSION = 0.72  # emergency admissions arriving through A&E
TERMINAL_ADMISSION = 0.40  # deaths preceded by a final emergency admission (at home)
TERMINAL_ADMISSION_CARE_HOME = 0.15  # the same for care-home residents
SAME_DAY_EMERGENCY = 0.25  # emergency spells discharged the day they start
EMERGENCY_STAY_SHAPE = 0.203  # *calibrated*: gamma shape of length of stay (heavy tail)
DAY_CASE = 0.78  # elective spells that are day cases
CONDITION_ADMISSION = 0.15  # *calibrated*: admissions of people with a condition that are for it
COMPOSITE_WEIGHT = 0.42  # *calibrated*: relative weight of avoidable acute diagnoses
READMISSION = 0.138  # *calibrated*: chance a discharge home is followed by an emergency
# admission within 30 days, at mean frailty (England 12.5%-13.8%: targets.py)
READMISSION_FRAILTY = 0.5  # exponent of personal propensity
READMISSION_AFTER_ELECTIVE = 0.4  # rate ratio after a planned admission
READMISSION_DAYS = 10.0  # mean of the exponential delay from discharge (cut at 30 days)

# --- social care --------------------------------------------------------------
CARE_HOME_AT_START = 0.035  # share of 85-year-olds without dementia in a care home in 2014
CARE_HOME_ENTRY = 0.0066  # *calibrated*: yearly entry hazard at 80, no dementia
CARE_HOME_DEMENTIA = 5.0  # hazard ratio for dementia (diagnosed or not)
ENTRY_AT_DISCHARGE = 0.5  # entrants with an emergency spell that year who enter from it
NURSING_SHARE = 0.4
REABLEMENT_AFTER_DISCHARGE = 0.08  # emergency discharges of people 65+ into reablement
REABLEMENT_TO_CARE_HOME = 0.09  # *calibrated*: of those, entering a care home within 91 days
REABLEMENT_DAYS = 42
HOME_CARE = 0.25  # yearly hazard of a home-care episode at 85 with conditions
