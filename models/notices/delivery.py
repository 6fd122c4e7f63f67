"""One notice's way out: due now, its words, then a push as the month's plan allows (after
quiet hours) or a text held for the group's next reply, the coordinators told once a month."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.base import BANGKOK
from models.line_text import MAX_MESSAGES
from models.notices import held, quota
from models.notices import limits as notice_limits
from models.notices.budget import UNPLANNED_KEY, month_bounds, month_candidates
from models.notices.candidates import Candidate
from models.notices.personal import personal_reminders
from models.notices.plan import Decision, one_to_one_key, plan
from models.notices.quiet_hours import as_naive_utc, opens_after
from models.notices.routes import GROUP, HELD, ONE_TO_ONE
from models.notices.text import build
from models.oit.link_checks import queue_recheck
from models.queues.outbox import OutboxMessage, enqueue_push
from models.registry.chats import Person
from models.registry.group_setup import coordinators_groups
from models.registry.tables import AuditEntry, Province

ReportLink = Callable[[int, str], str]  # (province id, "2027-01") -> the monthly XLSX's link

HELD_WARNING = (
    "ℹ️ เดือนนี้โควตาข้อความ LINE ของบอทไม่พอส่งแจ้งเตือนทุกครั้ง แจ้งเตือนที่งดส่งจะแนบไปกับ"
    "คำตอบถัดไปของบอทในกลุ่มนั้นแทน (ไม่เสียโควตา) ถ้าต้องการให้ออกทันที พิมพ์ กำหนดการ ในกลุ่มนั้น"
    " หรือผู้ประสานงานแจ้งเองในกลุ่ม"
)
FAILURE_NOTICE = (
    "⚠️ วันนี้บอทเตรียมแจ้งเตือนของจังหวัด{name}ไม่สำเร็จ ผู้ดูแลระบบกำลังตรวจสอบ"
    " ระหว่างนี้หากมีกำหนดส่งใกล้ถึง โปรดแจ้งหน่วยงานในกลุ่มเองไปก่อน"
)


def send_province(
    session: Session, at: dt.datetime, config: dict, now_utc: dt.datetime, month, decisions,
    province_id: int, link: ReportLink,
) -> int:  # fmt: skip
    """One province's notices due at `at`: pushed (after quiet hours) as planned, or held."""
    recheck_links(session, month, at, now_utc, province_id)
    label, queued = month_bounds(at)[0].strftime("%Y-%m"), 0
    opens = opens_after(now_utc, config)
    spent = quota.spent(session, now_utc)  # LINE said the month is over: hold, with deadlines
    for c, messages, decision in notices(session, at, config, link, province_id, month, decisions):
        if spent:  # coordinators were told when LINE stopped pushes (see quota.stop_month)
            hold(session, c, messages, now_utc)
            continue
        if decision.route == GROUP:
            queued += push_once(session, c.group_id, messages, c.key, opens, with_news=True)
        elif decision.route == ONE_TO_ONE:
            queued += push_personal(session, c, decision, at, opens)
        if (decision.route == HELD or decision.missed) and hold(session, c, messages, now_utc):
            queued += tell_coordinators(session, c.province_id, HELD_WARNING, "held_warning",
                                        label, opens)  # fmt: skip
    return queued


def push_personal(
    session: Session, c: Candidate, decision: Decision, at: dt.datetime, opens: dt.datetime
) -> int:
    """One push to each admin the plan reaches one-to-one, naming only their own agencies."""
    today = at.astimezone(BANGKOK).date()
    queued = 0
    for user_id, messages in personal_reminders(session, c, decision.recipients, today).items():
        queued += push_once(session, user_id, messages, one_to_one_key(c, user_id), opens)
    return queued


def recheck_links(
    session: Session, month: list[Candidate], at: dt.datetime, now_utc: dt.datetime,
    province_id: int | None = None,
) -> int:  # fmt: skip
    """A few days before each phase deadline, fetch every current link of the province again."""
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
    session: Session, at: dt.datetime, config: dict, link: ReportLink, province_id=None,
    month=None, decisions=None,
):  # fmt: skip
    """(candidate, messages, Decision) for every notice due at `at` that has something to say
    (`messages`: the group's; `decisions`: the month's plan when the caller made it already)."""
    month = month_candidates(session, at) if month is None else month
    if decisions is None:
        decisions = plan(session, at, config["LINE_MONTHLY_MESSAGE_BUDGET"], month)
    today, now_utc = at.astimezone(BANGKOK).date(), as_naive_utc(at)
    result = []
    for c in due(month, at, province_id):
        if not c.costs:
            continue
        messages = build(session, c, today, now_utc, link)
        if messages:
            result.append((c, messages, decisions.get(c.key, Decision(HELD))))
    return result


def due(month: list[Candidate], at: dt.datetime, province_id: int | None = None) -> list[Candidate]:
    """The candidates of the month (see month_candidates) whose moment is `at`."""
    return [c for c in month if c.at == at and province_id in (None, c.province_id)]


def push_once(
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


def hold(session: Session, c: Candidate, messages: list[dict], now_utc: dt.datetime) -> bool:
    """Keep a notice the plan cannot push for the group's next reply; False if held already."""
    return held.hold(session, c.key, c.group_id, plain(messages, session), now_utc, expires(c))


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


def expires(c: Candidate) -> dt.datetime | None:
    """When a held countdown stops making sense: the end of its deadline day (naive UTC)."""
    if c.group_kind == "coordinators":
        return None
    return as_naive_utc(dt.datetime.combine(c.deadline + dt.timedelta(days=1), dt.time(), BANGKOK))


def tell_coordinators(
    session: Session, province_id: int, text: str, kind: str, once_per: str,
    not_before: dt.datetime,
) -> int:  # fmt: skip
    """Push one text to each coordinators' group of the province, once per `kind` and
    `once_per` (a day or a month: the key says which)."""
    queued = 0
    for group_id in coordinators_groups(session, province_id):
        key = f"{kind}:{province_id}:{group_id}:{once_per}"
        queued += push_once(session, group_id, [{"type": "text", "text": text}], key, not_before)
    return queued


def report_failure(
    session: Session, province_id: int, at: dt.datetime, config: dict, now_utc
) -> int:
    """Tell the province's coordinators, once a day, that today's notices did not go out."""
    name = session.scalar(select(Province.name).where(Province.id == province_id))
    text = FAILURE_NOTICE.format(name=name or "")
    day = at.astimezone(BANGKOK).date()
    return tell_coordinators(session, province_id, text, UNPLANNED_KEY, str(day),
                             opens_after(now_utc, config))  # fmt: skip


def send_digests(session: Session, now_utc: dt.datetime) -> int:
    """Once a day, one notice per province of the requests that waited instead of being
    pushed one by one (see models.notices.limits)."""
    queued, day = 0, now_utc.date().isoformat()
    for province_id, text in notice_limits.digests(session, now_utc):
        queued += tell_coordinators(session, province_id, text, notice_limits.DIGEST_KEY, day,
                                    now_utc)  # fmt: skip
    return queued
