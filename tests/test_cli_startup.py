"""The command line starts at once: help never imports the data libraries or the engines.

``placehealth --help`` lists the commands from ``COMMANDS`` in cli/main.py without
importing their modules; a command's own ``--help`` imports its module, which keeps
pandas, DuckDB, the engines and the rest inside the functions that use them. Timings
are in benchmarks/bench_cli.py (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from typer.main import get_command

from placehealth.cli.main import COMMANDS, app, load_command

# What a --help must not import: each costs from a tenth of a second to seconds.
HEAVY = (
    "pandas", "numpy", "scipy", "duckdb", "pyarrow", "narwhals", "altair", "sklearn",
    "pydantic", "yaml", "openpyxl", "weasyprint", "vl_convert", "jinja2", "pyspark",
)  # fmt: skip

PROBE = """
import json, sys
words, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["placehealth", *words]
from placehealth.cli.main import run
try:
    run()
finally:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy
                    or m.startswith("placehealth.cli."))
    sys.stderr.write("\\nMODULES " + json.dumps(loaded) + "\\n")
"""


def command_paths() -> Iterator[list[str]]:
    """Every command and group, as the words typed after ``placehealth``."""
    root = get_command(app)

    def walk(command, path):  # type: ignore[no-untyped-def]
        ctx = command.context_class(command, info_name=" ".join(path) or "placehealth")
        names = command.list_commands(ctx) if hasattr(command, "list_commands") else []
        for name in names:
            sub = command.get_command(ctx, name)
            yield [*path, name]
            yield from walk(sub, [*path, name])

    yield from walk(root, [])


def help_in_new_process(*words: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """``placehealth WORDS --help`` in a fresh interpreter, and the modules it imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([*words, "--help"]), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "120"},
    )
    marker = result.stderr.rsplit("MODULES ", 1)
    modules = json.loads(marker[1]) if len(marker) == 2 else ["<probe failed>"]
    return result, modules


PATHS = [" ".join(path) for path in command_paths()]


def test_every_top_level_command_is_reached() -> None:
    assert [p for p in PATHS if " " not in p] == list(COMMANDS)
    assert len(PATHS) > len(COMMANDS)  # and the commands under the groups


def test_top_level_help_lists_every_command_without_importing_any() -> None:
    result, modules = help_in_new_process()
    assert result.returncode == 0, result.stderr
    for name in COMMANDS:
        assert f" {name} " in result.stdout
    assert modules == ["placehealth.cli.main"]


@pytest.mark.parametrize("path", PATHS)
def test_help_of_every_command_works_without_the_data_libraries(path: str) -> None:
    result, modules = help_in_new_process(*path.split())
    assert result.returncode == 0, result.stderr
    assert "Usage: placehealth " + path in " ".join(result.stdout.split())
    assert [m for m in modules if not m.startswith("placehealth.")] == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_line_is_the_first_line_of_the_command_help(name: str) -> None:
    """The line ``placehealth --help`` shows for a command is its own help's first paragraph."""
    command = load_command(name)
    first = (command.help or "").split("\n\n")[0]
    assert " ".join(first.split()) == COMMANDS[name][1]


def test_each_module_registers_exactly_the_commands_listed_for_it() -> None:
    import importlib

    import typer

    for module in sorted({m for m, _ in COMMANDS.values()}):
        holder = typer.Typer()
        importlib.import_module(module).register(holder)
        registered = set(typer.main.get_group(holder).commands)
        assert registered == {n for n, (m, _) in COMMANDS.items() if m == module}, module


def test_a_command_not_yet_loaded_runs_as_before() -> None:
    """Loading on first use changes nothing a user sees: an unknown command is still refused."""
    result, _ = help_in_new_process("no-such-command")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_spc_help_gives_the_default_fewest_points_of_the_rules() -> None:
    """``--min-points`` defaults to the rules' own minimum, named in the help without pandas."""
    from placehealth.spc import MIN_POINTS

    result, _ = help_in_new_process("spc")
    assert f"default: {MIN_POINTS}," in " ".join(result.stdout.split())
