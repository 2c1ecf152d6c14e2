"""Disclosure control for every aggregate output: one publishing step (docs/disclosure.md)."""

from placehealth.publish.linked import Equations, Hierarchy, equations_for, protect
from placehealth.publish.published import Published, suppress_long, write
from placehealth.publish.rules import DISCLOSURE, HIGH, LOW, ROUND_TO

__all__ = [
    "DISCLOSURE",
    "HIGH",
    "LOW",
    "ROUND_TO",
    "Equations",
    "Hierarchy",
    "Published",
    "equations_for",
    "protect",
    "suppress_long",
    "write",
]
