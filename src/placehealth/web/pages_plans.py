"""The plans' workflows: a plan's actuals uploaded, previewed with every bad row and saved
only when confirmed; the checker's findings accepted with a reason; a plan's board pack.

What is kept where: a plan's actuals and the accepted-findings file are files in the
site's files folder (``SiteSettings.files``), in the formats the command line reads
(``placehealth plan status --actuals``, ``placehealth plan check --accepted``); the
database records each upload and accepted finding, and the audit says who did what.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from placehealth.errors import UserError
from placehealth.services import site_plans
from placehealth.tables import serialise_table, write_bytes
from placehealth.web.app import database, render
from placehealth.web.authz import AGGREGATES, PLAN_EDITORS, allow
from placehealth.web.db import AcceptedFinding, Upload
from placehealth.web.pages import MEDIA, records
from placehealth.web.sessions import Visitor, audit
from placehealth.web.settings import MIB, SiteSettings
from placehealth.web.uploads import accept_upload

router = APIRouter()
PACK = re.compile(r"^(?P<month>\d{4}-\d{2})\.(?P<kind>html|pdf)$")
# the board pack is one self-contained document (inline CSS and SVG): styles, no script
PACK_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
PDF = "application/pdf"


def _settings(request: Request) -> SiteSettings:
    settings: SiteSettings = request.app.state.settings
    return settings


def _visitor(request: Request) -> Visitor:
    visitor: Visitor = request.state.visitor
    return visitor


def plan_folder(request: Request, plan: str) -> Path:
    """The folder of a plan the outputs show, or not found."""
    folders = site_plans.plan_folders(request.app.state.outputs, _settings(request).plans)
    if plan not in folders:
        raise HTTPException(404, "There is no such plan.")
    return folders[plan]


def _actuals_page(
    request: Request, db: Session, plan: str, *, error: UserError | None = None, status: int = 200
) -> Response:
    settings = _settings(request)
    saved = site_plans.saved_actuals(settings.files, plan)
    last = db.scalars(
        select(Upload)
        .where(Upload.plan == plan, Upload.status == "saved")
        .order_by(Upload.id.desc())
        .limit(1)
    ).first()
    return render(
        request, "plans_actuals.html", status, title=f"Actuals for {plan}", plan=plan,
        saved=saved, last=last, error=error, max_mib=settings.max_body_bytes // MIB,
        types=", ".join(settings.upload_types),
    )  # fmt: skip


@router.get("/plans/{plan}/actuals", include_in_schema=False)
@allow(PLAN_EDITORS)
def actuals(request: Request, plan: str, db: Session = Depends(database)) -> Response:
    plan_folder(request, plan)
    return _actuals_page(request, db, plan)


@router.post("/plans/{plan}/actuals", include_in_schema=False)
@allow(PLAN_EDITORS)
def upload_actuals(
    request: Request, plan: str, file: UploadFile = File(...), db: Session = Depends(database)
) -> Response:
    """Check the file (type, size), then read it as the command line reads actuals: every
    bad row is listed and nothing is kept; a clean file waits for confirmation."""
    folder = plan_folder(request, plan)
    settings, visitor = _settings(request), _visitor(request)
    data = file.file.read(settings.max_body_bytes + 1)
    try:
        accepted = accept_upload(file.filename or "", data, settings)
    except UserError as exc:
        audit(db, visitor, "upload actuals", plan, "refused: not a file the site takes")
        db.commit()
        return _actuals_page(request, db, plan, error=exc, status=400)
    supersede(db, settings, visitor.name, plan)
    row = Upload(
        user=visitor.name, filename=accepted.name, size=accepted.size, sha256=accepted.sha256,
        status="previewed", plan=plan,
    )  # fmt: skip
    db.add(row)
    db.flush()
    staged = write_bytes(data, settings.files / "uploads" / f"{row.id}{accepted.suffix}")
    preview = site_plans.preview_actuals(staged, folder)
    if preview.problems:
        staged.unlink()
        row.status = "refused"
        outcome = f"refused: {len(preview.problems)} problems"
    else:
        row.rows = preview.rows
        outcome = f"previewed: {preview.rows} rows"
    audit(db, visitor, "upload actuals", f"{plan}: {accepted.name}", outcome)
    db.commit()
    return render(
        request, "plans_actuals_preview.html", 422 if preview.problems else 200,
        title=f"Check the actuals for {plan}", plan=plan, upload=row, preview=preview,
        sample=records(preview.sample),
    )  # fmt: skip


def staged_file(settings: SiteSettings, row: Upload) -> Path:
    """Where an upload waits for confirmation (named by its id, never by the sent name)."""
    return settings.files / "uploads" / f"{row.id}{Path(row.filename).suffix.lower()}"


def supersede(db: Session, settings: SiteSettings, user: str, plan: str) -> None:
    """A new upload replaces the person's earlier one still waiting for the plan: only the
    latest preview can be saved, and no unconfirmed file is left behind."""
    waiting = db.scalars(
        select(Upload).where(Upload.user == user, Upload.plan == plan, Upload.status == "previewed")
    )
    for earlier in waiting:
        staged_file(settings, earlier).unlink(missing_ok=True)
        earlier.status = "superseded"


@router.post("/plans/{plan}/actuals/{upload_id}/confirm", include_in_schema=False)
@allow(PLAN_EDITORS)
def confirm_actuals(
    request: Request, plan: str, upload_id: int, db: Session = Depends(database)
) -> Response:
    """Make a previewed upload (the same person's, unchanged) the plan's actuals."""
    plan_folder(request, plan)
    settings, visitor = _settings(request), _visitor(request)
    row = db.get(Upload, upload_id)
    if row is None or row.plan != plan or row.status != "previewed" or row.user != visitor.name:
        raise HTTPException(404, "There is no upload waiting to be saved.")
    staged = staged_file(settings, row)
    if not staged.is_file() or site_plans.sha256_of(staged) != row.sha256:
        raise HTTPException(404, "There is no upload waiting to be saved.")
    site_plans.save_actuals(staged, settings.files, plan)
    row.status = "saved"
    audit(db, visitor, "save actuals", f"{plan}: {row.filename}", f"saved: {row.rows} rows")
    db.commit()
    return RedirectResponse(f"/plans/{plan}/actuals", status_code=303)


@router.get("/plans/{plan}/actuals/download/{filename}", include_in_schema=False)
@allow(AGGREGATES)
def download_actuals(
    request: Request, plan: str, filename: str, db: Session = Depends(database)
) -> Response:
    """The plan's saved actuals as CSV or Excel, written as every table the product writes
    (a cell a spreadsheet would run as a formula comes back as text)."""
    plan_folder(request, plan)
    saved = site_plans.saved_actuals(_settings(request).files, plan)
    kind = filename.rsplit(".", 1)[-1]
    if saved is None or filename not in {f"actuals-{plan}.csv", f"actuals-{plan}.xlsx"}:
        raise HTTPException(404, "There is no such download.")
    frame = site_plans.actuals_table(saved)
    data = serialise_table(frame, f".{kind}")
    audit(db, _visitor(request), "download", filename, f"{len(frame)} rows")
    db.commit()
    return Response(
        data, media_type=MEDIA[kind],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip


@router.get("/plans/findings/review", include_in_schema=False)
@allow(PLAN_EDITORS)
def review_finding(request: Request, finding: str = "") -> Response:
    return _review_page(request, finding)


def _review_page(
    request: Request, finding: str, *, reason: str = "", error: str = "", status: int = 200
) -> Response:
    frame = site_plans.reviewed_findings(
        request.app.state.outputs, site_plans.accepted_file(_settings(request).files)
    )
    chosen = frame[frame["id"].astype(str) == finding]
    if chosen.empty:
        raise HTTPException(404, "There is no such finding.")
    return render(
        request, "plans_review.html", status, title="Accept a finding",
        finding=records(chosen)[0], reason=reason, error=error,
    )  # fmt: skip


@router.post("/plans/findings/review", include_in_schema=False)
@allow(PLAN_EDITORS)
def accept_finding(
    request: Request,
    finding: str = Form(""),
    reason: str = Form(""),
    db: Session = Depends(database),
) -> Response:
    """Accept a finding with its reason: in the accepted-findings file, the database and the
    audit; it then shows as accepted and `plan check --accepted` leaves it out."""
    settings, visitor = _settings(request), _visitor(request)
    try:
        accepted = site_plans.accepted_file(settings.files)
        outputs = request.app.state.outputs
        entry = site_plans.accept_finding(outputs, accepted, finding, reason, visitor.name)
    except UserError as exc:
        text = exc.message + (f" ({exc.hint})" if exc.hint else "")
        return _review_page(request, finding, reason=reason, error=text, status=400)
    db.add(AcceptedFinding(finding_id=entry.id, user=visitor.name, reason=entry.reason))
    audit(db, visitor, "accept finding", finding, "accepted")
    db.commit()
    return RedirectResponse("/plans#findings", status_code=303)


@router.get("/plans/{plan}/board-pack", include_in_schema=False)
@allow(AGGREGATES)
def board_pack_page(request: Request, plan: str, month: str | None = None) -> Response:
    """The board pack for a chosen month: open it here (HTML) or download the PDF."""
    plan_folder(request, plan)
    settings = _settings(request)
    source = site_plans.pack_actuals(request.app.state.outputs, settings.files, plan)
    months = site_plans.report_months(source) if source is not None else []
    chosen = month if month in months else (months[0] if months else None)
    saved = site_plans.saved_actuals(settings.files, plan) is not None
    return render(
        request, "board_pack.html", title=f"Board pack: {plan}", plan=plan, months=months,
        month=chosen, source=source.name if source else None, saved=saved,
    )  # fmt: skip


@router.get("/plans/{plan}/board-pack/{filename}", include_in_schema=False)
@allow(AGGREGATES)
def board_pack(
    request: Request, plan: str, filename: str, db: Session = Depends(database)
) -> Response:
    """The pack as `placehealth report board` writes it: HTML to read, PDF to download."""
    folder = plan_folder(request, plan)
    settings = _settings(request)
    match = PACK.match(filename)
    source = site_plans.pack_actuals(request.app.state.outputs, settings.files, plan)
    if match is None or source is None or match["month"] not in site_plans.report_months(source):
        raise HTTPException(404, "There is no such board pack.")
    kind = match["kind"]
    cache = settings.files / "packs"
    path = site_plans.board_pack(folder, source, match["month"], f".{kind}", cache)
    if kind == "html":
        return Response(
            path.read_bytes(), media_type="text/html; charset=utf-8",
            headers={"content-security-policy": PACK_CSP},
        )  # fmt: skip
    audit(db, _visitor(request), "download", f"board pack {plan} {match['month']}", "pdf")
    db.commit()
    return Response(
        path.read_bytes(), media_type=PDF,
        headers={"content-disposition": f'attachment; filename="board-pack-{plan}-{filename}"'},
    )  # fmt: skip
