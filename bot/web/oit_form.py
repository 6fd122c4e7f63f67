"""The agency admin's OIT form: every item of the round with its requirement, current links,
status and any reason to fix; links added or changed inline and saved at once for many items,
checked by the same rules as the chat (models.oit.submitting), so chat and form are two doors
to the same records."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Blueprint, abort, g, request

from bot.db import get_db
from bot.web.session import STATUS_WORDS, page, signed_in
from models.base import utcnow
from models.oit import records, submitting
from models.oit.context import framework_for
from models.oit.parser import ParsedLinks, parse_links
from models.oit.records import item_status, urls_of
from models.oit.submissions import FIX

blueprint = Blueprint("web_oit_form", __name__, url_prefix="/web")
FIELD_LIMIT = 4000


@dataclass
class Row:
    code: str
    title: str
    description: str
    links: str  # as shown in the field: one link a line
    status: str
    reason: str | None


def form_lines(fields: dict[str, str], current: dict[str, str]) -> ParsedLinks:
    """The changed fields as chat lines "O5 <links>", one per item, numbered in form order."""
    parsed = ParsedLinks()
    for number, (code, text) in enumerate(fields.items(), start=1):
        if not text.strip() or text.split() == current.get(code, "").split():
            continue
        one = parse_links(f"{code} {' '.join(text.split())}")
        for line in one.items:
            line.line_no = number
        for bad in one.bad:
            bad.line_no = number
        parsed.items += one.items
        parsed.bad += one.bad
    return parsed


def _agency(db, code: str):
    agency = next((a for a in g.user.agencies if a.code == code), None)
    if agency is None:
        abort(404, "ไม่พบหน่วยงานนี้ในหน่วยงานที่คุณเป็นแอดมิน")
    return db.merge(agency, load=False)


def _rows(db, agency, framework) -> list[Row]:
    live = records.current(db, agency.id, framework.id)
    rows = []
    for item in records.items_of(db, framework.id):
        sub = live.get(item.code)
        status = item_status(sub)
        reason = sub.review_note if sub is not None and status == FIX else None
        links = "\n".join(urls_of(sub)) if sub is not None else ""
        shown = STATUS_WORDS[status]
        rows.append(Row(item.code, item.title, item.description, links, shown, reason))
    return rows


@blueprint.route("/agency/<code>/oit", methods=["GET", "POST"])
@signed_in
def form(code: str):
    now, done = utcnow(), None
    with get_db().session() as db:
        agency = _agency(db, code)
        framework = framework_for(db, agency, now)
        if framework is None:
            return page("problem.html", 404, user=g.user, text="ยังไม่มีกรอบการประเมินของปีนี้")
        typed = {}
        if request.method == "POST":
            current = {r.code: r.links for r in _rows(db, agency, framework)}
            typed = {c: request.form.get(f"item-{c}", "")[:FIELD_LIMIT] for c in current}
            parsed = form_lines(typed, current)
            done = submitting.record_links(
                db,
                agency,
                framework,
                parsed,
                by=g.user.line_user_id,
                now=now,
                source="web",
                by_item=True,
            )
        rows = _rows(db, agency, framework)
        refused = set()
        if done is not None:  # what was refused stays as typed, to be corrected
            refused = {
                r.code for r in rows
                if typed.get(r.code, "").strip() and typed[r.code].split() != r.links.split()
            }  # fmt: skip
            rows = [replace(r, links=typed[r.code]) if r.code in refused else r for r in rows]
        name = agency.name
        db.expunge_all()
    return page(
        "oit_form.html", user=g.user, name=name, code=code, rows=rows, done=done,
        refused=refused, year=framework.fiscal_year,
    )  # fmt: skip
