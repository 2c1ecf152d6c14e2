"""Uploads are checked by name, size and bytes before anything reads them."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.web.settings import SiteSettings
from placehealth.web.uploads import accept_upload, plain_name

SETTINGS = SiteSettings(max_body_bytes=2048)


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"indicator": ["x"], "value": [1.0]}).to_excel(buffer, index=False)
    return buffer.getvalue()


def test_a_csv_and_a_workbook_are_accepted_with_their_hash() -> None:
    csv = accept_upload("actuals.csv", b"indicator,value\nx,1\n", SETTINGS)
    assert (csv.name, csv.suffix, csv.size) == ("actuals.csv", ".csv", 20)
    assert len(csv.sha256) == 64
    assert accept_upload("Actuals.XLSX", _xlsx(), SiteSettings()).suffix == ".xlsx"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("actuals.exe", b"MZ", "not a file type the site takes"),
        ("actuals.csv.html", b"<script>", "not a file type the site takes"),
        ("actuals.csv", b"x" * 4096, "larger than"),
        ("actuals.csv", b"", "is empty"),
        ("actuals.xlsx", b"indicator,value\n", "not an Excel workbook"),
        ("actuals.csv", b"PK\x03\x04\x00\x00binary", "not a UTF-8 text file"),
        ("actuals.csv", "café".encode("latin-1"), "not a UTF-8 text file"),
    ],
)
def test_a_file_of_the_wrong_type_size_or_content_is_refused(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        accept_upload(name, data, SETTINGS)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("..\\..\\windows\\actuals.csv", "actuals.csv"),
        ("/tmp/actuals.csv", "actuals.csv"),
        ("act\x00uals.csv", "actuals.csv"),
        ("<b>plan</b>.csv", "b_.csv"),
        ("..", "upload"),
    ],
)
def test_an_uploaded_name_is_never_a_path(sent: str, kept: str) -> None:
    assert plain_name(sent) == kept
