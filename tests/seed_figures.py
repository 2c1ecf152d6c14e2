"""The figures the plans cite from the seed documents, kept without the documents' text.

The seed documents stay outside the repository (their text is not ours to copy).
What the tests need from them is kept in ``tests/seed-figures.json``: for every line
a plan, the catalogue or a test cites, the numbers printed on it, and each
document's SHA-256. Tests read the snapshot, so they run from a plain clone;
``tests/test_seed_figures.py`` rebuilds it from ``../shared/seeds`` where the
documents are present (CI) and fails if it differs.

Rebuild after citing a new line (documents needed)::

    python -m tests.seed_figures
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "seed-figures.json"
# a number as printed: a sign (not a hyphen inside a word or range), digits with thousands
# commas and decimals (or a section number, 2.1.1), and a percent sign
NUMBER = re.compile(r"(?:(?<![\w.,%])[-−])?\d(?:[\d,]*\d)?(?:\.\d+)*%?")
# a table cell that is a negative amount in brackets, "(2,000)", kept with its brackets
BRACKETED = r"(?<=\t)\(\d[\d,]*(?:\.\d+)?\)(?=\t|$)"
# a number written as a word ("the nine metrics", "5.5 million"), kept in lower case
WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|million|billion"
NUMBER_OR_WORD = re.compile(rf"{BRACKETED}|{NUMBER.pattern}|\b(?:{WORDS})\b", re.IGNORECASE)
RANGE = re.compile(r"^(\d+)(?:\s*[-–]\s*(\d+))?$")
# the test helpers whose literal calls cite lines too, and where their seed argument is
READERS = {"seed_figures": 0, "seed_quote": 1}


def figures(line: str) -> str:
    """The numbers printed on ``line`` (in figures or as words), in order, separated by spaces."""
    return " ".join(n.lower() for n in NUMBER_OR_WORD.findall(line))


def _lines(value: object) -> Iterator[int]:
    """Line numbers of a citation: ``1338``, ``"1333-1349"`` or ``[first, last]``."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, str) and (m := RANGE.match(value.strip())):
        first = int(m.group(1))
        yield from range(first, int(m.group(2) or first) + 1)
    elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        yield from range(value[0], value[1] + 1)


def _walk(node: Any, seed: str | None, out: dict[str, set[int]]) -> None:
    """Every ``src`` under a plan (its document's seed) and every ``source: {seed, lines}``."""
    if isinstance(node, dict):
        if isinstance(node.get("seed"), str) and "lines" in node:
            out.setdefault(node["seed"], set()).update(_lines(node["lines"]))
        for key, value in node.items():
            if key == "src" and seed is not None:
                out.setdefault(seed, set()).update(_lines(value))
            else:
                _walk(value, seed, out)
    elif isinstance(node, list):
        for item in node:
            _walk(item, seed, out)


def _test_citations(out: dict[str, set[int]]) -> None:
    """Literal calls ``seed_figures("002", 850)``, ``seed_figures(SEED, 131, 146)`` or
    ``seed_quote("117 infant deaths", "002", 850)`` in the tests."""
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id: n.value.value
            for n in tree.body
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in READERS):
                continue
            args = [
                a.value if isinstance(a, ast.Constant) else constants.get(getattr(a, "id", ""))
                for a in node.args[READERS[node.func.id] :]  # type: ignore[attr-defined]
            ]
            if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], int):
                last = args[2] if len(args) > 2 and isinstance(args[2], int) else args[1]
                out.setdefault(args[0], set()).update(range(args[1], last + 1))


def citations() -> dict[str, set[int]]:
    """Every seed line cited by the plans, the indicator catalogue, the synthetic
    population's calibration targets and the tests."""
    out: dict[str, set[int]] = {}
    for path in sorted((ROOT / "plans").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        seed = str(data.get("document", {}).get("seed")) if isinstance(data, dict) else None
        _walk(data, seed if seed and seed != "None" else None, out)
    for path in sorted((ROOT / "src" / "placehealth" / "catalogue" / "data").glob("*.yaml")):
        _walk(yaml.safe_load(path.read_text(encoding="utf-8")), None, out)
    _test_citations(out)
    _calibration_citations(out)
    return out


def _calibration_citations(out: dict[str, set[int]]) -> None:
    """The synthetic population's calibration targets: ``seed`` as "000, 4711; 002, 145"."""
    from placehealth.data.synth.targets import TARGETS

    for target in TARGETS:
        for part in target.seed.split(";"):
            seed, *lines = (p.strip() for p in part.split(","))
            out.setdefault(seed, set()).update(int(n) for n in lines)


def build(seeds: Path) -> dict[str, Any]:
    """The snapshot, made from the documents in ``seeds``."""
    snapshot: dict[str, Any] = {
        "about": "Numbers printed on each seed line the plans, catalogue and tests cite, and "
        "each document's SHA-256; the documents' text is not kept (tests/seed_figures.py).",
        "seeds": {},
    }
    for seed, wanted in sorted(citations().items()):
        (path,) = sorted(seeds.glob(f"{seed}_*.txt"))
        data = path.read_bytes()
        lines = data.decode("utf-8").splitlines()
        beyond = sorted(n for n in wanted if not 1 <= n <= len(lines))
        if beyond:
            raise ValueError(f"seed {seed} has {len(lines)} lines; cited beyond it: {beyond[:5]}")
        snapshot["seeds"][seed] = {
            "file": path.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "lines_in_document": len(lines),
            "lines": {str(n): figures(lines[n - 1]) for n in sorted(wanted)},
        }
    return snapshot


def dumps(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n"


def load() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return result


if __name__ == "__main__":
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"
    SNAPSHOT.write_text(dumps(build(seeds)), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
