"""Questions the bot could not answer, as coordinators work them: find, list, answer, and keep
a good answer as an FAQ entry of their province."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.faq.entries import OpenQuestion, add_answered
from models.faq.files import MAX_ANSWER
from models.line_text import TEXT_LIMIT, cut, units
from models.registry import roles
from models.registry.tables import Province
from models.year.calendar import thai_date

ANSWER_LIMIT = 4000  # what the question's answer column keeps; also well within one message
UNANSWERED, TOO_LONG = "unanswered", "too long"


def question_in(
    session: Session, number: int, province_ids: Collection[int]
) -> OpenQuestion | None:
    """Question #number, only when it was asked in one of these provinces."""
    row = session.get(OpenQuestion, number)
    return row if row is not None and row.province_id in province_ids else None


def waiting(
    session: Session, province_ids: list[int], limit: int = 20
) -> tuple[list[OpenQuestion], int]:
    """(the oldest `limit` open questions of these provinces, how many are open in all)."""
    open_here = (OpenQuestion.province_id.in_(province_ids), OpenQuestion.status == "open")
    rows = session.scalars(
        select(OpenQuestion).where(*open_here).order_by(OpenQuestion.asked_at).limit(limit)
    ).all()
    if not rows:
        return [], 0
    total = session.scalar(select(func.count()).select_from(OpenQuestion).where(*open_here))
    return list(rows), total


def answer_message(asker: str, row: OpenQuestion, text: str) -> str | None:
    """What the asker is sent (who answers, their question's head, the answer), or None when
    LINE would refuse it as too long, so nothing is marked answered."""
    sent = f"คำตอบจากผู้ประสานงานจังหวัด ถึง {asker}:\n“{cut(row.text, 200)}”\n{text}"
    if units(sent) > TEXT_LIMIT or len(text) > ANSWER_LIMIT:
        return None
    return sent


def answer(session: Session, row: OpenQuestion, text: str, by: str | None, now: datetime) -> None:
    """Mark a question answered with the coordinator's text (sending it is the caller's)."""
    if not text.strip() or len(text) > ANSWER_LIMIT:
        raise ValueError(f"an answer has 1 to {ANSWER_LIMIT} characters")
    row.status, row.answer = "answered", text
    row.answered_by, row.answered_at = by, now
    roles.audit(session, by or "", "faq.answer", question=row.id)


def not_ready_for_faq(row: OpenQuestion) -> str | None:
    """Why an answered question cannot become an entry yet (UNANSWERED or TOO_LONG, since an
    FAQ answer is kept whole or not at all); None when it can."""
    if row.status != "answered" or not row.answer:
        return UNANSWERED
    if len(row.answer) >= MAX_ANSWER:
        return TOO_LONG
    return None


def add_to_faq(
    session: Session,
    row: OpenQuestion,
    province: Province,
    today: date,
    by: str | None,
    now: datetime,
) -> str:
    """Keep the answer as an entry of the question's province, credited to its coordinators;
    returns the entry's key (the index is rebuilt after commit, by the caller)."""
    source = f"ผู้ประสานงานจังหวัด{province.name} {thai_date(today)}"
    key = add_answered(session, row, source, now)
    roles.audit(session, by or "", "faq.add", question=row.id, key=key)
    return key
