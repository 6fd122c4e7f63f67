"""Coordinators see open questions, answer them, and turn good answers into FAQ entries."""

from __future__ import annotations

import re

from handlers.permissions import COORDINATOR_ONLY
from handlers.replies import Outgoing, Reply, text_message
from handlers.router import Context, Router
from models.base import local_today
from models.faq import questions
from models.faq.entries import OpenQuestion, askers
from models.faq.files import MAX_ANSWER
from models.line_text import cut, pack
from models.numbers import WHOLE, parse_int
from models.year.calendar import thai_date

BY_ID = re.compile(rf"^#?({WHOLE})\s*(.*)$", re.S)


def _question(ctx: Context, args: str, usage: str) -> tuple[OpenQuestion | None, str, Reply | None]:
    """(question, text after its number, or a reply saying what to type instead)."""
    match = BY_ID.match(args.strip())
    if not match:
        return None, "", Reply.text(usage)
    number = parse_int(match.group(1), 1)
    provinces = {p.id for p in ctx.provinces}
    row = questions.question_in(ctx.session, number, provinces) if number else None
    if row is None:
        missing = f"ไม่พบคำถาม #{match.group(1)[:12]} ของจังหวัดคุณ ดูเลขที่ถูกต้องได้จาก คำถามค้าง"
        return None, "", Reply.text(missing)
    return row, match.group(2).strip(), None


def reported(row: OpenQuestion) -> str:
    """How an officer's `ไม่ตรง` shows in the list, with the two ways to judge it."""
    if not row.answered_with:
        return ""
    return f"\n(แจ้งว่าคำตอบ {row.answered_with} ไม่ตรง: ผิด #{row.id} หรือ ตอบ #{row.id})"


def open_questions(ctx: Context, args: str) -> Reply:
    """คำถามที่บอทตอบไม่ได้ รอผู้ประสานงานตอบ (ผู้ประสานงาน)"""
    rows, total = questions.waiting(ctx.session, [p.id for p in ctx.provinces])
    if not rows:
        return Reply.text("ไม่มีคำถามค้าง")
    shown = f"{len(rows)} ข้อที่เก่าที่สุดจาก {total} ข้อ" if total > len(rows) else f"{total} ข้อ"
    who = askers(ctx.session, rows)
    lines = [f"คำถามค้าง {shown} (เก่าสุดก่อน) ตอบด้วย ตอบ #<เลข> <คำตอบ>"]
    lines += [
        f"#{r.id} {thai_date(local_today(r.asked_at))} {' · '.join(who[r.id])}: {cut(r.text, 120)}"
        + reported(r)
        for r in rows
    ]
    return Reply([text_message(text) for text in pack(lines)])


def answer(ctx: Context, args: str) -> Reply:
    """ตอบคำถามที่บอทตอบไม่ได้ ส่งคำตอบไปยังผู้ถาม (ผู้ประสานงาน)
    ตอบ #<เลขคำถาม> <คำตอบ>"""
    usage = "วิธีใช้: ตอบ #<เลขคำถาม> <คำตอบ> (ดูเลขได้จาก คำถามค้าง)"
    row, text, refusal = _question(ctx, args, usage)
    if refusal or not text:
        return refusal or Reply.text(usage)
    asker, _ = askers(ctx.session, [row])[row.id]
    sent = questions.answer_message(asker, row, text)
    if sent is None:
        return Reply.text(  # refused before anything is marked: LINE would refuse it too
            f"คำตอบยาวเกินไป (ยาวได้ไม่เกิน {questions.ANSWER_LIMIT:,} ตัวอักษร อีโมจินับเป็น 2) "
            f"โปรดย่อแล้วส่ง ตอบ #{row.id} <คำตอบ> ใหม่"
        )
    questions.answer(ctx.session, row, text, ctx.event.user_id, ctx.now)
    reply = Reply.text(f"ส่งคำตอบ #{row.id} แล้ว ถ้าควรเป็นคำตอบมาตรฐาน พิมพ์ เพิ่มคำถาม #{row.id}")
    if row.chat_id:
        message = text_message(sent)
        if row.quote_token:
            message["quoteToken"] = row.quote_token
        reply.elsewhere = [Outgoing(row.chat_id, [message])]
    return reply


def add_entry(ctx: Context, args: str) -> Reply:
    """เพิ่มคำถามที่ตอบแล้วเข้าคลังคำถามที่พบบ่อยของบอท (ผู้ประสานงาน)
    เพิ่มคำถาม #<เลขคำถาม>"""
    row, _, refusal = _question(ctx, args, "วิธีใช้: เพิ่มคำถาม #<เลขคำถาม>")
    if refusal:
        return refusal
    why_not = questions.not_ready_for_faq(row)
    if why_not == questions.UNANSWERED:
        return Reply.text(f"คำถาม #{row.id} ยังไม่มีคำตอบ ตอบก่อนด้วย ตอบ #{row.id} <คำตอบ>")
    if why_not == questions.TOO_LONG:
        return Reply.text(
            f"คำตอบ #{row.id} ยาวเกิน {MAX_ANSWER - 1} ตัวอักษรสำหรับคลังคำถาม ย่อแล้วส่ง "
            f"ตอบ #{row.id} <คำตอบ> ใหม่ แล้วพิมพ์ เพิ่มคำถาม #{row.id}"
        )
    province = next(p for p in ctx.provinces if p.id == row.province_id)
    by = ctx.event.user_id
    key = questions.add_to_faq(ctx.session, row, province, ctx.today, by, ctx.now)
    ctx.followups.add("faq_index")  # rebuilt by the worker after commit, not inside it
    return Reply.text(
        f"เพิ่มเข้าคลังคำถามแล้ว ({key}) บอทจะตอบคำถามแบบนี้เองในกลุ่มและแชตของจังหวัด"
        f"{province.name} ถ้าควรใช้ทั่วประเทศ แจ้งผู้ดูแลระบบ"
    )


def register(router: Router) -> None:
    router.command("คำถามค้าง", middleware=COORDINATOR_ONLY)(open_questions)
    router.command("ตอบ", middleware=COORDINATOR_ONLY)(answer)
    router.command("เพิ่มคำถาม", middleware=COORDINATOR_ONLY)(add_entry)
