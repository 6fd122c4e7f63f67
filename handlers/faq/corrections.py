"""Telling the bot it answered wrongly: a coordinator's `ผิด` on its answer teaches their
province's index; an officer's `ไม่ตรง` is kept for coordinators to judge."""

from __future__ import annotations

import re

from handlers.faq.answering import answer_question
from handlers.permissions import coordinator, known_person
from handlers.replies import Reply, text_message
from handlers.router import Context, Handler, Router
from models.faq import answering, corrections, questions
from models.faq.corrections import FaqAnswer
from models.line_text import cut
from models.numbers import WHOLE, parse_int
from models.registry import roles

SHOULD_BE = re.compile(r"^(?:ควร\s*(?:เป็น|ตอบ(?:ด้วย)?)|ที่ถูก(?:คือ)?)\s*(.+)$", re.S)
BY_NUMBER = re.compile(rf"^#\s*({WHOLE})\s*(.*)$", re.S)
USAGE = (
    "วิธีใช้: ตอบกลับ (quote) คำตอบของบอทที่ผิด แล้วพิมพ์ ผิด หรือ ผิด ควรเป็น <รหัสคำถาม/ข้อ>"
    " หรือพิมพ์ ผิด #<เลขคำถามค้าง>"
)
NOT_AN_ANSWER = "ข้อความที่ตอบกลับไม่ใช่คำตอบจากคลังคำถามของบอท จึงไม่ได้บันทึก"


def addressed(ctx: Context, args: str, next_handler: Handler) -> Reply | None:
    """Only a reply to the bot's message or a `#n` is a correction. In a group anything else
    starting with ผิด/ไม่ตรง is people talking, and the bot stays quiet; one-to-one it is a
    question ("ไม่ตรง เวลาส่งได้ไหม"), answered as one."""
    quoting = bool(ctx.event.quoted_message_id and ctx.is_bot_message(ctx.event.quoted_message_id))
    if quoting or BY_NUMBER.match(args.strip()):
        return next_handler(ctx, args)
    if ctx.event.is_group:
        return None
    if args.strip():
        return answer_question(ctx, ctx.event.text_without_bot_mention)
    return Reply.text(USAGE)


def coordinator_or_report(ctx: Context, args: str, next_handler: Handler) -> Reply | None:
    """A coordinator's `ผิด` corrects; anyone else's counts as `ไม่ตรง`, for them to judge."""
    if roles.coordinator_provinces_here(ctx.session, ctx.person, ctx.event.group_id):
        return coordinator(ctx, args, next_handler)
    return not_matching(ctx, args)


def _too_old(ctx: Context) -> Reply:
    days = ctx.config["INBOX_RETENTION_DAYS"]
    return Reply.text(f"คำตอบนี้เก่ากว่า {days} วัน บอทไม่ได้เก็บคำถามของคำตอบนี้ไว้แล้ว จึงแก้ไม่ได้")


def _quoted(ctx: Context) -> tuple[FaqAnswer | None, Reply | None]:
    found = corrections.quoted_answer(ctx.session, ctx.event.quoted_message_id)
    if found.too_old:
        return None, _too_old(ctx)
    if found.answer is None:
        return None, Reply.text(NOT_AN_ANSWER if ctx.event.quoted_message_id else USAGE)
    return found.answer, None


def named(entry: dict) -> str:
    """An entry as a coordinator recognises it: its code and the first of its questions."""
    return f"{entry['id']} (เรื่อง “{cut(entry['questions'][0], 50)}”)"


