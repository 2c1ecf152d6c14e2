"""Shared fixtures: reference data paths, and a ban on the global random generators.

Reference figures (tests/reference-data) are in the repository. The seed documents are
not (../shared/seeds, or $PLACEHEALTH_SHARED/seeds): tests read the numbers printed on
the lines they cite from the snapshot tests/seed-figures.json (``seed_figures``,
``seed_quote``), and only the documents check (tests/test_seed_figures.py, with the
wording checks of tests/seed_wording.py) reads the documents' text.
"""

from __future__ import annotations

import functools
import os
import random
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(
    os.environ.get("PLACEHEALTH_SHARED") or ROOT.parent / "shared"
)  # mutation runs copy tests
REFERENCE = ROOT / "tests" / "reference-data"  # published reference figures, with provenance
SEEDS = SHARED / "seeds"


def shared_file(relative: str) -> Path:
    """A file under ../shared; missing is a failure under CI and a skip elsewhere."""
    path = SHARED / relative
    if not path.exists():
        missing_outside_ci(
            f"shared file missing: {path} (the seed documents are kept outside the repository; "
            "CI has them at ../shared)"
        )
    return path


def missing_outside_ci(message: str) -> None:
    """Something a test needs is not here: a failure under CI (CI=true), a skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def reference_file(relative: str) -> Path:
    """A file of reference figures kept with the tests (tests/reference-data)."""
    path = REFERENCE / relative
    assert path.exists(), f"reference file missing from the repository: {path}"
    return path


@functools.cache
def _seed_snapshot() -> dict[str, Any]:
    from tests.seed_figures import load

    return load()["seeds"]  # type: ignore[no-any-return]


def seed_figures(seed: str, first: int, last: int | None = None) -> str:
    """The numbers printed on lines ``first``–``last`` of seed ``seed``: a line of them for
    each line, from the snapshot tests/seed-figures.json (no document needed)."""
    cited = _seed_snapshot()[seed]["lines"]
    numbers = range(first, (last or first) + 1)
    missing = [n for n in numbers if str(n) not in cited]
    if missing:
        pytest.fail(
            f"seed {seed} lines {missing} are not in tests/seed-figures.json: cite them in a "
            "plan, or call seed_figures with literal arguments, then rebuild it with "
            "`python -m tests.seed_figures` where ../shared/seeds is present"
        )
    return "\n".join(cited[str(n)] for n in numbers)


class WordsNotChecked(UserWarning):
    """A quotation's words were not compared with its document: the documents are not here."""


def seed_quote(
    phrase: str, seed: str, first: int, last: int | None = None, *, flat: bool = False
) -> bool:
    """``phrase`` is printed on lines ``first``–``last`` of seed ``seed`` (``flat``: with
    whitespace collapsed and case ignored, as extracted tables break lines).

    Its numbers are checked against the snapshot everywhere; its words against the
    document's text where the documents are (CI: their absence is a failure). On a
    plain clone the words are left unchecked with a warning, never silently.
    """
    from tests.seed_figures import figures

    def numbers(text: str) -> set[str]:
        return {n.rstrip("%") for n in figures(text).split()}

    missing = sorted(numbers(phrase) - numbers(seed_figures(seed, first, last)))
    assert not missing, f"{missing} of {phrase!r} not printed on seed {seed} {first}–{last}"
    if SEEDS.is_dir() or os.environ.get("CI") == "true":
        text = seed_lines(seed, first, last)
        if flat:
            phrase, text = " ".join(phrase.split()).lower(), " ".join(text.split()).lower()
        assert phrase in text, f"{phrase!r} not on seed {seed} lines {first}–{last}"
    else:
        warnings.warn(
            WordsNotChecked(
                "quotations of the seed documents: numbers checked against "
                "tests/seed-figures.json, words not (../shared/seeds is not here)"
            ),
            stacklevel=2,
        )
    return True


def seed_lines(seed: str, first: int, last: int | None = None) -> str:
    """The text of lines ``first``–``last`` of seed ``seed`` (e.g. '000'), 1-based: for the
    documents check and ``seed_quote`` only, as a plain clone does not have the text."""
    matches = sorted(SEEDS.glob(f"{seed}_*.txt"))
    path = shared_file(f"seeds/{matches[0].name}") if matches else shared_file(f"seeds/{seed}")
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[first - 1 : (last or first)])


@pytest.fixture(autouse=True)
def _no_global_random(monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic data and simulations must draw from a seeded Generator, never globals."""

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("use a seeded numpy Generator, not the global random state")

    for name in ("random", "randint", "choice", "shuffle", "uniform", "gauss"):
        monkeypatch.setattr(random, name, forbidden)
    for name in ("rand", "randn", "randint", "random", "choice", "shuffle", "normal"):
        monkeypatch.setattr(np.random, name, forbidden)


@pytest.fixture(autouse=True)
def _wide_console() -> None:
    """Commands run in-process print to a fixed-width console: make it as wide as a terminal."""
    from placehealth.cli.main import err_console
    from placehealth.cli.options import console

    console.width = 200
    err_console.width = 200
