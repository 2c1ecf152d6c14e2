"""NHS numbers: the Modulus 11 check, vectorised, in numpy and in DuckDB SQL.

An NHS number is ten digits; the tenth is a check digit over the first nine
with weights 10 … 2: ``check = 11 − (Σ dᵢ·wᵢ mod 11)``, where 11 becomes 0 and
10 means the number is invalid (NHS Data Dictionary, "NHS NUMBER"). Numbers
starting 999 are reserved for testing and never issued, which is why synthetic
data uses them.

A number can pass the check and still name nobody: every repdigit
(0000000000, 1111111111, …) passes Modulus 11, and systems use them as
placeholders, so loading them would merge unrelated people into one. They are
refused, and so is the 999 test range unless the data is declared synthetic
(:func:`statuses`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

WEIGHTS = np.arange(10, 1, -1, dtype=np.int64)  # 10, 9, …, 2
TEST_RANGE_PREFIX = 999

OK = "ok"
INVALID = "invalid"
PLACEHOLDER = "placeholder"
TEST_RANGE = "test range"
REFUSED: dict[str, str] = {
    INVALID: "not a valid NHS number (10 digits with a Modulus 11 check digit)",
    PLACEHOLDER: "a placeholder NHS number (all ten digits the same), which would merge "
    "unrelated people into one",
    TEST_RANGE: "an NHS number from the 999 test range, never issued to a patient "
    "(load synthetic data with --synthetic)",
}
"""Why a number is refused, by its status."""


def normalise_sql(column: str) -> str:
    """SQL that drops spaces and hyphens ('943 476 5919' → '9434765919')."""
    return f"regexp_replace(trim(CAST({column} AS VARCHAR)), '[ -]', '', 'g')"


def valid_sql(column: str) -> str:
    """SQL that is true when ``column`` (already normalised) is a valid NHS number."""
    digits = [f"CAST(substr({column}, {i + 1}, 1) AS INTEGER)" for i in range(10)]
    total = " + ".join(f"{d} * {w}" for d, w in zip(digits[:9], WEIGHTS, strict=True))
    check = f"(11 - (({total}) % 11)) % 11"
    return (
        f"(regexp_full_match(coalesce({column}, ''), '[0-9]{{10}}') "
        f"AND CASE WHEN regexp_full_match(coalesce({column}, ''), '[0-9]{{10}}') "
        f"THEN {check} = {digits[9]} ELSE FALSE END)"
    )


def check_digits(first_nine: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Check digit of each nine-digit stem (as integers); 10 marks a stem with no valid number."""
    digits = (first_nine[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    return (11 - (digits @ WEIGHTS) % 11) % 11


def is_valid(numbers: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Modulus 11 check of each value (strings or integers; spaces and hyphens allowed)."""
    if np.size(numbers) == 0:
        return np.zeros(np.shape(numbers), dtype=bool)
    text = np.char.replace(np.char.replace(np.asarray(numbers, dtype=str), " ", ""), "-", "")
    shaped = (np.char.str_len(text) == 10) & np.char.isdigit(text)
    out = np.zeros(text.shape, dtype=bool)
    if shaped.any():
        values = text[shaped].astype(np.int64)
        out[shaped] = check_digits(values // 10) == values % 10
    return out


TEST_RANGE_CAPACITY = 909_090
"""Stems 999000000–999999999 with a valid check digit, less the placeholder 9999999999."""


def numbers_in_test_range(rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
    """``n`` distinct valid NHS numbers from the 999 test range, in random order, none of
    them a placeholder (9999999999 passes Modulus 11 but is refused at ingestion)."""
    if n > TEST_RANGE_CAPACITY:
        raise ValueError(f"the 999 test range holds only {TEST_RANGE_CAPACITY:,} valid numbers")
    stems = TEST_RANGE_PREFIX * 1_000_000 + rng.permutation(1_000_000).astype(np.int64)
    checks = check_digits(stems)
    keep = (checks != 10) & (stems != 999_999_999)
    numbers = stems[keep] * 10 + checks[keep]
    return numbers[:n]


def statuses(numbers: npt.ArrayLike, *, synthetic: bool = False) -> npt.NDArray[np.object_]:
    """The status of each (normalised) number: OK, or the key of its reason in :data:`REFUSED`.

    ``synthetic`` accepts the 999 test range (synthetic data uses nothing else).
    """
    text = np.asarray(numbers, dtype=str)
    out = np.full(text.shape, INVALID, dtype=object)
    valid = is_valid(text)
    out[valid] = OK
    if valid.any():
        placeholder = np.zeros(text.shape, dtype=bool)
        placeholder[valid] = np.char.count(text[valid], text[valid].astype("<U1")) == 10
        out[placeholder] = PLACEHOLDER
        if not synthetic:
            test = valid & ~placeholder & np.char.startswith(text, str(TEST_RANGE_PREFIX))
            out[test] = TEST_RANGE
    return out
