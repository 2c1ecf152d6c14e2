"""The charts a run draws beside its outputs: the site serves them as files while they match
the indicator values, and draws its own when they do not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from placehealth.services.site_charts import FOLDER, INDEX, draw_charts, drawn_file, read_index
from tests.web.conftest import browse, copy_outputs, make_site, sign_in

INDICATOR = "ae-attendances"
SIZED = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    b'<rect width="20" height="20" fill="#005eb8"/></svg>'
)
MARK = b'<svg xmlns="http://www.w3.org/2000/svg"><title>drawn by the run</title></svg>'


@pytest.fixture(scope="module")
def drawn(site_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the outputs with one indicator's charts and the spine charts drawn."""
    outputs = copy_outputs(site_outputs, tmp_path_factory.mktemp("drawn"))
    draw_charts(outputs, indicators=[INDICATOR])
    return outputs


def signed_in(outputs: Path, sqlite_url: str) -> TestClient:
    client = browse(make_site(outputs, sqlite_url))
    assert sign_in(client, "ana").status_code == 303
    return client


def test_every_page_chart_is_drawn_once_and_indexed(drawn: Path) -> None:
    index = read_index(drawn)
    assert index is not None
    pages = index["charts"][INDICATOR]
    assert {"place", "neighbourhood", "lsoa"} <= set(pages)
    assert [e["id"] for e in pages["neighbourhood"]] == ["compare", "trend", "inequality", "map"]
    # the place's own charts are one file whichever kind of area the page shows
    trend = {e["file"] for page in pages.values() for e in page if e["id"] == "trend"}
    assert trend == {f"{INDICATOR}/trend-place"}
    for page in pages.values():
        for entry in page:
            svg = drawn_file(drawn, entry["file"], "svg")
            assert svg is not None and svg.lstrip().startswith(b"<svg")
            png = drawn_file(drawn, entry["file"], "png")  # the downloads, drawn too
            assert png is not None and png.startswith(b"\x89PNG")
    assert set(index["spine"]) >= {"NBSYN01"}


def test_a_png_drawn_from_the_svg_is_the_png_the_chart_functions_draw(drawn: Path) -> None:
    from placehealth.charts.export import chart_bytes
    from placehealth.services.site_charts import chart_spec
    from placehealth.services.site_outputs import open_outputs

    spec = chart_spec(open_outputs(drawn), INDICATOR, "trend", "place")
    assert spec is not None
    assert drawn_file(drawn, f"{INDICATOR}/trend-place", "png") == chart_bytes(spec, "png")


def test_a_png_the_run_did_not_draw_is_made_from_its_svg(
    site_outputs: Path, drawn: Path, sqlite_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from placehealth.charts.export import png_of_svg
    from placehealth.services import site_charts

    outputs = copy_outputs(site_outputs, tmp_path)
    monkeypatch.setattr(site_charts, "drawing_workers", lambda: 1)  # in this process
    draw_charts(outputs, indicators=[INDICATOR], formats=("svg",))
    # one process draws exactly what a process per core draws
    svgs = sorted(p.relative_to(outputs) for p in (outputs / FOLDER).rglob("*.svg"))
    assert svgs == sorted(p.relative_to(drawn) for p in (drawn / FOLDER).rglob("*.svg"))
    assert all((outputs / p).read_bytes() == (drawn / p).read_bytes() for p in svgs)
    (outputs / FOLDER / INDICATOR / "compare-lsoa.svg").write_bytes(SIZED)
    assert drawn_file(outputs, f"{INDICATOR}/compare-lsoa", "png") is None
    with signed_in(outputs, sqlite_url) as client:
        png = client.get(f"/indicators/{INDICATOR}/charts/compare.png?area=lsoa")
    assert png.status_code == 200 and png.content == png_of_svg(SIZED)


def test_the_site_serves_the_drawn_file(drawn: Path, sqlite_url: str, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(drawn, outputs)
    (outputs / FOLDER / INDICATOR / "compare-lsoa.svg").write_bytes(MARK)
    with signed_in(outputs, sqlite_url) as client:
        page = client.get(f"/indicators/{INDICATOR}?area=lsoa")
        assert page.status_code == 200
        assert f"/indicators/{INDICATOR}/charts/compare.svg?area=lsoa" in page.text
        image = client.get(f"/indicators/{INDICATOR}/charts/compare.svg?area=lsoa")
        assert image.content == MARK
        png = client.get(f"/indicators/{INDICATOR}/charts/compare.png?area=lsoa")
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_charts_of_other_values_are_not_used(drawn: Path, sqlite_url: str, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(drawn, outputs)
    (outputs / FOLDER / INDICATOR / "compare-lsoa.svg").write_bytes(MARK)
    values = outputs / "indicators.csv"
    values.write_bytes(values.read_bytes() + b"\n")  # a new run's values
    assert read_index(outputs) is None
    with signed_in(outputs, sqlite_url) as client:
        image = client.get(f"/indicators/{INDICATOR}/charts/compare.svg?area=lsoa")
        assert image.status_code == 200 and image.content != MARK
        assert b"<svg" in image.content


def test_an_index_never_names_a_file_outside_the_charts(drawn: Path, tmp_path: Path) -> None:
    assert drawn_file(drawn, "../indicators", "svg") is None
    assert drawn_file(drawn, "../../" * 8 + "etc/passwd", "svg") is None
    assert drawn_file(drawn, f"{INDICATOR}/trend-place", "exe") is None
    index = json.loads((drawn / FOLDER / INDEX).read_text())
    assert all(not e["file"].startswith(("/", "..")) for p in index["charts"][INDICATOR].values()
               for e in p)  # fmt: skip
