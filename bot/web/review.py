"""The review desk: the links waiting, each beside its item's requirement, the checker's verdict
and earlier reviews; approve in one click, or send back with a reason (common ones one click
away). A verdict goes through the same domain calls as `ตรวจ` in chat, and the admins learn it
the same way (one-to-one pushes queued in the outbox, or held for their group's next reply)."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    request,
    url_for,
)

from bot.db import get_db
from bot.outbox import enqueue_texts
from bot.web.session import coordinators_only, page, signed_in
from models.base import utcnow
from models.notices import outcomes
from models.oit import review, review_desk
from models.oit.submissions import APPROVED, FIX

blueprint = Blueprint("web_review", __name__, url_prefix="/web")
ID = re.compile(r"[0-9]{1,9}")


@blueprint.get("/review")
@signed_in
@coordinators_only
def desk():
    notes = get_flashed_messages(with_categories=True)
    return desk_page(*(notes[-1][::-1] if notes else ("", "done")))


def desk_page(done: str, kind: str = "done"):
    with get_db().session() as db:
        waiting, total = review_desk.queue(db, [p.id for p in g.user.provinces])
        db.expunge_all()
    return page(
        "review.html", user=g.user, waiting=waiting, total=total,
        reasons=review_desk.COMMON_REASONS, done=done, kind=kind,
    )  # fmt: skip


@blueprint.post("/review/<int(max=2147483647):submission_id>")
@signed_in
def decide(submission_id: int):
    outcome = request.form.get("outcome")
    reason = (request.form.get("reason") or request.form.get("common") or "").strip()
    if outcome not in (APPROVED, FIX) or (outcome == FIX and not reason):
        return refused(400, "โปรดเลือกผ่าน หรือส่งกลับพร้อมเหตุผล")
    now, by, problem = utcnow(), g.user.line_user_id, None
    with get_db().session() as db:  # a refusal is rendered after it: one session at a time
        found = review.submission_in(db, submission_id, {p.id for p in g.user.provinces})
        if found is None:
            problem = (404, "ไม่พบรายการนี้ในจังหวัดของคุณ")
        elif not review.still_current(found[0]):
            row, agency = found
            problem = (409, f"{row.item_code} ของ{agency.name} มีลิงก์ใหม่แล้ว โปรดตรวจรายการล่าสุด")
        else:
            row, agency = found
            review.decide(db, row, outcome, reason[: review.NOTE_LIMIT], by, now)
            limit = current_app.config["PERSON_NOTICES_PER_DAY"]
            told = outcomes.tell_review(db, agency, [row], now, limit, by, None)
            enqueue_texts(db, told.pushes)
            verdict = "ผ่าน" if outcome == APPROVED else "ส่งกลับแก้ไข"
            done = f"{agency.code} {row.item_code} {verdict}"
    if problem:
        return refused(*problem)
    return after(done)


def after(done: str, kind: str = "done"):
    """The desk again with what happened: in place for htmx (one request), else a redirect
    with the note kept in the session (never in the address, where a link could forge it)."""
    if request.headers.get("HX-Request"):
        return desk_page(done, kind)
    flash(done, kind)
    return redirect(url_for("web_review.desk"))


def refused(status: int, text: str):
    """htmx does not swap an error answer: show the refusal on the desk instead."""
    if request.headers.get("HX-Request"):
        return desk_page(text, "problem")
    return page("problem.html", status, user=g.user, text=text)


@blueprint.post("/review/approve-selected")
@signed_in
def approve_selected():
    """Several links approved at once; each agency's admins get one message for theirs."""
    chosen = [int(i) for i in request.form.getlist("ids") if ID.fullmatch(i)][:100]
    now, by, provinces = utcnow(), g.user.line_user_id, {p.id for p in g.user.provinces}
    by_agency: dict[int, tuple] = {}
    with get_db().session() as db:
        for number in chosen:
            found = review.submission_in(db, number, provinces)
            if found is None or not review.still_current(found[0]):
                continue
            row, agency = found
            review.decide(db, row, APPROVED, "", by, now)
            by_agency.setdefault(agency.id, (agency, []))[1].append(row)
        limit = current_app.config["PERSON_NOTICES_PER_DAY"]
        for agency, rows in by_agency.values():
            told = outcomes.tell_review(db, agency, rows, now, limit, by, None)
            enqueue_texts(db, told.pushes)
        count = sum(len(rows) for _, rows in by_agency.values())
    skipped = len(chosen) - count
    done = f"ผ่าน {count} รายการ" + (f" (ข้าม {skipped} รายการที่มีลิงก์ใหม่แล้ว)" if skipped else "")
    return after(done)
