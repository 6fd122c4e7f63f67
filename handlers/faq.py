"""Officers ask; the bot answers from the FAQ when confident, else forwards to coordinators."""

from __future__ import annotations

from bot.replies import Reply, text_message
from bot.router import Context, Router
from handlers.coordinator_notices import SENT, to_coordinators
from handlers.help import HINT
from handlers.registration import _name
from models import roles
from models.faq import OpenQuestion
from models.faq_index import is_chatter
from models.faq_service import decide

GREETING = "สวัสดี บอทผู้ช่วย ITA พร้อมตอบคำถามเรื่อง ITA/IIT/EIT/OIT พิมพ์คำถามได้เลย หรือพิมพ์ ช่วยเหลือ"
DONT_KNOW = "ขออภัย บอทยังไม่เข้าใจหรือยังไม่มีคำตอบที่แน่ใจสำหรับคำถามนี้"


def answer_question(ctx: Context, question: str) -> Reply | None:
    """Answer when confident; otherwise say so, keep the question and forward it."""
    question = question.strip()
    if is_chatter(question):  # never an FAQ answer; one-to-one, a friendly pointer instead
        return None if ctx.event.is_group else Reply.text(GREETING)
    province = roles.chat_province(ctx.session, ctx.event.group_id, ctx.event.user_id)
    decision = decide(ctx.session, question, province, ctx.today)
    if decision.answered:
        return Reply.text(decision.answer, quote=True)
    if province is None:
        return Reply.text(f"{DONT_KNOW}\n{HINT}", quote=True)
    row = OpenQuestion(
        province_id=province.id,
        chat_id=ctx.event.chat_id,
        user_id=ctx.event.user_id,
        message_id=ctx.event.message_id,
        quote_token=ctx.event.quote_token,
        text=question[:1000],
        best_key=decision.entry_id,
        best_score=decision.score,
        asked_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    asker = _name(roles.person(ctx.session, ctx.event.user_id)) if ctx.event.user_id else "-"
    notice = text_message(
        f"คำถามที่บอทตอบไม่ได้ #{row.id} จาก {asker}:\n“{question[:500]}”\n"
        f"ตอบกลับพิมพ์ ตอบ #{row.id} <คำตอบ>"
    )
    pushes, state = to_coordinators(ctx, province.id, [notice])
    told = "ส่งต่อให้ผู้ประสานงานจังหวัดแล้ว" if state == SENT else "เก็บไว้ให้ผู้ประสานงานจังหวัดตอบแล้ว"
    reply = Reply.text(f"{DONT_KNOW} {told} คำตอบจะส่งกลับมาในแชตนี้", quote=True)
    reply.elsewhere = pushes
    return reply


def ask(ctx: Context, args: str) -> Reply:
    """ถามคำถามเรื่อง ITA/IIT/EIT/OIT ให้บอทตอบ
    ถาม <คำถาม> เช่น ถาม ส่ง OIT รอบแรกถึงวันไหน"""
    if not args.strip():
        return Reply.text("วิธีใช้: ถาม <คำถาม> เช่น ถาม OIT ต้องเผยแพร่กี่ข้อ", quote=True)
    return answer_question(ctx, args) or Reply.text(
        "ยินดีช่วยเหลือ มีคำถามเรื่อง ITA พิมพ์ ถาม ตามด้วยคำถามได้เลย"
    )


def register(router: Router) -> None:
    router.command("ถาม", "สอบถาม")(ask)
    router.otherwise(answer_question)  # a mention, one-to-one text or a reply to the bot
