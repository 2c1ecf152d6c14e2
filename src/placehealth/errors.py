"""User-facing errors.

Anything a user can cause (a bad file, a bad option, an inconsistent plan)
raises a :class:`UserError`. The CLI prints it as one line, without a
traceback, and exits with the error's ``exit_code``; the web layer maps the
same classes to HTTP errors. Internal errors (bugs) are not caught and keep
their traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        """One line: where, what, and how to fix it."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        parts = []
        if where:
            parts.append(where)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        text = (", ".join(parts) + ": " if parts else "") + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputFileError(UserError):
    """A file cannot be read or has the wrong shape."""


class ValidationError(UserError):
    """Values are present but wrong (non-numeric, out of range, out of order)."""


class ConfigurationError(UserError):
    """A missing key, setting or option that the command needs."""


class AccessDenied(UserError):
    """The user's role does not allow this (identifiable data, another neighbourhood)."""

    exit_code = 3
