"""The matrix: a coordinator's province as agencies × items, each cell coloured by status,
filtered by group kind, district and status; a cell opens its submission (links, checker
verdicts, earlier reviews). The same view downloads as CSV (UTF-8 with BOM, so Excel shows
Thai) or XLSX."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, current_app, g, request
from openpyxl import Workbook

from bot.db import get_db
from bot.reports import report_url
from bot.web.session import coordinators_only, page, signed_in
from models.base import local_today, utcnow
from models.oit import review_desk
from models.oit.matrix import LABELS, Matrix, matrix
from models.oit.summary import GROUP_KINDS, overview
from models.registry.tables import Province

blueprint = Blueprint("web_matrix", __name__, url_prefix="/web")
KINDS = {"regional": "ส่วนภูมิภาค", "local": "อปท."}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _view() -> tuple[Province, dict, Matrix | None]:
    """The province asked for (one the person coordinates) and the filters, as given."""
    wanted = request.args.get("province", type=int)
    province = next((p for p in g.user.provinces if p.id == wanted), g.user.provinces[0])
    filters = {
        "kind": request.args.get("kind") if request.args.get("kind") in GROUP_KINDS else None,
        "district": (request.args.get("district") or "")[:100] or None,
        "status": request.args.get("status") if request.args.get("status") in LABELS else None,
    }
    with get_db().session() as db:
        found = matrix(db, db.merge(province, load=False), local_today(utcnow()), **filters)
        db.expunge_all()
    return province, filters, found


@blueprint.get("/matrix")
@signed_in
@coordinators_only
def view():
    province, filters, found = _view()
    query = request.query_string.decode()
    month = local_today(utcnow()).strftime("%Y-%m")
    workbook = report_url(current_app, province.id, month) + "?openExternalBrowser=1"
    return page(
        "matrix.html", user=g.user, province=province, filters=filters, m=found, labels=LABELS,
        kinds=KINDS, query=query, workbook=workbook,
    )  # fmt: skip


def table(found: Matrix) -> list[list[str]]:
    header = ["รหัส", "หน่วยงาน", "อำเภอ", *found.codes]
    body = [
        [a.code, a.name, a.district or "", *(LABELS[cells[c]] for c in found.codes)]
        for a, cells, _ in found.rows
    ]
    return [header, *body]


def download(rows: list[list[str]], name: str, kind: str) -> Response:
    """A table as CSV (UTF-8 with a BOM, so Excel shows Thai) or XLSX (headings frozen)."""
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        body, mimetype = "\ufeff" + out.getvalue(), "text/csv; charset=utf-8"
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "OIT"
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "C2"
        out = io.BytesIO()
        book.save(out)
        body, mimetype = out.getvalue(), XLSX
    disposition = f'attachment; filename="{name}.{kind}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


@blueprint.get("/matrix.<any(csv, xlsx):kind>")
@signed_in
@coordinators_only
def export(kind: str):
    province, _, found = _view()
    return download(table(found) if found else [], f"oit-matrix-{province.id}", kind)


@blueprint.get("/honour.<any(csv, xlsx):kind>")
@signed_in
@coordinators_only
def honour(kind: str):
    """The agencies complete on time at every passed phase deadline (the honour list)."""
    province, _, _ = _view()
    with get_db().session() as db:
        seen = overview(db, db.merge(province, load=False), None, local_today(utcnow()))
        rows = [["รหัส", "หน่วยงาน", "อำเภอ"]]
        if seen is not None and seen.per_phase:
            honoured = sorted((seen.agencies[a] for a in seen.honour), key=lambda a: a.code)
            rows += [[a.code, a.name, a.district or ""] for a in honoured]
    return download(rows, f"oit-honour-{province.id}", kind)


@blueprint.get("/submission/<int(max=2147483647):submission_id>")
@signed_in
def submission(submission_id: int):
    with get_db().session() as db:
        found = review_desk.one(db, submission_id, {p.id for p in g.user.provinces})
        db.expunge_all()
    if found is None:
        return page("problem.html", 404, user=g.user, text="ไม่พบรายการนี้ในจังหวัดของคุณ")
    return page("submission.html", user=g.user, w=found)
