"""What waits for coordinators besides links: questions the bot could not answer (answer them as
`ตอบ` does, and keep a good answer as an FAQ entry as `เพิ่มคำถาม` does) and admin
registrations (approve or refuse as `อนุมัติ` / `ปฏิเสธ` do). The askers and requesters learn
the outcome exactly as after the chat command."""

from __future__ import annotations

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
from handlers.replies import text_message
from models.base import local_today, utcnow
from models.faq import questions
from models.faq.entries import askers
from models.notices import outcomes
from models.queues.outbox import enqueue_push
from models.registry import registrations, roles

blueprint = Blueprint("web_waiting", __name__, url_prefix="/web")


def _coordinated() -> list[int]:
    return [p.id for p in g.user.provinces]


@blueprint.get("/waiting")
@signed_in
@coordinators_only
def view():
    province_ids = _coordinated()
    with get_db().session() as db:
        rows, total = questions.waiting(db, province_ids, limit=50)
        who = askers(db, rows)
        pending = registrations.pending_requests(db, province_ids)
        labels = [(r.id, roles.request_label(db, r)) for r in pending]
        db.expunge_all()
    return page(
        "waiting.html", user=g.user, rows=rows, total=total, who=who, requests=labels,
        done=" · ".join(get_flashed_messages()),
    )  # fmt: skip


def back(done: str):
    flash(done)  # in the session, not the address: a link cannot forge a success note
    return redirect(url_for("web_waiting.view"))


@blueprint.post("/questions/<int(max=2147483647):number>")
@signed_in
@coordinators_only
def answer(number: int):
    province_ids, text = _coordinated(), request.form.get("answer", "").strip()
    now, by = utcnow(), g.user.line_user_id
    with get_db().session() as db:
        row = questions.question_in(db, number, set(province_ids))
        if row is None or row.status != "open":
            return page("problem.html", 404, user=g.user, text="ไม่พบคำถามค้างนี้ในจังหวัดของคุณ")
        asker, _ = askers(db, [row])[row.id]
        sent = questions.answer_message(asker, row, text) if text else None
        if sent is None:
            why = "โปรดพิมพ์คำตอบ" if not text else "คำตอบยาวเกินไป โปรดย่อแล้วส่งใหม่"
            return page("problem.html", 400, user=g.user, text=why)
        questions.answer(db, row, text, by, now)
        if row.chat_id:
            message = text_message(sent)
            if row.quote_token:
                message["quoteToken"] = row.quote_token
            enqueue_push(db, row.chat_id, [message])
        done = f"ส่งคำตอบ #{row.id} แล้ว"
        if request.form.get("keep") and questions.not_ready_for_faq(row) is None:
            province = next(p for p in g.user.provinces if p.id == row.province_id)
            province = db.merge(province, load=False)
            key = questions.add_to_faq(db, row, province, local_today(now), by, now)
            done += f" และเพิ่มเข้าคลังคำถามแล้ว ({key})"
    return back(done)


@blueprint.post("/registrations/<int(max=2147483647):number>")
@signed_in
@coordinators_only
def decide(number: int):
    province_ids = _coordinated()
    approve = request.form.get("decision") == "approve"
    reason = request.form.get("reason", "").strip()[:300]
    if not approve and not reason:
        return page("problem.html", 400, user=g.user, text="โปรดพิมพ์เหตุผลที่ไม่อนุมัติ ผู้ขอจะได้รับแจ้ง")
    with get_db().session() as db:
        found = registrations.request_in(db, number, province_ids)
        if found is None or found.status != "pending":
            return page("problem.html", 404, user=g.user, text="ไม่พบคำขอที่รอพิจารณานี้")
        settled = outcomes.settle_requests(
            db, [found], approve, reason, by=g.user.line_user_id, now=utcnow(),
            per_day=current_app.config["PERSON_NOTICES_PER_DAY"], here=None,
        )  # fmt: skip
        for _, told in settled:
            enqueue_texts(db, told.pushes)
        line = settled[0][0]
    return back(f"{'อนุมัติ' if approve else 'ไม่อนุมัติ'}แล้ว: {line}")
