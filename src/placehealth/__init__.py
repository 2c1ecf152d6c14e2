"""placehealth: planning, performance and population-health intelligence for a place."""

__version__ = "0.1.0"
