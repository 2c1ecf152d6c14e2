"""Making Data Count variation and assurance icons, drawn as small inline SVGs.

Drawn here rather than shipped as images so they print sharply at any size,
need no files beside an HTML pack, and carry a text alternative (``<title>``
and ``aria-label``) for screen readers and for anyone printing in grey.
Colours are the NHS ones Making Data Count uses.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

IMPROVEMENT = "#41B6E6"  # NHS light blue
CONCERN = "#ED8B00"  # NHS orange
COMMON = "#A6A6A6"  # grey
NEUTRAL = "#490092"  # purple: special cause where neither direction is better

# key -> (colour, letter, arrow, text alternative)
VARIATION: dict[str, tuple[str, str, str, str]] = {
    "common_cause": (COMMON, "", "", "Common cause variation"),
    "improvement_high": (IMPROVEMENT, "H", "up", "Special cause: improvement (high values)"),
    "improvement_low": (IMPROVEMENT, "L", "down", "Special cause: improvement (low values)"),
    "concern_high": (CONCERN, "H", "up", "Special cause: concern (high values)"),
    "concern_low": (CONCERN, "L", "down", "Special cause: concern (low values)"),
    "neutral_high": (NEUTRAL, "H", "up", "Special cause: neither improvement nor concern (high)"),
    "neutral_low": (NEUTRAL, "L", "down", "Special cause: neither improvement nor concern (low)"),
}
ASSURANCE: dict[str, tuple[str, str, str]] = {
    "pass": (IMPROVEMENT, "P", "Assurance: consistently passing the target"),
    "fail": (CONCERN, "F", "Assurance: consistently failing the target"),
    "inconsistent": (COMMON, "?", "Assurance: hit and miss, the target lies within the limits"),
}
# placehealth.spc's assurance types (the reference's names) → the keys above
SPC_ASSURANCE = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "inconsistent",
}
NO_VARIATION = "Variation: too few points for an SPC chart"
NO_ASSURANCE = "Assurance: no target to assure against"


def _svg(label: str, body: str, size: int) -> Markup:
    text = escape(label)
    return Markup(
        f'<svg class="icon" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 24 24" role="img" aria-label="{text}"><title>{text}</title>{body}</svg>'
    )


def _ring(colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    return (
        f'<circle cx="12" cy="12" r="10.5" fill="#ffffff" stroke="{colour}" '
        f'stroke-width="2"{dash}/>'
    )


def _letter(colour: str, letter: str, *, x: float = 12, y: float = 16.5, size: int = 12) -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="middle" font-family="Liberation Sans, Arial, '
        f'sans-serif" font-weight="bold" font-size="{size}" fill="{colour}">{escape(letter)}</text>'
    )


def variation_icon(key: str | None, size: int = 22) -> Markup:
    """The variation icon for ``key`` (see ``VARIATION``); None: a dashed 'not enough data'."""
    if key is None:
        return _svg(NO_VARIATION, _ring(COMMON, dashed=True) + _letter(COMMON, "–"), size)
    colour, letter, arrow, label = VARIATION[key]
    if not letter:  # common cause: a level line of points
        dots = "".join(
            f'<circle cx="{x}" cy="{y}" r="1.6" fill="{colour}"/>'
            for x, y in ((6, 13), (9, 11), (12, 13.5), (15, 11), (18, 12.5))
        )
        return _svg(label, _ring(colour) + dots, size)
    # the letter on the left, an arrow for the direction on the right
    path = "M14.5 11 L17.5 5.5 L20.5 11 Z" if arrow == "up" else "M14.5 13 L17.5 18.5 L20.5 13 Z"
    body = _ring(colour) + _letter(colour, letter, x=9, y=16, size=11)
    body += f'<path d="{path}" fill="{colour}"/>'

    return _svg(label, body, size)


def assurance_icon(key: str | None, size: int = 22) -> Markup:
    """The assurance icon for ``key`` (see ``ASSURANCE``); None: a dashed 'no target'."""
    if key is None:
        return _svg(NO_ASSURANCE, _ring(COMMON, dashed=True) + _letter(COMMON, "–"), size)
    colour, letter, label = ASSURANCE[key]
    return _svg(label, _ring(colour) + _letter(colour, letter), size)


def variation_text(key: str | None) -> str:
    return NO_VARIATION if key is None else VARIATION[key][3]


def assurance_text(key: str | None) -> str:
    return NO_ASSURANCE if key is None else ASSURANCE[key][2]
