"""Shapes of clinical codes: ICD-10 codes and SNOMED CT identifiers.

A shape check catches typing and export errors (a truncated code, a SNOMED id
in an ICD-10 column, a digit dropped from an id) before any code list is asked
whether it knows the code. SNOMED CT ids carry a Verhoeff check digit and a
two-digit partition identifier (SNOMED CT Technical Implementation Guide,
"SCTID"); concept ids have partition 00 or 10.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from placehealth import icd10

ICD10_PATTERN = r"[A-Z][0-9]{2}(\.?[0-9X][0-9A-Z]?)?"
"""A letter, two digits, then optionally a fourth (and fifth) character: J44, J44.1, J441, W19X."""
SNOMED_PATTERN = r"[1-9][0-9]{5,17}"
CONCEPT_PARTITIONS = ("00", "10")

_ICD10 = re.compile(ICD10_PATTERN)

# Verhoeff tables: dihedral group D5 multiplication and the position permutation.
_D = np.array(
    [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]
)
_P = np.array(
    [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ]
)


def normalise_icd10(code: str) -> str:
    """The stored form: the clean code (:func:`placehealth.icd10.clean`) with the dot
    after the category, 'j441' → 'J44.1'."""
    clean = icd10.clean(code)
    return clean if len(clean) <= 3 else f"{clean[:3]}.{clean[3:]}"


def normalise_icd10_sql(column: str) -> str:
    """The same normalisation in DuckDB SQL."""
    clean = icd10.clean_sql(column)
    dotted = f"substr({clean}, 1, 3) || '.' || substr({clean}, 4)"
    return f"CASE WHEN length({clean}) <= 3 THEN {clean} ELSE {dotted} END"


def icd10_shape_sql(column: str) -> str:
    return f"regexp_full_match(upper(trim({column})), '{ICD10_PATTERN}')"


def is_icd10(codes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    return np.array([bool(_ICD10.fullmatch(str(c).strip().upper())) for c in np.ravel(codes)])


def verhoeff_valid(codes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Verhoeff check of each digit string, vectorised over codes (loop over digit positions)."""
    text = np.asarray(codes, dtype=str)
    if text.size == 0:
        return np.zeros(0, dtype=bool)
    digits_ok = np.char.isdigit(text)
    width = int(np.char.str_len(text).max())
    padded = np.char.zfill(np.where(digits_ok, text, "0"), width)
    raw = np.frombuffer(padded.astype(f"S{width}").tobytes(), dtype=np.uint8)
    matrix = raw.reshape(-1, width).astype(np.int64) - ord("0")
    lengths = np.char.str_len(text)
    check = np.zeros(text.size, dtype=np.int64)
    for i in range(width):  # position i counted from the right
        digit = matrix[:, width - 1 - i]
        step = _D[check, _P[i % 8, digit]]
        check = np.where(i < lengths, step, check)
    return digits_ok & (check == 0)


def is_snomed_concept(codes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Shape, partition identifier and Verhoeff check digit of SNOMED CT concept ids."""
    text = np.char.strip(np.asarray(codes, dtype=str))
    shaped = np.array([bool(re.fullmatch(SNOMED_PATTERN, t)) for t in text], dtype=bool)
    partition = np.array([t[-3:-1] in CONCEPT_PARTITIONS for t in text], dtype=bool)
    return shaped & partition & verhoeff_valid(text)
