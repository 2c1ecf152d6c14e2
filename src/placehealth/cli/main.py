"""Entry point: builds the Typer app from each area's commands and prints user errors."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from placehealth import __version__
from placehealth.cli.crash import crash_summary, write_crash_report
from placehealth.errors import UserError
from placehealth.redact import mask_identifiers

app = typer.Typer(
    name="placehealth",
    help=(
        "Planning, performance and population-health intelligence for a place.\n\n"
        "Example: placehealth demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
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


def _register() -> None:
    # Each area owns one module with a `register(app)` function.
    from placehealth.cli import demo, indicators, ingest, phm, plan, report, spc, stats, synth

    for module in (plan, demo, stats, indicators, report, spc, ingest, synth, phm):
        module.register(app)


_register()


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
        report = write_crash_report(exc)
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
