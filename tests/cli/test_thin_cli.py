"""Every CLI module is thin: it parses arguments, calls a service and prints.

The modules of ``src/placehealth/cli`` are read with ``ast`` (nothing is
imported), and everything each one imports, at module level or inside a
function, is listed. A module is refused, with its file, line and the import or
call at fault, when it holds any of what belongs to a service
(``placehealth.services``) or a domain package:

- a database or data-frame engine: ``duckdb``, ``pyspark``, ``sqlite3``,
  ``narwhals`` (the engine's expressions), ``polars``, ``sqlalchemy``;
- the engine itself (``placehealth.engine`` and its modules): a command names an
  engine by its name (``--engine duckdb``) and the service opens it. The one name
  an interface may need is the type of a backend, ``Backend`` from
  ``placehealth.engine.backends``, for annotations only (under ``TYPE_CHECKING``);
- the publishing step (``placehealth.publish``): disclosure control is applied
  by the service that writes an output, never skipped by a command;
- SQL in a string constant (``SELECT ... FROM``, ``INSERT INTO``, ``CREATE
  TABLE``, ``WITH x AS (`` ...);
- file writing: an import or call of a ``write``/``write_*`` function, ``.to_csv``,
  ``.to_parquet``, ``.to_excel``, ``.write_text``, ``.write_bytes``, ``.write`` (but
  on ``sys.stdout``/``sys.stderr``), ``.unlink``, ``.mkdir``, ``.touch``,
  ``.chmod``, ``.rename``, ``.rmdir``, ``open(..., "w"/"a"/"x"/"+")``, ``os.open``,
  ``os.fdopen``, ``os.replace``, ``os.rename``, ``os.remove``, ``os.unlink``,
  ``os.makedirs``, ``os.mkdir``, ``os.chmod``, ``shutil`` and ``tempfile``.

A module may also import a service only inside the function that calls it, so
``placehealth --help`` starts without loading the data libraries
(tests/test_cli_startup.py).

Where a command's logic goes instead: docs/cli.md, "Where a command's logic goes".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / "src" / "placehealth" / "cli"

# Modules still holding logic, each with the reason it is allowed for now; a module listed
# here that no longer needs the allowance fails the test below.
ALLOWED: dict[str, str] = {}

ENGINES = {"duckdb", "pyspark", "sqlite3", "narwhals", "polars", "sqlalchemy", "shutil", "tempfile"}
ENGINE_INTERFACE = {("placehealth.engine.backends", "Backend")}  # for annotations only
WRITING_METHODS = {
    "to_csv", "to_parquet", "to_excel", "write_text", "write_bytes", "unlink", "mkdir",
    "touch", "chmod", "rename", "rmdir",
}  # fmt: skip
WRITING_OS = {"open", "fdopen", "replace", "rename", "remove", "unlink", "makedirs", "mkdir",
              "chmod"}  # fmt: skip
STREAMS = {"sys.stdout", "sys.stderr"}
SQL = [
    re.compile(p)
    for p in (
        r"\bSELECT\b[\s\S]+\bFROM\b",
        r"\bINSERT\s+INTO\b",
        r"\bUPDATE\s+\w+\s+SET\b",
        r"\bDELETE\s+FROM\b",
        r"\b(CREATE|DROP|ALTER)\s+(OR\s+REPLACE\s+)?(TEMP\w*\s+)?(TABLE|VIEW|INDEX|SCHEMA)\b",
        r"\bWITH\s+\w+\s+AS\s*\(",
        r"\b(ATTACH|DETACH|PRAGMA)\s",
        r"\bCOPY\b[\s\S]+\b(TO|FROM)\s+'",
    )
]
# SQL in lower case, as a string that starts with a statement (help text starting "Select
# the rows ..." or "with --chart" is no SQL)
SQL_LOWER = re.compile(
    r"^\s*(select\s+(\*|count\(|distinct\b|\w+\s*,)|with\s+\w+\s+as\s*\(|insert\s+into\b"
    r"|delete\s+from\b|update\s+\w+\s+set\b|create\s+(or\s+replace\s+)?(temp\w*\s+)?(table|view)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Import:
    """One import: where, what, and whether it is for annotations only or inside a function."""

    line: int
    module: str
    names: tuple[str, ...]
    type_only: bool
    in_function: bool

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        where = "type only" if self.type_only else "in function" if self.in_function else "top"
        return f"{self.line}: {self.module}{names} [{where}]"


class Reader(ast.NodeVisitor):
    """Collects a module's imports and everything in it that a thin command must not hold."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.imports: list[Import] = []
        self.services: set[str] = set()  # names bound to service modules: they may write
        self.refused: list[str] = []
        self._type_only = 0
        self._functions = 0

    def refuse(self, node: ast.AST, what: str) -> None:
        self.refused.append(f"cli/{self.name}.py:{getattr(node, 'lineno', 0)}: {what}")

    def visit_If(self, node: ast.If) -> None:
        checking = ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
        self._type_only += checking
        for child in node.body:
            self.visit(child)
        self._type_only -= checking
        for child in node.orelse:
            self.visit(child)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._functions += 1
        self.generic_visit(node)
        self._functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._record(node, alias.name, ())

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        self._record(node, module, tuple(a.name for a in node.names))

    def _record(self, node: ast.stmt, module: str, names: tuple[str, ...]) -> None:
        found = Import(node.lineno, module, names, self._type_only > 0, self._functions > 0)
        self.imports.append(found)
        root = module.split(".")[0]
        if root in ENGINES:
            self.refuse(node, f"imports {module}")
        if module == "placehealth.engine" or module.startswith("placehealth.engine."):
            extra = [n for n in names or ("*",) if (module, n) not in ENGINE_INTERFACE]
            if extra or not found.type_only:
                self.refuse(node, f"imports the engine: {module} ({', '.join(names) or module})")
        if module == "placehealth.publish" or module.startswith("placehealth.publish."):
            self.refuse(node, f"imports the publishing step: {module}")
        if module == "placehealth.services" and not names:
            self.refuse(node, "imports placehealth.services whole; import the capability's module")
        if module.startswith("placehealth.services"):
            self.services.update(names or (module.rsplit(".", 1)[-1],))
        if module.startswith("placehealth.services") and not (found.in_function or found.type_only):
            self.refuse(node, f"imports {module} at module level (CLI start-up)")
        for name in names:
            if _writer(name):
                self.refuse(node, f"imports the file writer {name} from {module}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            if _writer(func.id):
                self.refuse(node, f"calls the file writer {func.id}()")
            if func.id == "open" and _writing_mode(node):
                self.refuse(node, f"opens a file for writing: {ast.unparse(node)}")
        elif isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if owner in self.services:
                pass  # a service's own writer (services.charts.write_chart): the job is there
            elif owner == "os" and func.attr in WRITING_OS:
                self.refuse(node, f"calls os.{func.attr}()")
            elif owner in {"shutil", "tempfile"}:
                self.refuse(node, f"calls {owner}.{func.attr}()")
            elif func.attr in WRITING_METHODS or (_writer(func.attr) and owner not in STREAMS):
                self.refuse(node, f"writes a file: .{func.attr}() on {owner}")
            elif func.attr == "open" and _writing_mode(node):
                self.refuse(node, f"opens a file for writing: {ast.unparse(node)}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and any(p.search(node.value) for p in [*SQL, SQL_LOWER]):
            self.refuse(node, f"holds SQL: {node.value.strip()[:60]!r}")


def _writer(name: str) -> bool:
    return name == "write" or name.startswith("write_")


def _writing_mode(call: ast.Call) -> bool:
    """``open``'s mode (second argument or ``mode=``) writes, appends or creates."""
    modes = [a for a in call.args[1:2]] + [k.value for k in call.keywords if k.arg == "mode"]
    return any(
        not isinstance(m, ast.Constant) or any(c in str(m.value) for c in "wax+") for m in modes
    )


def read(name: str, source: str) -> Reader:
    reader = Reader(name)
    reader.visit(ast.parse(source))
    return reader


MODULES = sorted(p.stem for p in CLI.glob("*.py"))
READERS = {name: read(name, (CLI / f"{name}.py").read_text()) for name in MODULES}


def listing(name: str) -> str:
    reader = READERS[name]
    lines = [f"cli/{name}.py imports:"] + [f"  {i}" for i in reader.imports]
    return "\n".join(lines)


def test_every_module_says_what_it_imports() -> None:
    """The listing of what each module imports, printed (``pytest -s``) and checked whole."""
    text = "\n".join(listing(name) for name in MODULES)
    print(text)
    assert {"main", "options", "demo", "stats", "plan"} <= set(MODULES)
    for name in MODULES:
        assert f"cli/{name}.py imports:" in text
    # commands reach their jobs through the service layer, each from inside a function
    services = {
        name
        for name, reader in READERS.items()
        for i in reader.imports
        if i.module.startswith("placehealth.services.") and i.in_function
    }
    assert {"demo", "stats", "plan", "report", "spc", "ingest", "synth", "indicators"} <= services


@pytest.mark.parametrize("name", [m for m in MODULES if m not in ALLOWED])
def test_module_is_thin(name: str) -> None:
    reader = READERS[name]
    assert not reader.refused, (
        "logic in the CLI (move it to placehealth.services; docs/cli.md):\n"
        + "\n".join(reader.refused)
        + "\n\n"
        + listing(name)
    )


def test_allowance_is_still_needed() -> None:
    """An allowed module that has become thin is named, so its allowance is removed (none is
    allowed now: every command module is thin)."""
    for name in sorted(ALLOWED):
        assert name in MODULES, f"cli/{name}.py is gone: remove it from ALLOWED"
        assert READERS[name].refused, f"cli/{name}.py is thin now: remove it from ALLOWED"


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("import duckdb", "imports duckdb"),
        ("def f():\n    import pyspark.sql", "imports pyspark.sql"),
        ("from placehealth.engine.expressions import x", "imports the engine"),
        ("def f():\n    from placehealth.engine import open_backend", "imports the engine"),
        ("from placehealth.engine.backends import Backend", "imports the engine"),
        ("from placehealth.publish import write", "imports the publishing step"),
        ("from placehealth.services.stats import compute_file", "at module level"),
        ("from placehealth.tables import write_table", "imports the file writer write_table"),
        ("Q = 'SELECT a FROM t'", "holds SQL"),
        ("Q = f'select a, b from {t}'", "holds SQL"),
        ("Q = 'select count(*) from person'", "holds SQL"),
        ("Q = '''\n    WITH x AS (SELECT 1)\n'''", "holds SQL"),
        ("frame.to_csv('x.csv')", ".to_csv()"),
        ("Path('x').write_text('y')", ".write_text()"),
        ("open(p, 'w')", "opens a file for writing"),
        ("open(p, mode='ab')", "opens a file for writing"),
        ("os.replace(a, b)", "calls os.replace()"),
        ("os.fdopen(d, 'w')", "calls os.fdopen()"),
        ("shutil.copy(a, b)", "calls shutil.copy()"),
        ("handle.write(text)", ".write() on handle"),
    ],
)
def test_refuses(source: str, refused: str) -> None:
    """Each rule catches what it names (so a passing module passes for a reason)."""
    found = read("example", source).refused
    assert any(refused in r for r in found), found
    assert all(r.startswith("cli/example.py:") for r in found)


@pytest.mark.parametrize(
    "source",
    [
        "if TYPE_CHECKING:\n    from placehealth.engine.backends import Backend",
        "def f():\n    from placehealth.services.stats import compute_file",
        "sys.stdout.write(text)",
        "open(p)",
        "open(p, 'rb')",
        "HELP = 'Select the rows to read from the file.'",
        "HELP = 'with --chart, the charts as well'",
        "console.print(table)",
        "def f():\n    from placehealth.services import charts\n    charts.write_chart(spec, out)",
    ],
)
def test_allows(source: str) -> None:
    """What a thin command does (annotate, call a service, print, read) passes."""
    assert read("example", source).refused == []
