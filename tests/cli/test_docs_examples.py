"""The README's and docs' examples run as written, from a fresh copy of the project.

A fenced shell block right after a line ``<!-- runnable -->`` (or
``<!-- runnable: slow -->`` for one that takes minutes) is run by bash in a new
folder holding a copy of README.md, docs/, examples/ and plans/, with no
placehealth settings in the environment. ``uv run`` and ``placehealth`` are the
project's own environment (this interpreter), so the blocks run as a user types them. Each
block stands alone: it may not rely on another block's files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COPIED = ("README.md", "docs", "examples", "plans")
MARK = re.compile(r"^<!--\s*runnable(?::\s*(slow))?\s*-->\s*$")
FENCE = re.compile(r"^```(sh|bash|shell)?\s*$")
UV = """#!/bin/sh
# `uv run placehealth ...` and `uv run python ...` in the environment under test
[ "$1" = run ] || { echo "only 'uv run' is available here" >&2; exit 64; }
shift
case "$1" in
  placehealth) shift; exec "$PLACEHEALTH_TEST_PYTHON" -m placehealth "$@" ;;
  python) shift; exec "$PLACEHEALTH_TEST_PYTHON" "$@" ;;
  *) exec "$@" ;;
esac
"""
PLACEHEALTH = '#!/bin/sh\nexec "$PLACEHEALTH_TEST_PYTHON" -m placehealth "$@"\n'


def runnable_blocks(path: Path) -> list[tuple[int, bool, str]]:
    """(line, slow, text) of every block marked runnable in one Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        mark = MARK.match(line.strip())
        if not mark:
            continue
        start = next(j for j in range(i + 1, len(lines)) if lines[j].strip())
        assert FENCE.match(lines[start].strip()), f"{path.name}:{i + 1}: no code block follows"
        end = next(j for j in range(start + 1, len(lines)) if lines[j].strip() == "```")
        found.append((start + 1, bool(mark.group(1)), "\n".join(lines[start + 1 : end])))
    return found


BLOCKS = [
    pytest.param(
        path,
        text,
        id=f"{path.relative_to(ROOT)}:{line}",
        marks=[pytest.mark.slow] if slow else [],
    )
    for path in DOCUMENTS
    for line, slow, text in runnable_blocks(path)
]


def _fresh_copy(tmp_path: Path) -> Path:
    clone = tmp_path / "placehealth"
    clone.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, clone / name)
        else:
            shutil.copy2(source, clone / name)
    return clone


def _environment(tmp_path: Path) -> dict[str, str]:
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "uv").write_text(UV)
    (shims / "placehealth").write_text(
        '#!/bin/sh\nexec "$PLACEHEALTH_TEST_PYTHON" -m placehealth "$@"\n'
    )
    for shim in shims.iterdir():
        shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACEHEALTH_")}
    env |= {
        "PATH": f"{shims}{os.pathsep}{env.get('PATH', '')}",
        "PLACEHEALTH_TEST_PYTHON": sys.executable,
        "COLUMNS": "200",
    }
    return env


@pytest.mark.parametrize(("document", "block"), BLOCKS)
def test_runnable_block_runs_as_written(document: Path, block: str, tmp_path: Path) -> None:
    clone = _fresh_copy(tmp_path)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=clone,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, (
        f"{document.name} block failed (exit {result.returncode}):\n{block}\n"
        f"--- stderr ---\n{result.stderr[-3000:]}\n--- stdout ---\n{result.stdout[-2000:]}"
    )


def test_the_readme_marks_its_examples_runnable() -> None:
    blocks = runnable_blocks(ROOT / "README.md")
    assert len(blocks) >= 2 and any(not slow for _, slow, _ in blocks)
    text = "\n".join(b for _, _, b in blocks)
    for name in ("actuals.csv", "deaths.csv", "admissions.csv", "optouts.csv"):
        assert f"examples/{name}" in text and (ROOT / "examples" / name).exists()


def test_the_readme_set_up_commands_are_unchanged() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        "```sh\n"
        "make demo   # install, then run the main job on the embedded default\n"
        "make test   # install, then run lint, type checks and the tests (what CI runs)\n"
        "```"
    ) in readme


def test_a_failing_block_fails(tmp_path: Path) -> None:
    """The runner itself: a command that fails stops the block with its exit code."""
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "uv run placehealth plan show no-such-plan\necho ok"],
        cwd=_fresh_copy(tmp_path),
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "ok" not in result.stdout
