"""Pushes that a person's messages trigger are rationed: the month's budget is not anyone's.

A registration request or a forwarded question becomes a push to the coordinators' group (one
message per member). Each person may cause a few such notices a day and each province some
more; the rest wait in the pending lists and are announced once a day in one notice.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import BANGKOK, local_today
from models.faq.entries import OpenQuestion
from models.registry.tables import AuditEntry, RoleGrant

SENT, WITHHELD, ANNOUNCED = "notice.sent", "notice.withheld", "notice.digest"
TO_PERSON = "notice.to_person"  # a one-to-one push telling someone an outcome (1 message)
DIGEST_KEY = "requests_waiting"  # outbox key prefix of the daily notice (counted as spent)


def day_start(now_utc: datetime) -> datetime:
    """Midnight in Bangkok of `now_utc`'s day, as naive UTC."""
    midnight = datetime.combine(local_today(now_utc), time(), BANGKOK)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def _about(province_id: int) -> str:
    return json.dumps({"province": province_id})


def _count(session: Session, *where) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0


def allow(
    session: Session, user_id: str, province_id: int, now: datetime, limits: tuple[int, int]
) -> bool:
    """Whether a notice this person's message triggers may be pushed now; either way it is
    counted (withheld ones wait for the day's digest). `limits`: (per person, per province)."""
    since = day_start(now)
    per_person, per_province = limits
    by_person = _count(
        session, AuditEntry.action == SENT, AuditEntry.actor == user_id, AuditEntry.at >= since
    )
    in_province = _count(
        session,
        AuditEntry.action == SENT,
        AuditEntry.detail == _about(province_id),
        AuditEntry.at >= since,
    )
    allowed = by_person < per_person and in_province < per_province
    action = SENT if allowed else WITHHELD
    session.add(AuditEntry(actor=user_id, action=action, detail=_about(province_id), at=now))
    return allowed


def allow_to_person(session: Session, user_id: str, now: datetime, per_day: int) -> bool:
    """Whether the bot may push one more outcome to this person today (counted if so): however
    many coordinators decide about them, one person gets at most `per_day` such pushes."""
    about = json.dumps({"to": user_id})
    since = day_start(now)
    told = _count(
        session, AuditEntry.action == TO_PERSON, AuditEntry.detail == about, AuditEntry.at >= since
    )
    if told >= per_day:
        return False
    session.add(AuditEntry(actor="bot", action=TO_PERSON, detail=about, at=now))
    return True


def waiting(session: Session, province_id: int) -> tuple[int, int]:
    """(registration requests, unanswered questions) waiting for the province's coordinators."""
    requests = session.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .where(RoleGrant.province_id == province_id, RoleGrant.status == "pending")
    )
    questions = session.scalar(
        select(func.count())
        .select_from(OpenQuestion)
        .where(OpenQuestion.province_id == province_id, OpenQuestion.status == "open")
    )
    return requests or 0, questions or 0


def digests(session: Session, now: datetime) -> list[tuple[int, str]]:
    """(province id, text) for each province with notices withheld since its last digest; the
    digest is recorded, so it is said once."""
    found = []
    withheld = session.execute(
        select(AuditEntry.detail, func.max(AuditEntry.at))
        .where(AuditEntry.action == WITHHELD, AuditEntry.at >= now - timedelta(days=8))
        .group_by(AuditEntry.detail)
    ).all()
    for detail, newest in withheld:
        last = session.scalar(
            select(func.max(AuditEntry.at)).where(
                AuditEntry.action == ANNOUNCED, AuditEntry.detail == detail
            )
        )
        if last is not None and last >= newest:
            continue
        province_id = json.loads(detail)["province"]
        requests, questions = waiting(session, province_id)
        if requests + questions:
            found.append((province_id, digest_text(requests, questions)))
        session.add(AuditEntry(actor="clock", action=ANNOUNCED, detail=detail, at=now))
    return found


def digest_text(requests: int, questions: int) -> str:
    lines = [
        f"📋 มีคำขอรอ {requests + questions} รายการ "
        "(วันนี้บอทไม่ได้แจ้งทีละรายการ เพื่อประหยัดโควตาข้อความ LINE)"
    ]
    if requests:
        lines.append(f"• คำขอลงทะเบียนแอดมิน {requests} รายการ: พิมพ์ อนุมัติ เพื่อดูรายการ")
    if questions:
        lines.append(f"• คำถามที่บอทตอบไม่ได้ {questions} ข้อ: พิมพ์ คำถามค้าง")
    return "\n".join(lines)
