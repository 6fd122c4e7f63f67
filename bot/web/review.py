"""The review desk: the links waiting, each beside its item's requirement, the checker's verdict
and earlier reviews; approve in one click, or send back with a reason (common ones one click
away). A verdict goes through the same domain calls as `ตรวจ` in chat, and the admins learn it
the same way (one-to-one pushes queued in the outbox, or held for their group's next reply)."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, request, url_for

from bot.db import get_db
from bot.web.session import page, signed_in
from handlers.replies import text_message
from models.base import utcnow
from models.notices import outcomes
from models.oit import review, review_desk
from models.oit.submissions import APPROVED, FIX
from models.queues.outbox import enqueue_push

blueprint = Blueprint("web_review", __name__, url_prefix="/web")


@blueprint.get("/review")
@signed_in
def desk():
    if not g.user.provinces:
        return page("problem.html", 403, user=g.user, text="หน้านี้สำหรับผู้ประสานงานจังหวัด")
    return desk_page(request.args.get("done", "")[:200])


def desk_page(done: str):
    with get_db().session() as db:
        waiting, total = review_desk.queue(db, [p.id for p in g.user.provinces])
        db.expunge_all()
    return page(
        "review.html", user=g.user, waiting=waiting, total=total,
        reasons=review_desk.COMMON_REASONS, done=done,
    )  # fmt: skip


@blueprint.post("/review/<int:submission_id>")
@signed_in
def decide(submission_id: int):
    outcome = request.form.get("outcome")
    reason = (request.form.get("reason") or request.form.get("common") or "").strip()
    if outcome not in (APPROVED, FIX) or (outcome == FIX and not reason):
        return page("problem.html", 400, user=g.user, text="โปรดเลือกผ่าน หรือส่งกลับพร้อมเหตุผล")
    now, by = utcnow(), g.user.line_user_id
    with get_db().session() as db:
        found = review.submission_in(db, submission_id, {p.id for p in g.user.provinces})
        if found is None:
            return page("problem.html", 404, user=g.user, text="ไม่พบรายการนี้ในจังหวัดของคุณ")
        row, agency = found
        if not review.still_current(row):
            text = f"{row.item_code} ของ{agency.name} มีลิงก์ใหม่แล้ว โปรดตรวจรายการล่าสุด"
            return page("problem.html", 409, user=g.user, text=text)
        review.decide(db, row, outcome, reason[: review.NOTE_LIMIT], by, now)
        limit = current_app.config["PERSON_NOTICES_PER_DAY"]
        told = outcomes.tell_review(db, agency, [row], now, limit, by, None)
        for to, text in told.pushes:
            enqueue_push(db, to, [text_message(text)])
        done = f"{agency.code} {row.item_code} {'ผ่าน' if outcome == APPROVED else 'ส่งกลับแก้ไข'}"
    return after(done)


def after(done: str):
    if request.headers.get("HX-Request"):  # htmx: the desk with the next link, one request
        return desk_page(done)
    return redirect(url_for("web_review.desk", done=done))


@blueprint.post("/review/approve-selected")
@signed_in
def approve_selected():
    """Several links approved at once; each agency's admins get one message for theirs."""
    chosen = [int(i) for i in request.form.getlist("ids") if i.isdigit()][:100]
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
            for to, text in told.pushes:
                enqueue_push(db, to, [text_message(text)])
        count = sum(len(rows) for _, rows in by_agency.values())
    skipped = len(chosen) - count
    done = f"ผ่าน {count} รายการ" + (f" (ข้าม {skipped} รายการที่มีลิงก์ใหม่แล้ว)" if skipped else "")
    return after(done)
