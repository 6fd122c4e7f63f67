"""LINE's monthly message quota: once LINE says it is used up, no push is tried until the month
turns; what would have been pushed waits as held news for each chat's next (free) reply."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.base import local_today
from models.notices import held
from models.registry.chats import Group
from models.registry.tables import AuditEntry, ChatSetup

STOPPED = "line.monthly_limit"  # audit action; its detail is the month, "2027-01"
WARNING = (
    "⚠️ โควตาข้อความ LINE ของบอทเดือนนี้หมดแล้ว บอทจะไม่ส่งข้อความแจ้งเตือนเองจนถึงต้นเดือนหน้า "
    "ข้อความที่ค้างจะแนบไปกับคำตอบถัดไปของบอทในแต่ละกลุ่ม (คำตอบไม่เสียโควตา) "
    "ผู้ดูแลระบบพิจารณาเพิ่มแพ็กเกจข้อความของบัญชี LINE ได้"
)


def month_of(now_utc: datetime) -> str:
    return local_today(now_utc).strftime("%Y-%m")


def spent(session: Session, now_utc: datetime) -> bool:
    """Whether LINE said this (Bangkok) month's quota is used up."""
    found = select(AuditEntry.id).where(
        AuditEntry.action == STOPPED, AuditEntry.detail == month_of(now_utc)
    )
    return session.scalar(found.limit(1)) is not None


def stop_month(session: Session, now_utc: datetime) -> None:
    """Record LINE's "monthly limit" answer once, and tell every coordinators' group once, in
    its next reply (a push is no longer possible)."""
    if spent(session, now_utc):
        return
    month = month_of(now_utc)
    session.add(AuditEntry(actor="line", action=STOPPED, detail=month, at=now_utc))
    groups = session.scalars(
        select(Group.line_group_id)
        .join(ChatSetup, ChatSetup.group_id == Group.id)
        .where(ChatSetup.kind == "coordinators", Group.active.is_(True))
    )
    for group_id in groups:
        try:
            with session.begin_nested():
                held.hold(session, f"{STOPPED}:{month}:{group_id}", group_id, WARNING, now_utc)
        except IntegrityError:  # another worker met the limit at the same moment
            pass
