"""The service layer called as the web application will call it: no command line, no printing.

Each test calls a service function with typed arguments and checks what it
returns and writes; the commands that wrap them are tested in tests/test_cli.py and
beside each package.
"""

from __future__ import annotations

import ast
import stat
from pathlib import Path

import pandas as pd
import pytest

from placehealth.errors import InputFileError, ValidationError
from placehealth.services import demo, plans, reports, spc
from placehealth.services import stats as stats_service
from placehealth.services.progress import counted
from placehealth.stats import proportion

SERVICES = Path(__file__).resolve().parents[2] / "src" / "placehealth" / "services"
PLANS = Path(__file__).resolve().parents[2] / "plans"


def test_services_never_print_nor_import_an_interface() -> None:
    """A service returns what it made; showing it is the interface's job."""
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "print":
                found.append(f"{path.name}:{node.lineno}: print()")
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found += [
                f"{path.name}:{getattr(node, 'lineno', 0)}: imports {name}"
                for name in names
                if name.split(".")[0] in {"typer", "rich", "click"} or ".cli" in name
            ]
    assert found == []


def test_progress_counts_the_steps_of_a_domain_callback() -> None:
    heard: list[tuple[str, int, int | None]] = []
    step = counted(lambda name, done, total: heard.append((name, done, total)), 3)
    for name in ("person", "apc_spell", "death"):
        step(name)
    assert heard == [("person", 1, 3), ("apc_spell", 2, 3), ("death", 3, 3)]
    counted(None, 2)("quiet")  # no callback: nothing to report to, and no error


def test_stats_service_reads_computes_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "screening.csv"
    pd.DataFrame({"area": ["a", "a", "b"], "num": [2, 3, 4], "den": [5, 5, 8]}).to_csv(
        source, index=False
    )
    output = tmp_path / "out" / "coverage.csv"
    run = stats_service.compute_file(
        source, lambda d: proportion(d, "num", "den", ["area"], confidence=[0.95]), output=output
    )
    assert run.path == output.resolve()
    # hand-counted: a has 5 of 10, b 4 of 8
    assert run.frame.set_index("area")["value"].to_dict() == {"a": 0.5, "b": 0.5}
    written = pd.read_csv(output, encoding="utf-8-sig")
    assert list(written["numerator"]) == [5, 4]
    assert stats_service.csv_text(run.frame).splitlines()[0].startswith("area,numerator,")
    assert capsys.readouterr() == ("", "")


def test_stats_service_names_the_input_file_in_an_error(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    pd.DataFrame({"num": [-1], "den": [5]}).to_csv(source, index=False)
    with pytest.raises(ValidationError) as caught:
        stats_service.compute_file(source, lambda d: proportion(d, "num", "den", []))
    assert caught.value.file == str(source)
    # the file's second line: the header is its first
    assert caught.value.row == 2 and caught.value.column == "num"


def test_funnel_points_need_a_rate() -> None:
    frame = pd.DataFrame({"events": [3, 5], "pop": [100, 200]})
    with pytest.raises(ValidationError, match="--table points needs --rate"):
        stats_service.funnel(frame, "events", "pop", table="points")
    with pytest.raises(ValidationError, match="unknown table 'chart'"):
        stats_service.funnel(frame, "events", "pop", table="chart")


def test_plan_check_without_a_command_line() -> None:
    everything = plans.check(PLANS / "ccg-2014")
    errors_only = plans.check(PLANS / "ccg-2014", severity=plans.Severity.ERROR)
    assert len(everything.plans) == 1 and everything.accepted is None
    assert {f.severity for f in errors_only.findings} <= {plans.Severity.ERROR}
    assert len(errors_only.findings) <= len(everything.findings)


def test_spc_service_writes_the_chart_columns_and_names_short_series(tmp_path: Path) -> None:
    months = pd.date_range("2020-04-01", periods=15, freq="MS")
    long = pd.DataFrame({"unit": "long", "month": months, "waits": range(15)})
    short = pd.DataFrame({"unit": "short", "month": months[:5], "waits": range(5)})
    source = tmp_path / "waits.csv"
    pd.concat([long, short]).to_csv(source, index=False)
    run = spc.chart(source, tmp_path / "spc.csv", value="waits", date="month", by=["unit"])
    assert run.series == 2 and len(run.frame) == 20
    assert run.path.is_file() and run.summary is None and run.chart is None
    assert [(s.names, s.says) for s in run.short] == [(["short"], "have no limits")]
    assert run.min_points == 12


def test_sample_actuals_and_exception_table_through_the_services(tmp_path: Path) -> None:
    heard: list[str] = []
    actuals = reports.sample_actuals(PLANS / "ccg-2014", tmp_path / "actuals.csv", seed=1)
    assert actuals.path.is_file() and len(actuals.frame) > 0
    source = reports.PackSource(PLANS / "ccg-2014", actuals.path)
    table = reports.exceptions(
        source, tmp_path / "exceptions.csv", progress=lambda step, done, total: heard.append(step)
    )
    assert table.path.is_file()
    assert "charts" not in heard  # a table has no charts to draw
    assert len(pd.read_csv(table.path, encoding="utf-8-sig")) == len(table.data.exceptions())
    with pytest.raises(InputFileError, match="unsupported output type"):
        reports.board(source, tmp_path / "pack.csv")


def test_demo_key_is_owner_only_and_kept_between_runs(tmp_path: Path) -> None:
    key = demo.demo_key(tmp_path / "demo")
    first = key.read_text()
    assert len(first) == 64 and not key.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    assert demo.demo_key(tmp_path / "demo").read_text() == first


def test_demo_deployment_is_development_only(tmp_path: Path) -> None:
    (tmp_path / "audit.jsonl").write_text("{}\n")
    path = demo.demo_deployment(tmp_path, "NBSYN01")
    assert "development: true" in path.read_text()
    assert "neighbourhoods: [NBSYN01]" in (tmp_path / "roles.yaml").read_text()
    assert not (tmp_path / "audit.jsonl").exists()  # the audit log starts again
