"""Entry point: the Typer app, whose commands load only when used, and how errors print.

The app starts at once: a command's module (and pandas, DuckDB, the engines behind
it) is imported only when that command runs or shows its help. ``placehealth
--help`` lists every command from :data:`COMMANDS` without importing any of them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import PurePath
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from placehealth import __version__
from placehealth.crash import crash_summary, record_crash
from placehealth.errors import UserError
from placehealth.redact import mask_identifiers

if TYPE_CHECKING:  # typer's own copy of click
    from typer import _click as click

# Each top-level command: the module whose ``register(app)`` adds it, and the line
# ``placehealth --help`` shows for it (its help's first line: tests/test_cli_startup.py).
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "placehealth.cli.demo",
        "Run the main job: plans, a synthetic place's warehouse, its indicators, board packs.",
    ),
    "spc": (
        "placehealth.cli.spc",
        "XmR chart columns for every series: mean, limits, special causes and icons.",
    ),
    "ingest": (
        "placehealth.cli.ingest",
        "Validate, pseudonymise and load CSV or Parquet extracts in one transaction.",
    ),
    "optout": (
        "placehealth.cli.ingest",
        "Remove people everywhere (national data opt-out) and refuse them in later loads.",
    ),
    "plan": (
        "placehealth.cli.plan",
        "Plans as code: show ambitions, check their arithmetic, track status.",
    ),
    "finance": (
        "placehealth.cli.finance",
        "Financial tables kept as data: printed values beside recomputed ones.",
    ),
    "bcf": (
        "placehealth.cli.bcf",
        "Better Care Fund plans: the pool, national conditions and payment for performance.",
    ),
    "risks": (
        "placehealth.cli.risks",
        "Risk registers: scores, rating bands, flags and a likelihood × consequence heat map.",
    ),
    "activity": (
        "placehealth.cli.activity",
        "Activity plans and demand: provider tables checked, demand projected with ranges.",
    ),
    "stats": (
        "placehealth.cli.stats",
        "Indicator statistics to the public-health (PHE/Fingertips) standard.",
    ),
    "indicators": ("placehealth.cli.indicators", "Indicators computed from the warehouse."),
    "chart": (
        "placehealth.cli.chart",
        "Draw one chart of indicator values: overview, compare, trend, inequality or map.",
    ),
    "report": (
        "placehealth.cli.report",
        "Board packs and exception reports (HTML, PDF, CSV) from plans and actuals.",
    ),
    "synth": (
        "placehealth.cli.synth",
        "Generate five financial years (2014/15–2018/19) of a synthetic place.",
    ),
    "phm": (
        "placehealth.cli.phm",
        "Population health management: segments, frailty, risk of emergency admission, "
        "case finding.",
    ),
    "serve": (
        "placehealth.cli.serve",
        "Start the web site over a run's outputs (the demo's by default), printing its address.",
    ),
    "site": ("placehealth.cli.serve", "The web site's database and accounts."),
}
MARKUP = None  # plain help: Typer's rich help alone would double the start-up time


def load_command(name: str) -> click.Command:
    """The click command ``name``, built by importing its module and calling its ``register``."""
    holder = typer.Typer(rich_markup_mode=MARKUP)
    importlib.import_module(COMMANDS[name][0]).register(holder)
    return typer.main.get_group(holder).commands[name]


class _Unset:
    """Reads an option left unset (its default) without Typer's pydantic adapter.

    Typer builds a pydantic ``TypeAdapter`` for every parameter it reads, unset
    ones included (``--help`` not given, a group's options when a subcommand's help
    is asked for), and importing pydantic alone would take most of the start-up
    time. An unset option keeps its default, already of the option's type; a value
    that was given is handed to Typer's own coercion, as before.
    """

    def coerce(self, value: object, param: click.Parameter, ctx: click.Context) -> object:
        if value is None or _is_own_default(param, value):
            return value
        setattr(param, "_runtime_param", None)  # noqa: B010 - Typer's own, typed otherwise
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)  # type: ignore[attr-defined]


def _is_own_default(param: click.Parameter, value: object) -> bool:
    """``value`` is ``param``'s default and already of its annotated type."""
    kind = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if value is not param.default or not isinstance(kind, type):
        return False
    return type(value) is kind or (issubclass(kind, PurePath) and isinstance(value, kind))


def light_defaults(command: click.Command, ctx: click.Context) -> None:
    """Give ``command``'s parameters, and those of the commands under it, :class:`_Unset`."""
    for param in command.get_params(ctx):
        if getattr(param, "_runtime_param", False) is None:
            setattr(param, "_runtime_param", _Unset())  # noqa: B010
    for sub in getattr(command, "commands", {}).values():
        light_defaults(sub, ctx)


class LazyGroup(TyperGroup):
    """A group that imports a command's module only when the command is used.

    While the group's own help is written, a command not yet loaded is listed by
    its line in :data:`COMMANDS` alone.
    """

    listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            if self.listing:
                return TyperCommand(cmd_name, short_help=COMMANDS[cmd_name][1])
            self.commands[cmd_name] = command = load_command(cmd_name)
            light_defaults(command, ctx)
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        light_defaults(self, ctx)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(
    name="placehealth",
    cls=LazyGroup,
    help=(
        "Planning, performance and population-health intelligence for a place.\n\n"
        "Example: placehealth demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=MARKUP,
)
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"placehealth {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Planning, performance and population-health intelligence for a place."""


def run() -> None:
    """Run the CLI: usage errors exit 2 with the usage, user errors print one line, bugs a report.

    Nothing reaches the terminal as a traceback: an unexpected error prints one
    line and the path of a crash report (owner-only, identifiers masked).
    """
    try:
        code = app(standalone_mode=False)  # a command's typer.Exit(n) comes back as n
    except UserError as exc:
        err_console.print(
            f"[bold red]error:[/] {mask_identifiers(exc.render())}", highlight=False, soft_wrap=True
        )
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except typer.TyperException as exc:  # usage errors: bad option, bad value, missing argument
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:
        report = record_crash(exc)
        where = f"; the full report is in {report}" if report else ""
        err_console.print(
            f"[bold red]internal error:[/] {mask_identifiers(crash_summary(exc))}{where}. "
            "This is a fault in placehealth, not in your input; please report it.",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(70)  # EX_SOFTWARE
    if isinstance(code, int) and code:
        sys.exit(code)
