"""Population health management: frailty, small-number suppression, concentration, allocation."""

from placehealth.phm.frailty import efi, efi_deficits, hfrs, hfrs_table
from placehealth.phm.suppression import (
    blank_derived,
    suppress_frame,
    suppress_series,
    suppress_table,
)

__all__ = [
    "blank_derived",
    "efi",
    "efi_deficits",
    "hfrs",
    "hfrs_table",
    "suppress_frame",
    "suppress_series",
    "suppress_table",
]
