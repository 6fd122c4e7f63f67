"""An unsent message withdraws what it recorded; an edited one is read again (newest wins)."""

from __future__ import annotations

from handlers.oit.submissions import record_lines
from handlers.replies import Reply
from handlers.router import Context, Router
from models.oit import message_changes
from models.oit.parser import parse_links


def message_edited(ctx: Context, args: str) -> Reply | None:
    message_id, text, user_id = ctx.event.message_id, ctx.event.text, ctx.event.user_id
    if not message_id or not user_id:
        return None
    at = ctx.event.sent_at or ctx.now
    agency = message_changes.reopen_edited(ctx.session, message_id, text, user_id, at, ctx.now)
    if agency is None:
        return None
    reply = record_lines(ctx, agency, parse_links(text))
    reply.messages[0]["text"] = "อ่านข้อความที่แก้ไขแล้ว: " + reply.messages[0]["text"]
    return reply


def message_unsent(ctx: Context, args: str) -> Reply | None:
    message_id = ctx.event.unsent_message_id
    if message_id:
        by = ctx.event.user_id or "unknown"
        message_changes.withdraw_unsent(ctx.session, message_id, by, ctx.now)
    return None  # an unsend event carries no reply token


def register(router: Router) -> None:
    router.on("messageEdited")(message_edited)
    router.on("unsend")(message_unsent)
