"""The command line as a user meets it: help, version, errors as one line."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from placehealth.cli.main import run


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Result:
    """Run ``placehealth ARGS`` in this process, as the console script would (fast)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    argv = sys.argv
    sys.argv = ["placehealth", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``placehealth ARGS`` in a new process, exactly as a user does."""
    env = {**os.environ, "COLUMNS": "200"}  # wide tables, as in a normal terminal
    return subprocess.run(
        [sys.executable, "-m", "placehealth", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_help_lists_commands_with_an_example() -> None:
    result = run_process("--help")
    assert result.returncode == 0
    assert "plan" in result.stdout
    assert "Example" in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("placehealth ")


def test_a_user_error_is_one_line_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    result = run_process("plan", "show", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "no such file or folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_command_has_help_with_an_example() -> None:
    from typer.main import get_command

    from placehealth.cli.main import app

    def walk(command, path):  # type: ignore[no-untyped-def]
        if hasattr(command, "list_commands"):  # a group: its commands load on first use
            ctx = command.context_class(command)
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])
        else:
            yield path, command

    commands = list(walk(get_command(app), []))
    missing = [" ".join(p) for p, command in commands if "Example" not in (command.help or "")]
    assert missing == []
    assert len(commands) > 20  # every command, under every group
