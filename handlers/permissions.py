"""Role checks as middleware: a refusal is one polite Thai line that says why."""

from __future__ import annotations

from handlers.replies import Reply
from handlers.router import Context, Handler
from models.registry import roles

NO_USER = "ขออภัย บอทไม่เห็นบัญชี LINE ของผู้ส่ง จึงทำคำสั่งนี้ไม่ได้"
GROUP_ONLY = "คำสั่งนี้ใช้ในกลุ่ม LINE ของจังหวัดเท่านั้น"
COORDINATORS_ONLY = "ขออภัย คำสั่งนี้สำหรับผู้ประสานงานจังหวัดเท่านั้น"
SETUP_FIRST = "กลุ่มนี้ยังไม่ได้ตั้งค่า ผู้ประสานงานพิมพ์ ตั้งค่ากลุ่ม <ภูมิภาค|ท้องถิ่น|ผู้ประสานงาน> <จังหวัด>"


def known_person(ctx: Context, args: str, next_handler: Handler) -> Reply | None:
    """Every command that changes data needs the sender's LINE user id."""
    if not ctx.event.user_id:
        return Reply.text(NO_USER)
    ctx.sender = roles.person(ctx.session, ctx.event.user_id)
    return next_handler(ctx, args)


def in_group(ctx: Context, args: str, next_handler: Handler) -> Reply | None:
    if not ctx.event.is_group:
        return Reply.text(GROUP_ONLY)
    return next_handler(ctx, args)


def coordinator(ctx: Context, args: str, next_handler: Handler) -> Reply | None:
    """Coordinators of the group's province; in a one-to-one chat, of any province they serve."""
    person = ctx.sender or roles.person(ctx.session, ctx.event.user_id)
    provinces = roles.coordinator_provinces_here(ctx.session, person, ctx.event.group_id)
    if not provinces:
        return Reply.text(COORDINATORS_ONLY)
    ctx.sender, ctx.coordinates = person, provinces
    return next_handler(ctx, args)


COORDINATOR_ONLY = (known_person, coordinator)
