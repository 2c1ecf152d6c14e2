"""Masking identifiers in text that leaves the program (messages, reports, logs).

A value from a user's file can end up inside an error message (a database's
conversion error quotes the value; a headerless file's first row becomes its
header). Anything ten digits long, written as an NHS number can be (plain, or
3-3-4 with spaces or hyphens), is masked before it is printed or written, so a
raw NHS number never reaches a terminal, a log or a report.
"""

from __future__ import annotations

import re

MASK = "[NHS number removed]"
# Ten digits not part of a longer number, optionally grouped 3-3-4 by one space or hyphen.
NHS_NUMBER_SHAPE = re.compile(r"(?<![0-9])[0-9]{3}([ -]?)[0-9]{3}\1[0-9]{4}(?![0-9])")


def mask_identifiers(text: str) -> str:
    """``text`` with every NHS-number-shaped run of digits replaced by a marker."""
    return NHS_NUMBER_SHAPE.sub(MASK, text)
