"""Templates to HTML, HTML to PDF: one set of templates for the screen and for print.

The HTML is self-contained (CSS inlined, charts and icons as inline SVG), so a
pack can be e-mailed or opened from a shared drive; the PDF is the same HTML
laid out by WeasyPrint with the print rules in ``templates/pack.css``.
"""

from __future__ import annotations

import importlib
import math
import threading
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from placehealth.catalogue.model import Unit
from placehealth.errors import InputFileError
from placehealth.plans.check.findings import fmt
from placehealth.reports import icons

TEMPLATES = Path(__file__).parent / "templates"
HTML_SUFFIXES = {".html", ".htm"}


def number(value: float | str | None, unit: Unit | str | None = None) -> str:
    """A number as a board paper prints it: thousands separated, sensible decimals."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    unit = Unit(unit) if unit is not None else None
    if float(value).is_integer() and unit in (Unit.COUNT, None):
        text = f"{value:,.0f}"
    elif abs(value) >= 100 or unit == Unit.COUNT:
        text = f"{value:,.1f}"
    elif abs(value) >= 1 or value == 0 or unit in (Unit.PERCENT, Unit.RATE):
        text = f"{value:,.1f}" if unit in (Unit.PERCENT, Unit.RATE) else f"{value:,.2f}"
    else:
        text = f"{value:.3g}"
    return f"{text}%" if unit == Unit.PERCENT else text


def signed(value: float | None, unit: Unit | str | None = None) -> str:
    text = number(value, unit)
    return f"+{text}" if value is not None and value > 0 and text != "—" else text


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["signed"] = signed
    env.filters["as_printed"] = fmt  # a finding's numbers, at the precision printed
    env.globals["variation_icon"] = icons.variation_icon
    env.globals["assurance_icon"] = icons.assurance_icon
    env.globals["variation_text"] = icons.variation_text
    env.globals["assurance_text"] = icons.assurance_text
    env.globals["css"] = lambda: Markup((TEMPLATES / "pack.css").read_text(encoding="utf-8"))
    return env


def render_html(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def warm_up_pdf() -> None:
    """Start importing WeasyPrint (seconds: Pango, fonts) on a background thread, so it
    overlaps with chart rendering; the later import simply waits for it."""
    threading.Thread(target=importlib.import_module, args=("weasyprint",), daemon=True).start()


def html_to_pdf(html: str, path: Path, images: dict[str, bytes] | None = None) -> Path:
    """Lay the HTML out for print and write the PDF.

    ``images`` serves ``<img src="chart:N">`` from memory (PNG charts), so the HTML
    stays small and nothing is written beside the PDF.
    """
    from weasyprint import HTML  # imported late: it loads Pango and fonts

    path.parent.mkdir(parents=True, exist_ok=True)
    fetcher = _memory_fetcher(images or {})
    HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).write_pdf(path)
    return path


def _memory_fetcher(images: dict[str, bytes]) -> Any:
    """WeasyPrint's fetcher, serving ``images`` first and never going to the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class MemoryFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url in images:
                return URLFetcherResponse(url, images[url], {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return MemoryFetcher(allowed_protocols={"file", "data"})


def write_document(html: str, path: Path, images: dict[str, bytes] | None = None) -> Path:
    """Write ``html`` as .html or .pdf, chosen by the suffix of ``path``."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        if images and any(url in html for url in images):
            raise ValueError("an HTML document needs its charts inline (attach them as SVG)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        return path
    if suffix == ".pdf":
        return html_to_pdf(html, path, images)
    raise InputFileError(f"unsupported output type '{suffix}'", file=path, hint="use .html or .pdf")