def wrong(ctx: Context, args: str) -> Reply:
    """แจ้งว่าบอทตอบผิด ให้บอทเลิกตอบคำถามแบบนั้นด้วยคำตอบเดิม (ผู้ประสานงาน)
    ตอบกลับ (quote) คำตอบของบอท แล้วพิมพ์ ผิด หรือ ผิด ควรเป็น <รหัสคำถาม/ข้อ เช่น O20>
    ผิด #<เลข> สำหรับคำถามที่ผู้ใช้แจ้งว่าไม่ตรง (ดูจาก คำถามค้าง)"""
    args, reported = args.strip(), None
    by_number = BY_NUMBER.match(args)
    if by_number:
        number = parse_int(by_number.group(1), 1) or 0
        reported = questions.question_in(ctx.session, number, {p.id for p in ctx.provinces})
        if reported is None or not reported.answered_with or reported.status != "open":
            return Reply.text(f"ไม่พบคำถาม #{number} ที่มีผู้แจ้งว่าคำตอบไม่ตรงในจังหวัดของคุณ")
        answer, args = corrections.as_answer(reported), by_number.group(2).strip()
    else:
        answer, refusal = _quoted(ctx)
        if refusal:
            return refusal
    province = next((p for p in ctx.provinces if p.id == answer.province_id), None)
    if province is None:
        return Reply.text("คำตอบนี้ให้ในจังหวัดอื่นหรือแชตที่ไม่ได้ผูกกับจังหวัด แก้ได้เฉพาะผู้ประสานงานจังหวัดนั้น")
    should_be = SHOULD_BE.match(args)
    if args and not should_be:
        return Reply.text(USAGE)
    right = None
    if should_be:
        right = answering.entry_named(ctx.session, should_be.group(1), province, ctx.today)
        if right is None or right["id"] == answer.entry_key:
            near = answering.nearest_entries(
                ctx.session, answer.question, province, ctx.today, answer.entry_key
            )
            listed = "\n".join(f"{e['id']}: {cut(e['questions'][0], 60)}" for e in near)
            return Reply.text(
                f"ไม่พบคำถามรหัส “{cut(should_be.group(1), 40)}” ที่ต่างจากคำตอบเดิม "
                f"ในคลังคำถาม รหัสที่ใกล้เคียง:\n{listed}"
            )
    fix = corrections.correct(
        ctx.session, answer, right and right["id"], ctx.event.user_id, ctx.now
    )
    if reported is not None:
        corrections.judged(ctx.session, reported, ctx.event.user_id, ctx.now)
    ctx.followups.add("faq_index")  # rebuilt by the worker after commit
    asked = f"“{cut(answer.question, 120)}”"
    given = answering.entry_named(ctx.session, answer.entry_key, province, ctx.today)
    wrong_entry = named(given) if given else answer.entry_key
    if right is None:
        return Reply.text(
            f"บันทึกแล้ว: บอทจะไม่ตอบ {asked} ด้วย {wrong_entry} อีก (เฉพาะจังหวัด{province.name})\n"
            f"ส่งเข้าคำถามค้าง #{fix.question_id} แล้ว ตอบผู้ถามด้วย ตอบ #{fix.question_id} <คำตอบ>"
        )
    text = answering.answer_text(ctx.session, right, province, ctx.today)
    reply = Reply.text(
        f"บันทึกแล้ว: คำถาม {asked} ต่อไปบอทจะตอบด้วย {named(right)} แทน {wrong_entry}"
        f" (เฉพาะจังหวัด{province.name})"
    )
    corrected = text_message(f"คำตอบที่ถูกต้อง:\n{text}")
    if answer.quote_token and answer.chat_id == ctx.event.chat_id:
        corrected["quoteToken"] = answer.quote_token  # the asker sees it under their question
    reply.messages.append(corrected)
    return reply


def not_matching(ctx: Context, args: str) -> Reply | None:
    """แจ้งว่าคำตอบของบอทไม่ตรงคำถาม ให้ผู้ประสานงานตรวจ
    ตอบกลับ (quote) คำตอบของบอท แล้วพิมพ์ ไม่ตรง"""
    answer, refusal = _quoted(ctx)
    if refusal:
        return refusal
    if answer.province_id is None:
        return Reply.text("ขอบคุณที่แจ้ง แชตนี้ไม่ได้ผูกกับจังหวัด จึงไม่มีผู้ประสานงานรับเรื่อง")
    row = corrections.report(ctx.session, answer, ctx.event.user_id, ctx.now)
    return Reply.text(
        f"ขอบคุณที่แจ้ง บันทึกเป็นคำถามค้าง #{row.id} ให้ผู้ประสานงานจังหวัดตรวจและตอบแล้ว", quote=True
    )


def register(router: Router) -> None:
    router.command("ผิด", middleware=(addressed, known_person, coordinator_or_report))(wrong)
    router.command("ไม่ตรง", middleware=(addressed, known_person))(not_matching)
