"""Statutory financial duties as data (``plans/<document>/finance/duties/*.yaml``): each
duty, what it requires and how it is achieved, with the lines of the document, so a plan
can say which duties its financial strategy answers to (seed 000's F01)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from placehealth.finance.files import FOLDER
from placehealth.finance.model import FinanceDocument, Id, _Strict
from placehealth.sources import SourceLines
from placehealth.yamlfile import load_model, reject_repeats

SUBFOLDER = "duties"


class Duty(_Strict):
    id: Id
    duty: str
    requires: str
    achieved_by: str | None = None
    src: SourceLines


class DutiesFile(_Strict):
    """A document's statutory financial duties and the law that sets them."""

    document: FinanceDocument
    title: str
    legislation: str
    src: SourceLines
    duties: list[Duty] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> DutiesFile:
        reject_repeats([d.id for d in self.duties], "duty id")
        return self


def load_duties(path: Path) -> list[DutiesFile]:
    """Every duties file under ``path`` (a plan folder or a folder of them)."""
    folder = path if path.is_dir() else path.parent
    return [
        load_model(f, DutiesFile) for f in sorted(folder.glob(f"**/{FOLDER}/{SUBFOLDER}/*.yaml"))
    ]
