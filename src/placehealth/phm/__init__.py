"""Population health management: frailty, small-number suppression, concentration, allocation."""

from placehealth.phm.allocation import (
    activity_need,
    allocate,
    combine_need,
    deprivation_need,
)
from placehealth.phm.concentration import (
    concentration,
    gini,
    lorenz,
    people_share,
    top_share,
)
from placehealth.phm.frailty import efi, efi_deficits, hfrs, hfrs_table
from placehealth.publish.suppression import (
    blank_derived,
    suppress_frame,
    suppress_series,
    suppress_table,
)

__all__ = [
    "activity_need",
    "allocate",
    "blank_derived",
    "combine_need",
    "concentration",
    "deprivation_need",
    "efi",
    "efi_deficits",
    "gini",
    "hfrs",
    "hfrs_table",
    "lorenz",
    "people_share",
    "suppress_frame",
    "suppress_series",
    "suppress_table",
    "top_share",
]
