"""No module names a place: only the place files and the synthetic generator may.

Everything particular to a place lives in its place file (src/placehealth/places/*.yaml);
the synthetic generator (src/placehealth/data/synth/) builds a stand-in for a place and
cites the seeds it is calibrated against. Any other module naming a place, even in a
docstring or a help example, is a constant waiting to be wrong for the next place.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "placehealth"
ALLOWED = (SRC / "places", SRC / "data" / "synth")
PLACE_NAMES = re.compile(r"liverpool", re.IGNORECASE)


def _offences(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if any(path.is_relative_to(allowed) for allowed in ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PLACE_NAMES.search(line):
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    return found


def test_no_module_outside_the_place_files_and_the_generator_names_liverpool() -> None:
    assert _offences(SRC) == []


def test_the_check_would_see_a_mention(tmp_path: Path) -> None:
    package = tmp_path / "placehealth"
    (package / "engine").mkdir(parents=True)
    (package / "engine" / "x.py").write_text('"""Rates for Liverpool."""\n', encoding="utf-8")
    assert _offences(package) == ['placehealth/engine/x.py:1: """Rates for Liverpool."""']
