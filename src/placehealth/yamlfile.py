"""Loading YAML into pydantic models with errors that name the file and line.

PyYAML reports syntax errors with a position; pydantic reports a path inside
the document. To turn that path into a line we compose the node tree once
and look the path up in it, so a reviewer is sent to the exact line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from placehealth.errors import InputFileError, ValidationError

M = TypeVar("M", bound=pydantic.BaseModel)

# The C loader is several times faster on large plan folders, where PyYAML has it.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error becomes one message with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}", file=path) from None
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"not UTF-8 text (byte {exc.start + 1})", file=path, hint="save the file as UTF-8"
        ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputFileError(
            f"malformed YAML: {problem}", file=path, line=line, hint="check indentation and quoting"
        ) from None
    except yaml.YAMLError as exc:
        raise InputFileError(f"malformed YAML: {exc}", file=path) from None


def line_of(path: Path, location: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the node at ``location`` (a pydantic error path)."""
    try:
        node: yaml.Node | None = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, ValueError, yaml.YAMLError):
        return None
    best = node.start_mark.line + 1 if node is not None else None
    for key in location:
        if isinstance(node, yaml.MappingNode):
            found = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key),
                None,
            )
            if found is None:
                break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            # pydantic adds union-member names to the path; skip what the YAML lacks.
            continue
        best = node.start_mark.line + 1
    return best


def load_model(path: Path, model: type[M], *, context: dict[str, Any] | None = None) -> M:
    """Load ``path`` and validate it as ``model``, reporting the first problem by line."""
    data = load_yaml(path)
    try:
        return model.model_validate(data, context=context)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        location = tuple(p for p in first["loc"] if p not in _TYPE_TAGS)
        readable = ".".join(str(p) for p in location) or "document"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] in _NUMBER_ERRORS:
            message = f"'{first['input']}' is not a valid number"
        raise ValidationError(
            f"{readable}: {message}",
            file=path,
            line=line_of(path, location),
        ) from None


# pydantic names the member of a union it tried; the YAML has no such key.
_TYPE_TAGS = {"int", "float", "str", "bool", "list[...]", "dict[...]"}
_NUMBER_ERRORS = {"int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"}


def reject_repeats(keys: list[str], what: str) -> None:
    """For a model validator: a key listed twice is a ValueError naming every repeat."""
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"{what} repeated: {', '.join(repeated)}")


@dataclass(frozen=True)
class RepeatedKey:
    """A mapping key written twice: YAML keeps only the last, silently dropping the first."""

    key: str
    line: int
    first_line: int
    parents: tuple[str, ...]


def first_repeated_key(path: Path) -> RepeatedKey | None:
    """The first key repeated within one mapping of the file, in reading order, if any."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, ValueError, yaml.YAMLError):
        return None  # load_yaml reports these with their own message
    found: list[RepeatedKey] = []

    def walk(node: yaml.Node | None, parents: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                line = key.start_mark.line + 1
                if name in seen:
                    found.append(RepeatedKey(name, line, seen[name], parents))
                seen.setdefault(name, line)
                walk(value, (*parents, name))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*parents, str(index)))

    walk(root, ())
    return min(found, key=lambda r: r.line, default=None)
