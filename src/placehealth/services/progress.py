"""How a service reports progress: one callback, the same for every job and interface.

A job calls ``progress(step, done, total)`` as it moves on: the step it has just
finished (a table, an indicator, a chart), how many steps are done and how many
there are in all (None while unknown). The CLI draws a bar from it; the web
application can stream it; a caller that passes nothing sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int | None], None]


def quiet(step: str, done: int, total: int | None) -> None:
    """The progress callback of a caller that wants none."""


def counted(progress: Progress | None, total: int | None) -> Callable[[str], None]:
    """A domain package's callback (one call per step done, named) that counts for ``progress``."""
    report = progress or quiet
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        report(name, done, total)

    return step
