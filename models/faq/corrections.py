"""Learning from wrong answers: which question and entry each FAQ answer carried, a
coordinator's `ผิด` on one (applied to their province's index), an officer's `ไม่ตรง` (kept for
coordinators to judge), and the operator making a correction national."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base
from models.faq.entries import OpenQuestion
from models.queues import InboxEvent, OutboxMessage, SentMessage
from models.registry import roles

APPLIED, REPORTED, JUDGED = "applied", "reported", "judged"


class FaqAnswer(Base):
    """An answer the bot gave from the FAQ, kept for the retention period so a reply to it can
    say which question and entry it carried."""

    __tablename__ = "faq_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64), index=True)  # the question's
    quote_token: Mapped[str | None] = mapped_column(String(255))
    question: Mapped[str] = mapped_column(String(1000))
    entry_key: Mapped[str] = mapped_column(String(80))
    answered_at: Mapped[datetime] = mapped_column(DateTime)


class FaqCorrection(Base):
    """A wording the bot answered wrongly: `applied` ones teach the index (the right entry, or
    none: an off-topic example); `reported` ones wait for a coordinator."""

    __tablename__ = "faq_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))  # None: national
    question: Mapped[str] = mapped_column(String(1000))
    wrong_key: Mapped[str] = mapped_column(String(80))
    right_key: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10))  # applied | reported | judged
    by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("open_questions.id", ondelete="SET NULL")
    )


@dataclass
class Found:
    """What a quoted message turned out to be."""

    answer: FaqAnswer | None
    too_old: bool = False  # a message of the bot whose record is past retention


def record_answer(
    session: Session, province_id: int | None, asked: tuple, question: str, key: str, now
) -> FaqAnswer:
    """Keep (question, entry) of an answer; `asked` is (chat, user, message id, quote token)."""
    chat_id, user_id, message_id, quote_token = asked
    row = FaqAnswer(
        province_id=province_id, chat_id=chat_id, user_id=user_id, message_id=message_id,
        quote_token=quote_token, question=question[:1000], entry_key=key, answered_at=now,
    )  # fmt: skip
    session.add(row)
    return row


def quoted_answer(session: Session, quoted_message_id: str | None) -> Found:
    """The FAQ answer a quoted message of the bot carried: the message LINE sent, the outbox
    row it came from, the event that asked, and the answer recorded for that question."""
    if not quoted_message_id:
        return Found(None)
    sent = session.get(SentMessage, quoted_message_id)
    if sent is None:
        return Found(None)
    row = session.scalar(
        select(FaqAnswer)
        .join(InboxEvent, InboxEvent.message_id == FaqAnswer.message_id)
        .join(OutboxMessage, OutboxMessage.inbox_event_id == InboxEvent.id)
        .where(OutboxMessage.id == sent.outbox_id, FaqAnswer.chat_id == sent.chat_id)
        .order_by(FaqAnswer.id.desc())
        .limit(1)
    )
    if row is None and sent.outbox_id is None:  # its outbox row is past retention
        return Found(None, too_old=True)
    return Found(row)


def _question(session: Session, answer: FaqAnswer, now: datetime, reported: bool) -> OpenQuestion:
    """The question back in คำถามค้าง, so a coordinator answers it properly (to its asker)."""
    row = OpenQuestion(
        province_id=answer.province_id, chat_id=answer.chat_id, user_id=answer.user_id,
        message_id=answer.message_id, quote_token=answer.quote_token, text=answer.question,
        best_key=answer.entry_key, asked_at=now,
        answered_with=answer.entry_key if reported else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def correct(
    session: Session, answer: FaqAnswer, right_key: str | None, by: str | None, now: datetime
) -> FaqCorrection:
    """A coordinator's `ผิด`: the wording stops winning with the wrong entry in their province
    (it joins `right_key`, or the off-topic examples); without a right entry the question also
    goes to คำถามค้าง."""
    question = None if right_key else _question(session, answer, now, reported=False)
    row = FaqCorrection(
        province_id=answer.province_id, question=answer.question, wrong_key=answer.entry_key,
        right_key=right_key, status=APPLIED, by=by, created_at=now,
        question_id=question.id if question else None,
    )  # fmt: skip
    session.add(row)
    roles.audit(session, by or "", "faq.wrong", wrong=answer.entry_key, right=right_key)
    return row


def report(session: Session, answer: FaqAnswer, by: str | None, now: datetime) -> OpenQuestion:
    """An officer's `ไม่ตรง`: kept, with the question, for coordinators to judge (once per
    answer, however often it is reported)."""
    waiting = session.scalar(
        select(OpenQuestion).where(
            OpenQuestion.message_id == answer.message_id,
            OpenQuestion.answered_with == answer.entry_key,
            OpenQuestion.status == "open",
        )
    )
    if waiting is not None:
        return waiting
    question = _question(session, answer, now, reported=True)
    session.add(
        FaqCorrection(
            province_id=answer.province_id, question=answer.question,
            wrong_key=answer.entry_key, status=REPORTED, by=by, created_at=now,
            question_id=question.id,
        )
    )  # fmt: skip
    return question


def as_answer(row: OpenQuestion) -> FaqAnswer:
    """A reported question as the answer it got, so `ผิด #n` judges it like a quoted `ผิด`."""
    return FaqAnswer(
        province_id=row.province_id, chat_id=row.chat_id, user_id=row.user_id,
        message_id=row.message_id, quote_token=row.quote_token, question=row.text,
        entry_key=row.answered_with or "", answered_at=row.asked_at,
    )  # fmt: skip


def judged(session: Session, row: OpenQuestion, by: str | None, now: datetime) -> None:
    """A reported question a coordinator has judged leaves คำถามค้าง, and its report with it."""
    row.status, row.answered_by, row.answered_at = "answered", by, now
    for report in session.scalars(
        select(FaqCorrection).where(
            FaqCorrection.question_id == row.id, FaqCorrection.status == REPORTED
        )
    ):
        report.status = JUDGED


def applied(session: Session, province_id: int | None) -> list[FaqCorrection]:
    """The corrections an index uses: national ones and the province's own."""
    scope = FaqCorrection.province_id.is_(None)
    if province_id is not None:
        scope = or_(scope, FaqCorrection.province_id == province_id)
    return list(
        session.scalars(
            select(FaqCorrection)
            .where(FaqCorrection.status == APPLIED, scope)
            .order_by(FaqCorrection.id)
        )
    )


