"""Notices a person's message sends to the coordinators' groups, within the daily limits."""

from __future__ import annotations

from bot.replies import Message, Outgoing
from bot.router import Context
from models.notices import limits as notice_limits
from models.registry.group_setup import groups_of

SENT, WITHHELD, NOWHERE = "sent", "withheld", "nowhere"
WAITS = "วันนี้มีคำขอถึงผู้ประสานงานหลายรายการ จึงเก็บไว้ในรายการรอ ผู้ประสานงานจะได้รับสรุปภายใน 1 วัน"


def to_coordinators(
    ctx: Context, province_id: int, messages: list[Message]
) -> tuple[list[Outgoing], str]:
    """(pushes to queue, SENT | WITHHELD | NOWHERE): NOWHERE when the province has no
    coordinators' group, WITHHELD when this person or province used the day's notices (the
    request stays in its pending list and is counted in the daily digest)."""
    groups = groups_of(ctx.session, province_id).get("coordinators", [])
    if not groups:
        return [], NOWHERE
    limits = (ctx.config["PERSON_NOTICES_PER_DAY"], ctx.config["PROVINCE_NOTICES_PER_DAY"])
    who = ctx.event.user_id or "unknown"
    if not notice_limits.allow(ctx.session, who, province_id, ctx.now, limits):
        return [], WITHHELD
    return [Outgoing(group, messages) for group in groups], SENT
