"""Every command of the CLI, for tests that check all of them (option names, help, flags)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def command_tree() -> Iterator[tuple[str, Any]]:
    """('placehealth', the root), then every group and command by its path ('plan status').

    Groups load their commands on first use, so the walk asks each group for them
    (``list_commands``/``get_command``) rather than reading an attribute.
    """
    from typer.main import get_command

    from placehealth.cli.main import app

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        yield " ".join(path) or "placehealth", command
        if hasattr(command, "list_commands"):
            ctx = command.context_class(command)
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), (*path, name))

    yield from walk(get_command(app), ())


def leaf_commands() -> Iterator[tuple[str, Any]]:
    """Only the commands that run (not the groups)."""
    return ((name, c) for name, c in command_tree() if not hasattr(c, "list_commands"))
