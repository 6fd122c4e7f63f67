"""The coordinators' review desk on the web: the links waiting, oldest first, each with what
its item requires, what the link checker found, and the item's earlier reviews. Verdicts go
through models.oit.review.decide, exactly as a chat review does."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.oit import records
from models.oit.link_verdict import VERDICT_TEXT
from models.oit.records import urls_of
from models.oit.submissions import LinkCheck, Submission
from models.queues.leases import DONE
from models.registry.tables import Agency
from models.year import FrameworkItem

COMMON_REASONS = (
    "ลิงก์ไม่ใช่หน้าที่มีข้อมูลของข้อนี้",
    "ข้อมูลไม่ใช่ของปีงบประมาณที่กำหนด",
    "ข้อมูลไม่ครบตามที่ข้อนี้กำหนด",
    "ลิงก์เปิดไม่ได้หรือต้องเข้าสู่ระบบ",
    "ไม่ใช่เว็บไซต์หลักของหน่วยงาน",
)


@dataclass
class Waiting:
    """One link (or set of links) of an item, waiting for a coordinator."""

    submission: Submission
    agency: Agency
    item: FrameworkItem | None
    urls: list[str]
    checks: list[str]  # what the link checker said, one line per link checked
    earlier: list[Submission]  # the item's earlier links that were reviewed, newest first

    @property
    def history(self) -> list[tuple[list[str], Submission]]:
        """(links, submission) of the earlier reviewed links: the item's history."""
        return [(urls_of(row), row) for row in self.earlier]


def queue(session: Session, province_ids: list[int], limit: int = 20) -> tuple[list[Waiting], int]:
    """(the oldest `limit` links waiting in these provinces, how many wait in all)."""
    waiting = (
        select(Submission, Agency)
        .join(Agency, Agency.id == Submission.agency_id)
        .where(*records.waiting_in(province_ids))
        .order_by(Submission.created_at, Submission.id)
    )
    rows = session.execute(waiting.limit(limit)).all()
    total = session.scalar(select(func.count()).select_from(waiting.subquery()))
    return [_detail(session, row, agency) for row, agency in rows], total


def one(session: Session, submission_id: int, province_ids: set[int]) -> Waiting | None:
    """One submission with its details, only when its agency is in one of these provinces."""
    row = session.get(Submission, submission_id)
    agency = session.get(Agency, row.agency_id) if row else None
    if agency is None or agency.province_id not in province_ids:
        return None
    return _detail(session, row, agency)


def _detail(session: Session, row: Submission, agency: Agency) -> Waiting:
    item = session.scalar(
        select(FrameworkItem).where(
            FrameworkItem.framework_id == row.framework_id, FrameworkItem.code == row.item_code
        )
    )
    checks = [
        f"{VERDICT_TEXT.get(c.verdict, c.verdict)}{': ' + c.note if c.note else ''}"
        for c in session.scalars(
            select(LinkCheck)
            .where(LinkCheck.submission_id == row.id, LinkCheck.status == DONE)
            .order_by(LinkCheck.id.desc())
            .limit(3)
        )
    ]
    earlier = session.scalars(
        select(Submission)
        .where(
            Submission.agency_id == row.agency_id,
            Submission.framework_id == row.framework_id,
            Submission.item_code == row.item_code,
            Submission.id != row.id,
            Submission.reviewed_at.is_not(None),
        )
        .order_by(Submission.id.desc())
        .limit(3)
    ).all()
    return Waiting(row, agency, item, urls_of(row), checks, list(earlier))
