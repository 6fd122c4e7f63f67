"""Queue the notices due at a moment: push what the budget allows, hold the rest for replies."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import traceback
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.line_client import LineClient, LineError
from bot.outbox import enqueue_push
from models.line_text import MAX_MESSAGES
from models.notices import held, quota
from models.notices import limits as notice_limits
from models.notices.budget import (
    DEFAULT_GROUP_SIZE,
    UNPLANNED_KEY,
    assumed_sizes,
    group_sizes,
    month_bounds,
    month_candidates,
    plan,
)
from models.notices.candidates import BANGKOK, Candidate, candidates_between
from models.notices.text import build
from models.queues.outbox import OutboxMessage
from models.registry.chats import Group, Person
from models.registry.group_setup import groups_of
from models.registry.tables import Province
from models.year.working_days import is_working_day, next_working_day

log = logging.getLogger(__name__)

HELD_WARNING = (
    "ℹ️ เดือนนี้โควตาข้อความ LINE ของบอทไม่พอส่งแจ้งเตือนทุกครั้ง แจ้งเตือนที่งดส่งจะแนบไปกับ"
    "คำตอบถัดไปของบอทในกลุ่มนั้นแทน (ไม่เสียโควตา) ถ้าต้องการให้ออกทันที พิมพ์ กำหนดการ ในกลุ่มนั้น"
    " หรือผู้ประสานงานแจ้งเองในกลุ่ม"
)


FAILURE_NOTICE = (
    "⚠️ วันนี้บอทเตรียมแจ้งเตือนของจังหวัด{name}ไม่สำเร็จ ผู้ดูแลระบบกำลังตรวจสอบ"
    " ระหว่างนี้หากมีกำหนดส่งใกล้ถึง โปรดแจ้งหน่วยงานในกลุ่มเองไปก่อน"
)


def quiet(at: dt.datetime, config: dict) -> bool:
    """No pushes outside working hours, at weekends or on public holidays."""
    local = at.astimezone(BANGKOK)
    start, end = config["QUIET_HOURS_END"], config["QUIET_HOURS_START"]
    return not is_working_day(local.date()) or not start <= local.hour < end


def next_allowed(at: dt.datetime, config: dict) -> dt.datetime:
    """The first moment from `at` on when a push may go out: a notice the planner counted is
    moved past quiet hours, never dropped."""
    local = at.astimezone(BANGKOK)
    day, opens = local.date(), dt.time(config["QUIET_HOURS_END"])
    if not quiet(at, config):
        return at
    if is_working_day(day) and local.time() < opens:
        return dt.datetime.combine(day, opens, BANGKOK)
    return dt.datetime.combine(next_working_day(day + dt.timedelta(days=1)), opens, BANGKOK)


def _naive(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(tzinfo=None)


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
    session: Session, month: list[Candidate], at: dt.datetime, now_utc: dt.datetime,
    province_id: int | None = None,
) -> int:  # fmt: skip
    """A few days before each phase deadline, fetch every current link of the province again."""
    from bot.link_jobs import queue_recheck
    from models.registry import AuditEntry

    queued = 0
    for c in due(month, at, province_id):
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


def notices(
    session: Session, at: dt.datetime, config: dict, province_id=None, month=None, decisions=None
):
    """(candidate, messages, delivery) for every notice due at `at` that has something to say
    (`decisions`: the month's plan when the caller made it already)."""
    month = month_candidates(session, at) if month is None else month
    if decisions is None:
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


def stale_between(session: Session, start: dt.datetime, until: dt.datetime, config: dict, now_utc):
    """stale_sizes for the plans of every month from `start` to `until` (what preview shows)."""
    month = candidates_between(session, month_bounds(start)[0], month_bounds(until)[1])
    return stale_sizes(session, month, config, now_utc)


def fetch_sizes(group_ids: list[str], config: dict) -> dict[str, int]:
    """Ask LINE; called outside any transaction (each call may take seconds)."""
    sizes, client = {}, None
    for group_id in group_ids:
        client = client or LineClient(
            config["LINE_CHANNEL_ACCESS_TOKEN"],
            config["LINE_API_BASE_URL"],
            config["LINE_TIMEOUT_SECONDS"],
        )
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


def _push_once(
    session: Session,
    to: str,
    messages: list[dict],
    key: str,
    not_before: dt.datetime,
    with_news: bool = False,
) -> bool:
    """Queue a keyed push once; it leaves the outbox no sooner than `not_before` (naive UTC).
    `with_news`: the group's held news rides along (taken in the same savepoint, so a push
    another clock queued first leaves the news held)."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.notification_key == key)):
        return False
    try:
        with session.begin_nested():
            if with_news:
                slots = MAX_MESSAGES - len(messages)
                news = held.news_texts(session, to, not_before, slots, undated_only=True)
                messages = [*messages, *({"type": "text", "text": t} for t in news)]
            for row in enqueue_push(session, to, messages, notification_key=key):
                row.next_attempt_at = not_before
    except IntegrityError:  # another clock queued it a moment ago
        return False
    return True


def _expires(c: Candidate) -> dt.datetime | None:
    """When a held countdown stops making sense: the end of its deadline day (naive UTC)."""
    if c.group_kind == "coordinators":
        return None
    return _naive(dt.datetime.combine(c.deadline + dt.timedelta(days=1), dt.time(), BANGKOK))


def send_province(
    session: Session, at: dt.datetime, config: dict, now_utc: dt.datetime, month, decisions,
    province_id: int,
) -> int:  # fmt: skip
    """One province's notices due at `at`: pushed (after quiet hours) as planned, or held."""
    recheck_links(session, month, at, now_utc, province_id)
    label, queued = month_bounds(at)[0].strftime("%Y-%m"), 0
    opens = _naive(next_allowed(now_utc.replace(tzinfo=dt.UTC), config))
    spent = quota.spent(session, now_utc)  # LINE said the month is over: hold, with deadlines
    for c, messages, delivery in notices(session, at, config, province_id, month, decisions):
        if delivery == "push" and not spent:
            queued += _push_once(session, c.group_id, messages, c.key, opens, with_news=True)
            continue
        new = held.hold(session, c.key, c.group_id, plain(messages, session), now_utc, _expires(c))
        if new and not spent:  # once LINE stopped pushes, coordinators were told already
            for group_id in groups_of(session, c.province_id).get("coordinators", []):
                key = f"held_warning:{c.province_id}:{group_id}:{label}"
                warning = [{"type": "text", "text": HELD_WARNING}]
                queued += _push_once(session, group_id, warning, key, opens)
    return queued


def report_failure(
    session: Session, province_id: int, at: dt.datetime, config: dict, now_utc
) -> int:
    """Tell the province's coordinators, once a day, that today's notices did not go out."""
    name = session.scalar(select(Province.name).where(Province.id == province_id))
    text = FAILURE_NOTICE.format(name=name or "")
    opens = _naive(next_allowed(now_utc.replace(tzinfo=dt.UTC), config))
    day, queued = at.astimezone(BANGKOK).date(), 0
    for group_id in groups_of(session, province_id).get("coordinators", []):
        key = f"{UNPLANNED_KEY}:{province_id}:{group_id}:{day}"
        queued += _push_once(session, group_id, [{"type": "text", "text": text}], key, opens)
    return queued


def _log_failure(province_id: int, at: dt.datetime, error: Exception) -> None:
    """Where it failed, never what it said: exception texts can carry SQL parameters."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    log.error("notices of province %s at %s failed: %s at %s",
              province_id, at.isoformat(), type(error).__name__, where)  # fmt: skip


def send(
    database, at: dt.datetime, config: dict, now_utc: dt.datetime, month=None, failed=()
) -> int:
    """The clock's job: the month's plan once, then each province's notices in a transaction
    of its own, so that one province that fails (reported to its coordinators) stops no other.
    `month`: the month's candidates when the caller read them; `failed`: provinces whose
    calendars could not be read then."""
    failed = set(failed)
    with database.session() as session:
        month = month_candidates(session, at, failed) if month is None else month
        decisions = plan(session, at, config["LINE_MONTHLY_MESSAGE_BUDGET"], month)
    queued = 0
    for province_id in sorted({c.province_id for c in due(month, at)} | failed):
        if province_id not in failed:
            try:
                with database.session() as session:
                    queued += send_province(session, at, config, now_utc, month, decisions,
                                            province_id)  # fmt: skip
                continue
            except Exception as error:  # noqa: BLE001 - logged, and the coordinators are told
                _log_failure(province_id, at, error)
        try:
            with database.session() as session:
                queued += report_failure(session, province_id, at, config, now_utc)
        except Exception as error:  # noqa: BLE001
            _log_failure(province_id, at, error)
    return queued


def preview(
    session: Session, start: dt.datetime, until: dt.datetime, config: dict, province_id=None
):
    """What the clock would queue in [start, until], without queueing anything (`size_assumed`:
    the group's member count is DEFAULT_GROUP_SIZE, a guess; `send_at`: after quiet hours)."""
    months, cursor = {}, month_bounds(start)[0]
    while cursor <= until:
        months[cursor] = month_candidates(session, cursor)
        cursor = month_bounds(cursor)[1]
    moments = sorted({c.at for month in months.values() for c in month if start <= c.at <= until})
    names = {p.id: p.name for p in session.scalars(select(Province))}
    sizes, assumed = group_sizes(session), assumed_sizes(session)
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
                    "size_assumed": c.group_id in assumed,
                    "delivery": delivery,
                    "send_at": next_allowed(at, config).isoformat(),
                }
            )
    return rows


def send_digests(session: Session, now_utc: dt.datetime) -> int:
    """Once a day, one notice per province of the requests that waited instead of being
    pushed one by one (see models.notices.limits)."""
    queued, day = 0, now_utc.date().isoformat()
    for province_id, text in notice_limits.digests(session, now_utc):
        for group_id in groups_of(session, province_id).get("coordinators", []):
            key = f"{notice_limits.DIGEST_KEY}:{province_id}:{group_id}:{day}"
            queued += _push_once(session, group_id, [{"type": "text", "text": text}], key, now_utc)
    return queued
