"""Print the mutation score of each part from a mutmut run (``make mutation``).

A part is a module (``placehealth.spc.xmr``) or a function in it
(``placehealth.spc.xmr.x__icons``). Reads mutmut's per-file results under
``mutants/`` and prints, per part:
killed, timed out, survived, no tests, score = (killed + timed out) / checked, and
the name of every surviving mutant (``uv run mutmut show NAME`` shows its diff);
then one total line per package (``spc``, ``stats``) over the parts given.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path("mutants/src")


def meta_file(part: str) -> Path | None:
    """The results file of the module that holds ``part``."""
    names = part.split(".")
    for end in range(len(names), 0, -1):
        meta = ROOT.joinpath(*names[:end]).with_suffix(".py.meta")
        if meta.exists():
            return meta
    return None


def line(label: str, status: dict[str, str]) -> str:
    """``label: score% of N checked mutants caught (killed …, timeout …, …)``."""
    count = Counter(status.values())
    caught = count["killed"] + count["timeout"] + count["caught by type check"]
    checked = caught + count["survived"] + count["suspicious"] + count["segfault"]
    score = 100 * caught / checked if checked else float("nan")
    return (
        f"{label}: {score:.1f}% of {checked} checked mutants caught "
        f"(killed {count['killed']}, timeout {count['timeout']}, survived "
        f"{count['survived']}, no tests {count['no tests']}, not checked "
        f"{count['not checked']})"
    )


def main(parts: list[str]) -> int:
    packages: dict[str, dict[str, str]] = {}
    for module in parts:
        meta = meta_file(module)
        if meta is None:
            print(f"{module}: not run")
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        status = {
            name: status_by_exit_code[code]
            for name, code in codes.items()
            if fnmatch(name, module + "*")
        }
        print(line(module, status))
        for name in sorted(n for n, s in status.items() if s in ("survived", "suspicious")):
            print(f"    survived: {name}")
        packages.setdefault(module.split(".")[1], {}).update(status)
    for package, status in packages.items():
        print(line(f"total {package}/ (the parts above)", status))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
