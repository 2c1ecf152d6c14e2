"""The command line as a user meets it: help, version, errors as one line."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}  # wide tables, as in a normal terminal
    return subprocess.run(
        [sys.executable, "-m", "placehealth", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_help_lists_commands_with_an_example() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "plan" in result.stdout
    assert "Example" in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("placehealth ")


def test_missing_path_is_one_line_exit_2(tmp_path) -> None:
    result = run_cli("plan", "show", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "no such file or folder" in result.stderr
