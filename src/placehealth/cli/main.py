"""Entry point: builds the Typer app from each area's commands and prints user errors."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from placehealth import __version__
from placehealth.errors import UserError

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
    """Run the CLI; a UserError becomes one line on stderr and its exit code."""
    try:
        app(standalone_mode=False)
    except UserError as exc:
        err_console.print(f"[bold red]error:[/] {exc.render()}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        # click's own usage errors arrive here when standalone_mode is off.
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
