"""A number as a document printed it: '(2.75)', '-£21,806', '7.27%', '1,318', 16.0.

The printed form is kept because it carries the precision the checker compares at
(``-1.50%`` has two decimals even though YAML would read 1.5 as one) and because a
test can then match it against the seed line character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from placehealth.plans.check.findings import decimals

_PRINTED = re.compile(r"^\s*(\()?\s*([-−])?\s*£?\s*([-−])?(\d[\d,]*(?:\.\d+)?)\s*%?\s*(\))?\s*$")


@dataclass(frozen=True)
class Printed:
    """A value and the number of decimals it was printed with."""

    value: float
    places: int
    text: str

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed digit: how far rounding may have moved it."""
        return 0.5 * 10.0 ** (-self.places)


def parse_printed(raw: object) -> Printed:
    """``raw`` (a YAML number or a printed string) as a :class:`Printed`; ValueError if it
    is not a number as a table prints one."""
    if isinstance(raw, bool):
        raise ValueError(f"'{raw}' is not a number")
    if isinstance(raw, int | float):
        return Printed(float(raw), decimals(raw), repr(raw))
    if not isinstance(raw, str) or not (m := _PRINTED.match(raw)):
        raise ValueError(
            f"'{raw}' is not a number as printed (write 714.8, '(2.75)', '-£21,806' or '7.27%')"
        )
    opening, sign, inner_sign, digits, closing = m.groups()
    if bool(opening) != bool(closing):
        raise ValueError(f"'{raw}' has an unmatched bracket")
    negative = bool(opening) ^ bool(sign or inner_sign)
    value = float(digits.replace(",", ""))
    places = len(digits.split(".")[1]) if "." in digits else 0
    return Printed(-value if negative else value, places, raw.strip())
