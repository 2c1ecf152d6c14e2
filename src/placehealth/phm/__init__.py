"""Population health management: frailty, small-number suppression, concentration, allocation."""

from placehealth.phm.frailty import efi, efi_deficits, hfrs, hfrs_table

__all__ = ["efi", "efi_deficits", "hfrs", "hfrs_table"]
