"""An unsent message withdraws what it recorded; an edited one is read again (newest wins)."""

from __future__ import annotations

from bot.replies import Reply
from bot.router import Context, Router
from handlers.oit.submissions import _event_time, record_lines
from models.oit import records as oit_records
from models.oit.parser import has_item_link, parse_links
from models.oit.submissions import SUPERSEDED
from models.registry import roles
from models.registry.tables import Agency


def message_edited(ctx: Context, args: str) -> Reply | None:
    message_id, text, at = ctx.event.message_id, ctx.event.text, _event_time(ctx)
    if not message_id or not ctx.event.user_id:
        return None
    rows = oit_records.from_message(ctx.session, message_id)
    if rows and rows[0].event_at > at:
        return None  # an older edit arriving late: the newer one already counts
    if not rows and not has_item_link(text):
        return None
    person = roles.person(ctx.session, ctx.event.user_id)
    mine = {a.id: a for a in roles.admin_agencies(ctx.session, person)}
    agency = ctx.session.get(Agency, rows[0].agency_id) if rows else None
    if agency is None and len(mine) == 1:
        agency = next(iter(mine.values()))
    if agency is None or agency.id not in mine:
        return None
    oit_records.end_message(ctx.session, message_id, ctx.event.user_id, ctx.now, SUPERSEDED)
    ctx.session.flush()
    reply = record_lines(ctx, agency, parse_links(text))
    reply.messages[0]["text"] = "อ่านข้อความที่แก้ไขแล้ว: " + reply.messages[0]["text"]
    return reply


def message_unsent(ctx: Context, args: str) -> Reply | None:
    message_id = ctx.event.unsent_message_id
    if message_id:
        codes = oit_records.end_message(
            ctx.session, message_id, ctx.event.user_id or "unknown", ctx.now
        )
        if codes:
            roles.audit(ctx.session, ctx.event.user_id or "unknown", "oit.unsend", items=codes)
    return None  # an unsend event carries no reply token


def register(router: Router) -> None:
    router.on("messageEdited")(message_edited)
    router.on("unsend")(message_unsent)
