"""Officers ask; the bot answers from the FAQ when confident, else forwards to coordinators."""

from __future__ import annotations

from handlers.help import HINT
from handlers.replies import Outgoing, Reply, text_message
from handlers.router import Context, Router
from models.faq.answering import decide
from models.faq.corrections import record_answer
from models.faq.entries import askers, greet_once, keep_question, looks_like_question
from models.faq.index import chatter_kind
from models.line_text import cut, units
from models.notices.coordinators import NOWHERE, SENT, groups_to_notify
from models.registry import roles

GREETING = "สวัสดี บอทผู้ช่วย ITA พร้อมตอบคำถามเรื่อง ITA/IIT/EIT/OIT พิมพ์คำถามได้เลย หรือพิมพ์ ช่วยเหลือ"
THANKS = "ยินดีช่วยเหลือ"
DONT_KNOW = "ขออภัย บอทยังไม่เข้าใจหรือยังไม่มีคำตอบที่แน่ใจสำหรับคำถามนี้"
NOT_A_QUESTION = "ข้อความนี้ดูไม่เหมือนคำถาม บอทจึงไม่ได้ส่งต่อ ถ้ามีคำถาม พิมพ์ ถาม ตามด้วยคำถามสั้น ๆ ได้เลย"
FORWARDED = 300  # UTF-16 units of the question the coordinators' group is shown


def chatter_reply(ctx: Context, kind: str) -> Reply | None:
    """One-to-one: thanks get a short line, a greeting the bot's greeting once a day, the rest
    (รับทราบ, an emoji) nothing; in a group, always nothing."""
    if ctx.event.is_group:
        return None
    if kind == "thanks":
        return Reply.text(THANKS)
    if kind == "greeting" and greet_once(ctx.session, ctx.event.user_id or "", ctx.today):
        return Reply.text(GREETING)
    return None


def forward_text(row_id: int, asker: tuple[str, str], question: str) -> str:
    """The notice to coordinators: who asked where, the question's head, how to answer."""
    shown = f"“{cut(question, FORWARDED)}”"
    if units(question) > FORWARDED:
        shown += f"\n(ตัดมาแสดง {FORWARDED} ตัวอักษรแรก จากทั้งหมด {units(question):,})"
    return (
        f"คำถามที่บอทตอบไม่ได้ #{row_id}\nจาก {' · '.join(asker)}\n{shown}\n"
        f"ตอบกลับพิมพ์ ตอบ #{row_id} <คำตอบ>"
    )


def answer_question(ctx: Context, question: str) -> Reply | None:
    """Answer when confident; otherwise say so, keep the question and forward it."""
    question = question.strip()
    kind = chatter_kind(question)
    if kind:  # never an FAQ answer
        return chatter_reply(ctx, kind)
    if not looks_like_question(question):
        return Reply.text(NOT_A_QUESTION, quote=True)
    province = roles.chat_province(ctx.session, ctx.event.group_id, ctx.event.user_id)
    decision = decide(ctx.session, question, province, ctx.today)
    event = ctx.event
    asked = (event.chat_id, event.user_id, event.message_id, event.quote_token)
    if decision.answered:  # kept so a coordinator's ผิด on this answer knows what it carried
        province_id = province.id if province else None
        record_answer(ctx.session, province_id, asked, question, decision.entry_id, ctx.now)
        return Reply.text(decision.answer, quote=True)
    if province is None:
        return Reply.text(f"{DONT_KNOW}\n{HINT}", quote=True)
    row = keep_question(ctx.session, province.id, asked, question, decision, ctx.now)
    notice = text_message(forward_text(row.id, askers(ctx.session, [row])[row.id], question))
    limits = (ctx.config["PERSON_NOTICES_PER_DAY"], ctx.config["PROVINCE_NOTICES_PER_DAY"])
    groups, state = groups_to_notify(ctx.session, province.id, event.user_id, ctx.now, limits)
    told = {
        SENT: "ส่งต่อให้ผู้ประสานงานจังหวัดแล้ว",
        NOWHERE: "บันทึกไว้แล้ว แต่จังหวัดยังไม่มีกลุ่มผู้ประสานงานในบอท โปรดแจ้งผู้ประสานงานให้พิมพ์ คำถามค้าง",
    }.get(state, "เก็บไว้ให้ผู้ประสานงานจังหวัดตอบแล้ว")
    reply = Reply.text(f"{DONT_KNOW} {told} คำตอบจะส่งกลับมาในแชตนี้", quote=True)
    reply.elsewhere = [Outgoing(group, [notice]) for group in groups]
    return reply


def ask(ctx: Context, args: str) -> Reply:
    """ถามคำถามเรื่อง ITA/IIT/EIT/OIT ให้บอทตอบ
    ถาม <คำถาม> เช่น ถาม ส่ง OIT รอบแรกถึงวันไหน"""
    if not args.strip():
        return Reply.text("วิธีใช้: ถาม <คำถาม> เช่น ถาม OIT ต้องเผยแพร่กี่ข้อ", quote=True)
    if not looks_like_question(args):
        return Reply.text(NOT_A_QUESTION, quote=True)
    return answer_question(ctx, args) or Reply.text(
        "ยินดีช่วยเหลือ มีคำถามเรื่อง ITA พิมพ์ ถาม ตามด้วยคำถามได้เลย"
    )


def register(router: Router) -> None:
    router.command("ถาม", "สอบถาม")(ask)
    router.otherwise(answer_question)  # a mention, one-to-one text or a reply to the bot
