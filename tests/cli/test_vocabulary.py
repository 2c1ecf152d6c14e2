"""One vocabulary: every command's options against the one table of names and short flags.

Issue 13: ``-n`` meant --persons, --notes and --neighbourhood in different commands,
``stats mean --values`` stood against ``--value`` elsewhere, and synth and demo made
populations of different default sizes.
"""

from __future__ import annotations

from typing import Any

import pytest

from placehealth.cli.vocabulary import HIDDEN_ALIASES, OPTIONS
from tests.commands import command_tree

COMMANDS = list(command_tree())
OPTION_USES = [
    (name, param)
    for name, command in COMMANDS
    for param in command.params
    if param.param_type_name == "option"
]


def _label(use: tuple[str, Any]) -> str:
    return f"{use[0]} {use[1].opts[0]}"


@pytest.mark.parametrize("use", OPTION_USES, ids=_label)
def test_every_option_is_in_the_table(use: tuple[str, Any]) -> None:
    name, option = use
    longs = [o for o in option.opts + option.secondary_opts if o.startswith("--")]
    shorts = [o for o in option.opts + option.secondary_opts if not o.startswith("--")]
    for long in longs:
        if option.hidden:
            assert long in HIDDEN_ALIASES, f"{name}: hidden {long} is no listed old spelling"
            continue
        assert long in OPTIONS, f"{name}: {long} is not in placehealth.cli.vocabulary"
    for short in shorts:
        meant = [long for long in longs if OPTIONS.get(long, (None,))[0] == short]
        assert meant, f"{name}: {short} on {longs} means {_meaning(short)} elsewhere"


def _meaning(short: str) -> str:
    return next((long for long, (flag, _) in OPTIONS.items() if flag == short), "nothing")


def test_a_short_flag_stands_for_one_option() -> None:
    shorts = [flag for flag, _ in OPTIONS.values() if flag is not None]
    assert len(shorts) == len(set(shorts))
    assert _meaning("-n") == "--neighbourhood" and _meaning("-o") == "--output"


def test_the_table_lists_only_names_in_use() -> None:
    used = {o for _, option in OPTION_USES for o in option.opts + option.secondary_opts}
    used |= {"--help"}
    assert set(OPTIONS) - used == set()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name: str, command: Any) -> None:
    assert command.help and "Example" in command.help, f"{name} --help has no example"
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert param.help, f"{name} {param.opts[0]} has no help"


def test_old_spellings_still_work_but_are_hidden(tmp_path: Any) -> None:
    from tests.test_cli import run_cli

    shown = run_cli("demo", "--help").stdout
    assert "--output" in shown and "--out " not in shown
    made = run_cli("synth", "--persons", "1000", "--out", str(tmp_path / "s"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "s" / "manifest.json").exists()


def test_synth_and_demo_make_the_same_population_by_default() -> None:
    defaults = {}
    for name, command in COMMANDS:
        for param in command.params:
            if param.name == "persons":
                defaults[name] = param.default
    assert set(defaults) == {"demo", "synth"}
    assert len(set(defaults.values())) == 1 and defaults["synth"] == 20_000


@pytest.mark.parametrize(
    ("args", "meaning"),
    [
        (("stats", "mean", "--help"), "--value"),
        (("stats", "quantiles", "--help"), "--quantiles"),
        (("report", "board", "--help"), "--notes"),
    ],
)
def test_renamed_options_show_their_new_names(args: tuple[str, ...], meaning: str) -> None:
    from tests.test_cli import run_cli

    shown = run_cli(*args).stdout
    assert meaning in shown and "-n " not in shown.replace("--no-", "")


def test_the_user_guide_lists_every_option() -> None:
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    for long, (short, _) in OPTIONS.items():
        if long.endswith("-completion"):
            continue
        row = f"| `{long}` | {f'`{short}`' if short else ''} |"
        assert row in guide, f"docs/cli.md does not list {long}"
