"""The facts the seeds give about Liverpool, which the synthetic population must reproduce.

Each target names its seed file and lines; where the seed line names a measure but
prints no figure for it, the figure is a published one for England, named in
``published``. Counts are for a population of 500,000 and scale with the number of
persons generated; rates, shares and years do not. A target given as a range (the
life-expectancy gap: "eight years" in seed 002, "11-year difference" in seed 000) is
met anywhere in it.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACE = "liverpool"
"""The place file whose seeds these facts are (Liverpool's, seeds 000-003)."""
FULL_SCALE = 500_000
TOLERANCE = 0.10


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    low: float
    high: float  # equal to low unless the seeds give a range
    unit: str
    seed: str  # "002, 186"
    scales: bool  # a count that grows with the population
    definition: str
    published: str = ""  # where the figure is printed when the seed line gives none

    def at(self, persons: int) -> tuple[float, float]:
        factor = persons / FULL_SCALE if self.scales else 1.0
        return self.low * factor, self.high * factor

    def within(self, value: float, persons: int, slack: float = 0.0) -> bool:
        """Inside the target ±10% (plus ``slack``, a relative allowance for sampling noise)."""
        low, high = self.at(persons)
        margin = TOLERANCE + slack
        return low * (1 - margin) <= value <= high * (1 + margin)


def _t(id: str, name: str, value: float | tuple[float, float], unit: str, seed: str,
       definition: str, *, scales: bool = False, published: str = "") -> Target:  # fmt: skip
    low, high = value if isinstance(value, tuple) else (value, value)
    return Target(id, name, low, high, unit, seed, scales, definition, published)


TARGETS: tuple[Target, ...] = (
    _t("registered", "Registered patients", 497_356, "people", "000, 5001",
       "alive and registered on 30 September 2014", scales=True),
    _t("practices", "GP practices", 86, "practices", "002, 41", "practices with patients"),
    _t("pcns", "Primary Care Networks", 11, "PCNs", "002, 41", "PCNs of those practices"),
    _t("neighbourhoods", "Neighbourhoods", 12, "neighbourhoods", "002, 41",
       "neighbourhoods where patients live"),
    _t("life_expectancy", "Life expectancy at birth", 78.2, "years", "002, 143",
       "persons, Chiang II abridged life table, calendar years 2015–17"),
    _t("le_gap", "Life expectancy gap, most vs least deprived", (8.0, 11.0), "years",
       "002, 145; 000, 586",
       "most minus least deprived fifth of the city (LSOAs ranked by IMD score), 2015–17"),
    _t("ltc_prevalence", "People with a long-term condition", 45.0, "%", "002, 186",
       "engine indicator ltc-prevalence: condition recorded by 30 September, five years pooled"),
    _t("ltc_ae", "A&E attendances by people with an LTC", 60.0, "%", "002, 186",
       "condition recorded by the day of the event"),
    _t("ltc_admissions", "Hospital admissions by people with an LTC", 85.0, "%", "002, 186",
       "all spells, elective and emergency"),
    _t("ltc_community", "Community contacts by people with an LTC", 91.0, "%", "002, 186",
       "community health contacts"),
    _t("bed_days", "Bed-days held by the top 11% of inpatients", 74.0, "%", "002, 184",
       "patients with a spell in the year ranked by bed-days; mean of five years"),
    _t("ae_per_year", "A&E attendances a year", 277_594, "attendances", "001, 2468",
       "mean of five financial years", scales=True),
    _t("emergency_per_year", "Emergency admissions a year", 53_828, "admissions",
       "001, 2471", "mean of five financial years", scales=True),
    _t("gp_per_year", "GP consultations a year", 2_100_000, "consultations", "001, 2464",
       "mean of five financial years", scales=True),
    _t("avoidable_admissions", "Avoidable emergency admissions (composite)", 2630.3,
       "per 100,000", "000, 1426, 1484",
       "engine indicator emergency-admissions-composite (DSR, ESP2013), mean of five years"),
    _t("hip_fractures_65", "Hip fractures, 65+", (558.0, 589.0), "per 100,000", "001, 4325",
       "engine indicator hip-fractures-65 (emergency admissions for S72.0-S72.2 at 65+, DSR, "
       "ESP2013 bands 65-69 to 90+), mean of five years. The seed line names the aim (reduce "
       "hip fractures in people aged 65 and over) but prints no rate: the target is England's "
       "over the years simulated",
       published="OHID Fingertips, Public Health Outcomes Framework 4.14i 'Hip fractures in "
       "people aged 65 and over' (indicator 41401), England: 589 per 100,000 in 2015/16 "
       "(quoted by Shropshire Council, shropshireperformance.inphase.com/Detail/238_2141) and "
       "558 in 2018/19 (quoted by Active Black Country, activeblackcountry.co.uk, 'Hip "
       "Fractures in People aged 65+; 2018-19', source fingertips.phe.org.uk/profile/msk)"),
    _t("readmissions_30_days", "Emergency readmissions within 30 days", (12.4, 13.7),
       "% of discharges", "004, 606",
       "engine indicator emergency-readmissions-30-days (NHS Outcomes Framework 3b as the "
       "catalogue defines it: discharges followed by an emergency admission on days 0-29), "
       "the five financial years pooled. Seed 004 prints Sefton's two CCGs, April-November "
       "2013 ('per 100,000', read as percentages as the catalogue does); England's rate lies "
       "in the same range",
       published="NHS Digital, 'Emergency readmissions published for first time in five "
       "years' (21 March 2019, digital.nhs.uk/news/2019): England 12.5% in 2013/14 and "
       "13.8% in 2017/18"),
    _t("premature_cancer", "Premature mortality: cancer", 153.0, "per 100,000",
       "002, 834",
       "engine indicator premature-mortality-cancer (DSR, ESP2013 under-75 bands), 2015–17; "
       "153.0 is inferred: 127 is 17% below the forecast"),
    _t("premature_circulatory", "Premature mortality: circulatory", 61.1, "per 100,000",
       "002, 840",
       "engine indicator premature-mortality-circulatory (DSR, ESP2013 under-75 bands), "
       "2015–17; 61.1 is inferred: 58 is 5% below the forecast"),
    _t("premature_respiratory", "Premature mortality: respiratory", 66.0, "per 100,000",
       "002, 846",
       "engine indicator premature-mortality-respiratory (DSR, ESP2013 under-75 bands), 2015–17"),
    _t("infant_deaths", "Infant deaths a year", 39.0, "deaths", "002, 850",
       "117 in 2015–17: engine indicator infant-deaths, mean of 2015, 2016 and 2017",
       scales=True),
    _t("care_home_admissions", "Permanent care-home admissions, 65+", 771.7, "per 100,000",
       "000, 4711",
       "engine indicator care-home-admissions-65: first residential or nursing episode at 65+ "
       "per 100,000 aged 65+, five years pooled"),
    _t("reablement", "At home 91 days after reablement, 65+", 79.7, "%", "000, 4715",
       "engine indicator reablement-91-days (ASCOF 2B(i): October–December discharges into "
       "reablement within 7 days; alive, not in a care home or hospital), five years pooled"),
    _t("dementia_diagnosis", "Dementia diagnosis rate", 54.5, "% of expected",
       "000, 4767",
       "engine indicator dementia-diagnosis: recorded dementia 65+ / expected from Dementia UK "
       "prevalence, five years pooled"),
    _t("high_risk", "People above 50% risk of emergency admission", 0.98, "%",
       "000, 4477", "true yearly probability > 0.5 (truth file), person-years"),
)  # fmt: skip
BY_ID = {t.id: t for t in TARGETS}
