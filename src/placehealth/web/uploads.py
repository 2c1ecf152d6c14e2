"""What the site accepts as an uploaded file, checked before anything reads it as a table.

The request body's size is capped for every request (:class:`placehealth.web.middleware.BodyLimit`);
here a file must also be of an allowed type by its name *and* by its bytes — a
CSV is UTF-8 text, an Excel file is a ZIP container (``.xlsx``) — and its name is
reduced to a plain file name, so no path in it ever reaches the disk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath, PureWindowsPath

from placehealth.errors import ValidationError
from placehealth.web.settings import SiteSettings

ZIP_MAGIC = b"PK\x03\x04"
SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]")


@dataclass(frozen=True)
class AcceptedUpload:
    """A file that passed the checks: its plain name, type, size and SHA-256."""

    name: str
    suffix: str
    size: int
    sha256: str


def plain_name(filename: str) -> str:
    """The last part of a browser-sent name, with anything unusual replaced: never a path."""
    last = PureWindowsPath(PurePath(filename.replace("\x00", "")).name).name
    cleaned = SAFE_NAME.sub("_", last).strip(" .")
    return cleaned[:200] or "upload"


def accept_upload(filename: str, data: bytes, settings: SiteSettings) -> AcceptedUpload:
    """Refuse a file that is too large, of a type not allowed, or whose bytes belie its name."""
    name = plain_name(filename)
    suffix = PurePath(name).suffix.lower()
    allowed = ", ".join(settings.upload_types)
    if suffix not in settings.upload_types:
        raise ValidationError(
            f"'{name}' is not a file type the site takes", hint=f"upload {allowed}"
        )
    if len(data) > settings.max_body_bytes:
        raise ValidationError(
            f"'{name}' is larger than {settings.max_body_bytes // (1024 * 1024)} MiB",
            hint="upload a smaller file",
        )
    if not data:
        raise ValidationError(f"'{name}' is empty", hint="upload a file with rows")
    if suffix == ".xlsx" and not data.startswith(ZIP_MAGIC):
        raise ValidationError(f"'{name}' is not an Excel workbook", hint="save it as .xlsx")
    if suffix == ".csv" and not _is_text(data):
        raise ValidationError(f"'{name}' is not a UTF-8 text file", hint="save it as CSV UTF-8")
    return AcceptedUpload(name, suffix, len(data), hashlib.sha256(data).hexdigest())


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True