def scope_key(session: Session, province_id: int | None) -> tuple:
    """What an index depends on: how many corrections of exactly this scope (a province, or
    None: national) apply, and the newest."""
    if province_id is None:
        scope = FaqCorrection.province_id.is_(None)
    else:
        scope = FaqCorrection.province_id == province_id
    return tuple(
        session.execute(
            select(func.count(), func.max(FaqCorrection.id)).where(
                FaqCorrection.status == APPLIED, scope
            )
        ).one()
    )


def make_national(session: Session, number: int) -> FaqCorrection | None:
    """The operator's decision: an applied correction teaches every province's index."""
    row = session.get(FaqCorrection, number)
    if row is None or row.status != APPLIED:
        return None
    row.province_id = None
    return row


def forget_reports(session: Session, cutoff: datetime) -> int:
    """Reports (who said ไม่ตรง, on what) past retention; applied corrections are knowledge."""
    return session.execute(
        delete(FaqCorrection).where(
            FaqCorrection.status != APPLIED, FaqCorrection.created_at < cutoff
        )
    ).rowcount


def listing(session: Session, province_id: int | None = None) -> list[FaqCorrection]:
    query = select(FaqCorrection).order_by(FaqCorrection.id)
    if province_id is not None:
        query = query.where(FaqCorrection.province_id == province_id)
    return list(session.scalars(query))
