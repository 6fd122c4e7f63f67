"""What an agency has not been told yet: review outcomes and problems found in its links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.link_verdict import PROBLEMS, VERDICT_TEXT
from models.submissions import APPROVED, CURRENT, FIX, LinkCheck, Submission

MAX_LINES = 10


def untold(session: Session, agency_id: int, now: datetime) -> list[str]:
    """Thai lines for news the agency has not seen, marked as told (at most MAX_LINES)."""
    lines = []
    reviewed = session.scalars(
        select(Submission).where(
            Submission.agency_id == agency_id,
            Submission.state == CURRENT,
            Submission.review.in_([APPROVED, FIX]),
            Submission.review_told_at.is_(None),
        )
    ).all()
    for row in sorted(reviewed, key=lambda r: int(r.item_code[1:])):
        if row.review == APPROVED:
            lines.append(f"✅ {row.item_code} ผู้ประสานงานตรวจแล้ว ผ่าน")
        else:
            lines.append(f"✏️ {row.item_code} ต้องแก้ไข: {row.review_note or '-'}")
        row.review_told_at = now
    problems = session.execute(
        select(LinkCheck, Submission.item_code)
        .join(Submission, Submission.id == LinkCheck.submission_id)
        .where(
            Submission.agency_id == agency_id,
            Submission.state == CURRENT,
            LinkCheck.status == "done",
            LinkCheck.verdict.in_(PROBLEMS),
            LinkCheck.told_at.is_(None),
        )
    ).all()
    for check, code in problems:
        lines.append(f"⚠️ {code} {VERDICT_TEXT[check.verdict]}: {check.note}")
        check.told_at = now
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"…และอีก {len(lines) - MAX_LINES} เรื่อง พิมพ์ สถานะ เพื่อดูทั้งหมด"]
    return lines
