"""Exception report: who is listed, with which numbers, and the leads' narrative."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import UserError
from placehealth.reports.exceptions import exception_frame, exceptions_html, write_exceptions
from placehealth.reports.figures import attach_spc
from placehealth.reports.notes import load_notes
from placehealth.reports.pack import assemble
from tests.reports.helpers import load, steady, write_actuals, write_plan
from tests.test_cli import run_cli

NOTES = """
inpatient:
  lead: Jane Smith, Director of Nursing
  narrative: |
    Negative responses rose after ward moves in the winter.
    A recovery plan starts in April.
"""


def report(tmp_path: Path, levels=None, *, month=None, notes=None):
    plans, actuals = load(tmp_path, levels)
    narrative = None
    if notes is not None:
        path = tmp_path / "notes.yaml"
        path.write_text(textwrap.dedent(notes), encoding="utf-8")
        narrative = load_notes(path, plans)
    data = assemble(plans, load_catalogue(), actuals, month=month, notes=narrative)
    attach_spc(data)
    return data


def test_off_track_ambition_is_listed_with_its_numbers(tmp_path: Path) -> None:
    data = report(tmp_path)
    frame = exception_frame(data).set_index("ambition")
    assert "inpatient" in frame.index
    row = frame.loc["inpatient"]
    # 2015/16 trajectory: 125.2 - 2 × 2.1 = 121.0; the 2016-03 actual is 125.0 + 0.3
    assert row["trajectory_now"] == pytest.approx(121.0)
    assert row["actual"] == pytest.approx(125.3)
    assert row["difference"] == pytest.approx(4.3)
    assert row["latest_period"] == "2016-03"
    assert "off trajectory" in row["reasons"]
    html = exceptions_html(data)
    assert "Poor patient experience of inpatient care" in html
    assert "125.3" in html and "121.0" in html and "+4.3" in html


def test_on_track_without_special_cause_is_not_listed(tmp_path: Path) -> None:
    data = report(tmp_path)
    views = {v.id: v for v in data.ambitions}
    assert views["reablement"].status == "on track"
    assert views["reablement"].variation == "common_cause"
    assert "reablement" not in exception_frame(data)["ambition"].tolist()
    html = exceptions_html(data)
    assert "Older people still at home" not in html
    # without actuals there is nothing to report as an exception either
    assert views["dementia"].status == "no data"
    assert not views["dementia"].is_exception


def test_special_cause_of_concern_on_track_is_listed(tmp_path: Path) -> None:
    # reablement (higher is better) above its 84.0 trajectory throughout, but the last
    # eight months sit well below the earlier level: a shift of concern
    levels = {"reablement-91-days": steady(90.0, 16) + steady(86.0, 8)}
    data = report(tmp_path, levels)
    view = next(v for v in data.ambitions if v.id == "reablement")
    assert view.status == "on track"
    assert view.variation == "concern_low"
    assert view.exception_reasons == ["special cause of concern"]


def test_month_option_judges_an_earlier_month(tmp_path: Path) -> None:
    data = report(tmp_path, month="2015-03")
    row = exception_frame(data).set_index("ambition").loc["inpatient"]
    assert data.month == "2015-03"
    assert row["latest_period"] == "2015-03"
    assert row["trajectory_now"] == pytest.approx(123.1)  # the 2014/15 value
    assert row["actual"] == pytest.approx(125.3)


def test_narrative_from_the_notes_file_appears(tmp_path: Path) -> None:
    data = report(tmp_path, notes=NOTES)
    html = exceptions_html(data)
    assert "Jane Smith, Director of Nursing" in html
    assert "A recovery plan starts in April." in html
    out = write_exceptions(data, tmp_path / "exceptions.csv")
    frame = pd.read_csv(out).set_index("ambition")
    assert frame.loc["inpatient", "lead"] == "Jane Smith, Director of Nursing"
    assert "ward moves" in frame.loc["inpatient", "narrative"]


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ("inpatien:\n  narrative: typo in the id\n", "notes.yaml:1: 'inpatien' is not an ambition"),
        ("x/inpatient: wrong document\n", "'x/inpatient' is not an ambition"),
        ("inpatient:\n  lead: Jane\n", "notes.yaml:2: inpatient.Note.narrative: Field required"),
        ("- inpatient\n", "a notes file maps ambition ids to narrative"),
        ("", "(the file is empty)"),
        ("inpatient: [unclosed\n", "malformed YAML"),
    ],
)
def test_bad_notes_files_are_clear_errors(tmp_path: Path, notes: str, message: str) -> None:
    plans, _ = load(tmp_path)
    path = tmp_path / "notes.yaml"
    path.write_text(notes, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_notes(path, plans)
    assert message in info.value.render()


def test_cli_writes_csv_and_reports_a_bad_notes_file_in_one_line(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    actuals = write_actuals(tmp_path)
    notes = tmp_path / "notes.yaml"
    notes.write_text(textwrap.dedent(NOTES), encoding="utf-8")
    out = tmp_path / "exceptions.csv"
    args = ["report", "exceptions", "--plan", str(plan), "--actuals", str(actuals)]
    ok = run_cli(*args, "--notes", str(notes), "-o", str(out))
    assert ok.returncode == 0, ok.stderr
    assert pd.read_csv(out)["ambition"].tolist() == ["inpatient"]
    notes.write_text("nobody:\n  narrative: x\n", encoding="utf-8")
    bad = run_cli(*args, "--notes", str(notes), "-o", str(out))
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "notes.yaml:1: 'nobody' is not an ambition in this plan" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
