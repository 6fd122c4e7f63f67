"""Queue the notices due at a moment: push what the budget allows, hold the rest for replies."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.outbox import enqueue_push
from models import held
from models.budget import (
    DEFAULT_GROUP_SIZE,
    group_sizes,
    month_bounds,
    month_candidates,
    plan,
)
from models.chats import Group, Person
from models.domain import Province
from models.notice_text import build
from models.notifications import BANGKOK, Candidate, groups_of
from models.outbox import OutboxMessage
from models.working_days import is_working_day

HELD_WARNING = (
    "ℹ️ เดือนนี้โควตาข้อความ LINE ของบอทไม่พอส่งแจ้งเตือนทุกครั้ง แจ้งเตือนที่งดส่งจะแนบไปกับ"
    "คำตอบถัดไปของบอทในกลุ่มนั้นแทน (ไม่เสียโควตา) ถ้าต้องการให้ออกทันที พิมพ์ กำหนดการ ในกลุ่มนั้น"
    " หรือผู้ประสานงานแจ้งเองในกลุ่ม"
)


def quiet(at: dt.datetime, config: dict) -> bool:
    """No pushes outside working hours, at weekends or on public holidays."""
    local = at.astimezone(BANGKOK)
    start, end = config["QUIET_HOURS_END"], config["QUIET_HOURS_START"]
    return not is_working_day(local.date()) or not start <= local.hour < end


def plain(messages: list[dict], session: Session) -> str:
    """A held notice as plain text: mentions become @names (a reply carries text only)."""
    mentions = [(m["text"], m.get("substitution") or {}) for m in messages]
    users = {s["mentionee"]["userId"] for _, subs in mentions for s in subs.values()}
    names = dict(
        session.execute(
            select(Person.line_user_id, Person.display_name).where(Person.line_user_id.in_(users))
        ).all()
    ) if users else {}  # fmt: skip
    parts = []
    for text, subs in mentions:
        for key, sub in subs.items():
            name = names.get(sub["mentionee"]["userId"])
            text = text.replace("{" + key + "}", f"@{name or 'แอดมิน'}")
        parts.append(text)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts))


def due(month: list[Candidate], at: dt.datetime, province_id: int | None = None) -> list[Candidate]:
    """The candidates of the month (see month_candidates) whose moment is `at`."""
    return [c for c in month if c.at == at and province_id in (None, c.province_id)]


def recheck_links(
    session: Session, month: list[Candidate], at: dt.datetime, now_utc: dt.datetime
) -> int:
    """A few days before each phase deadline, fetch every current link of the province again."""
    from bot.link_jobs import queue_recheck
    from models import AuditEntry

    queued = 0
    for c in due(month, at):
        if c.kind != "recheck":
            continue
        detail = json.dumps(
            {"province": c.province_id, "subject": c.subject, "day": str(at.date())}
        )
        done = select(AuditEntry.id).where(
            AuditEntry.action == "links.recheck", AuditEntry.detail == detail
        )
        if session.scalar(done) is None:  # else a restart or a second clock did it already
            queued += queue_recheck(session, c.province_id, now_utc)
            session.add(AuditEntry(actor="clock", action="links.recheck", detail=detail))
    return queued


def notices(session: Session, at: dt.datetime, config: dict, province_id=None, month=None):
    """(candidate, messages, delivery) for every notice due at `at` that has something to say."""
    if quiet(at, config):
        return []
    month = month_candidates(session, at) if month is None else month
    decisions = plan(session, at, config["LINE_MONTHLY_MESSAGE_BUDGET"], month)
    today, now_utc = at.astimezone(BANGKOK).date(), at.astimezone(dt.UTC).replace(tzinfo=None)
    result = []
    for c in due(month, at, province_id):
        if not c.costs:
            continue
        messages = build(session, c, today, now_utc, report_link)
        if messages:
            result.append((c, messages, decisions.get(c.key, "held")))
    return result


def stale_sizes(session: Session, month: list[Candidate], config: dict, now_utc) -> list[str]:
    """Groups the planner prices a push for whose member count is not known this day."""
    ttl = dt.timedelta(hours=config["MEMBER_COUNT_TTL_HOURS"])
    wanted = {c.group_id for c in month if c.costs}
    rows = session.execute(
        select(Group.line_group_id, Group.member_count_at).where(
            Group.line_group_id.in_(wanted), Group.active.is_(True)
        )
    )
    return [group_id for group_id, at in rows if at is None or now_utc - at > ttl]


def fetch_sizes(group_ids: list[str], config: dict) -> dict[str, int]:
    """Ask LINE; called outside any transaction (each call may take seconds)."""
    from bot.line_client import LineError
    from bot.worker import make_client

    sizes, client = {}, None
    for group_id in group_ids:
        client = client or make_client(config)
        try:
            sizes[group_id] = client.group_member_count(group_id)
        except LineError:
            pass  # keep the old figure (or the default) rather than stop the morning's notices
    return sizes


def store_sizes(session: Session, sizes: dict[str, int], now_utc: dt.datetime) -> None:
    for group in session.scalars(select(Group).where(Group.line_group_id.in_(sizes))):
        group.member_count, group.member_count_at = sizes[group.line_group_id], now_utc


def report_link(province_id: int, month: str) -> str:
    from flask import current_app

    from bot.reports import report_url

    return report_url(current_app, province_id, month)


def _push_once(session: Session, to: str, messages: list[dict], key: str) -> bool:
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.notification_key == key)):
        return False
    try:
        with session.begin_nested():
            enqueue_push(session, to, messages, notification_key=key)
    except IntegrityError:  # another clock queued it a moment ago
        return False
    return True


def send(session: Session, at: dt.datetime, config: dict, now_utc: dt.datetime, month=None) -> int:
    """The clock's job: queue each due notice once (its key is unique), or hold it
    (`month`: the month's candidates when the caller already read them)."""
    queued = 0
    month = month_candidates(session, at) if month is None else month
    recheck_links(session, month, at, now_utc)
    label = month_bounds(at)[0].strftime("%Y-%m")
    for c, messages, delivery in notices(session, at, config, month=month):
        if delivery == "push":
            queued += _push_once(session, c.group_id, messages, c.key)
            continue
        if held.hold(session, c.key, c.group_id, plain(messages, session), now_utc):
            for group_id in groups_of(session, c.province_id).get("coordinators", []):
                key = f"held_warning:{c.province_id}:{label}"
                queued += _push_once(
                    session, group_id, [{"type": "text", "text": HELD_WARNING}], key
                )
    return queued


def preview(
    session: Session, start: dt.datetime, until: dt.datetime, config: dict, province_id=None
):
    """What the clock would queue in [start, until], without queueing anything."""
    months, cursor = {}, month_bounds(start)[0]
    while cursor <= until:
        months[cursor] = month_candidates(session, cursor)
        cursor = month_bounds(cursor)[1]
    moments = sorted({c.at for month in months.values() for c in month if start <= c.at <= until})
    names = {p.id: p.name for p in session.scalars(select(Province))}
    sizes = group_sizes(session)
    rows = []
    for at in moments:
        month = months[month_bounds(at)[0]]
        for c, messages, delivery in notices(session, at, config, province_id, month):
            rows.append(
                {
                    "at": at.isoformat(),
                    "province": names[c.province_id],
                    "group_id": c.group_id,
                    "group_kind": c.group_kind,
                    "kind": c.kind,
                    "text": plain(messages, session),
                    "mentions": [
                        s["mentionee"]["userId"]
                        for m in messages
                        for s in (m.get("substitution") or {}).values()
                    ],
                    "estimated_messages": sizes.get(c.group_id, DEFAULT_GROUP_SIZE),
                    "delivery": delivery,
                }
            )
    return rows
