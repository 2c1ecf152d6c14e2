"""The indicator catalogue: what each indicator measures, its unit, polarity and codes."""

from placehealth.catalogue.load import load_catalogue
from placehealth.catalogue.model import Catalogue, FrameworkCode, Indicator, Polarity

__all__ = ["Catalogue", "FrameworkCode", "Indicator", "Polarity", "load_catalogue"]
