"""Every command that writes a CSV offers the same --plain-utf8 option; by default, a BOM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tests.commands import leaf_commands
from tests.spc.test_xmr import STABLE, series
from tests.test_cli import run_cli

OUTPUT_OPTIONS = {"--output", "--report", "--out"}
# commands whose output option writes a CSV (by its suffix, or a folder of CSVs)
WRITES_CSV = {
    "activity actual", "activity population", "activity project",
    "demo", "indicators benchmark", "indicators compute", "indicators inequalities", "ingest",
    "phm allocate", "phm cohort", "phm concentration",
    "phm segments", "plan status", "report exceptions", "report sample-actuals", "spc",
    "stats dsr", "stats funnel", "stats isr", "stats life-expectancy", "stats mean",
    "stats proportion", "stats pyll", "stats quantiles", "stats rate", "stats sii",
}  # fmt: skip


def _options(command: Any) -> dict[str, Any]:
    """A command's options by each of their names (typer's own click types, so by duck type)."""
    return {
        name: param
        for param in command.params
        if param.param_type_name == "option"
        for name in param.opts
    }


def test_every_command_that_writes_a_csv_offers_plain_utf8() -> None:
    commands = dict(leaf_commands())
    offering = {name for name, command in commands.items() if "--plain-utf8" in _options(command)}
    assert offering == WRITES_CSV
    for name, command in commands.items():  # and no CSV-writing command is missed
        options = _options(command)
        helps = " ".join(str(options[o].help) for o in OUTPUT_OPTIONS & options.keys())
        if "csv" in helps.lower():
            assert name in WRITES_CSV, name
    for name in WRITES_CSV:  # one definition: the same flag and words everywhere
        option = _options(commands[name])["--plain-utf8"]
        assert option.is_flag and option.default is False
        assert option.help == _options(commands["spc"])["--plain-utf8"].help


def test_spc_writes_a_bom_by_default_and_plain_utf8_on_request(tmp_path: Path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    series(STABLE).assign(area="Knowsley – north £").to_csv(source, index=False)
    args = ["spc", str(source), "--value", "value", "--date", "date", "--by", "area"]
    assert run_cli(*args, "-o", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdate,")
    assert pd.read_csv(out)["area"].iloc[0] == "Knowsley – north £"
    assert run_cli(*args, "-o", str(out), "--plain-utf8").returncode == 0
    assert out.read_bytes().startswith(b"date,")
