"""Notices the budget could not push: delivered free inside the bot's next reply in that group."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, local_today, utcnow
from models.line_text import pack
from models.year.calendar import thai_date

HEADER = "ข่าวจากบอท:"
HELD_LIMIT = 4500  # UTF-16 units: one held text, with the header, always fits one LINE text


class HeldNotice(Base):
    __tablename__ = "held_notices"
    __table_args__ = (Index("ix_held_notices_group", "group_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    group_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The end of the deadline day a countdown speaks of (naive UTC); None: it never goes stale.
    due_at: Mapped[datetime | None] = mapped_column(DateTime)


def fit(text: str) -> str:
    """Whole lines up to HELD_LIMIT units, then "และอีก N รายการ" (an overlong line is cut)."""
    return (pack(text.splitlines(), HELD_LIMIT, 1) or [""])[0]


def hold(
    session: Session,
    key: str,
    group_id: str,
    text: str,
    now: datetime,
    due_at: datetime | None = None,
) -> bool:
    """Keep a notice for the group's next reply; False if this key is already held."""
    if session.scalar(select(HeldNotice.id).where(HeldNotice.key == key)) is not None:
        return False
    session.add(
        HeldNotice(key=key, group_id=group_id, text=fit(text), created_at=now, due_at=due_at)
    )
    return True


def dated(row: HeldNotice, now: datetime) -> str:
    """The text with a first line saying when it was written, once that is not today: a
    countdown read on its deadline day must not look as if days were left."""
    today, written = local_today(now), local_today(row.created_at)
    deadline = local_today(row.due_at - timedelta(seconds=1)) if row.due_at else None
    if deadline and written < deadline <= today:
        head = f"⏰ วันนี้ครบกำหนดแล้ว ({thai_date(deadline)}) ข้อความนี้แจ้งไว้เมื่อ {thai_date(written)}"
    elif written < today:
        head = f"🕘 แจ้งไว้เมื่อ {thai_date(written)}"
    else:
        return fit(row.text)
    return fit(head + "\n" + row.text)


def take(
    session: Session, group_id: str, now: datetime, limit: int = 3, undated_only: bool = False
) -> list[str]:
    """The oldest undelivered notices of a group, marked delivered. Those whose deadline has
    passed are dropped (marked too, never shown): "3 days left" after the deadline misleads."""
    waiting = session.scalars(  # one query per reply: almost always no row at all
        select(HeldNotice)
        .where(HeldNotice.group_id == group_id, HeldNotice.delivered_at.is_(None))
        .order_by(HeldNotice.created_at, HeldNotice.id)
    ).all()
    taken = []
    for row in waiting:
        if undated_only and row.due_at is not None:
            continue
        expired = row.due_at is not None and row.due_at <= now
        if expired or len(taken) < limit:
            row.delivered_at = now
            if not expired:
                taken.append(dated(row, now))
    return taken


def news_texts(
    session: Session, chat_id: str, now: datetime, slots: int, undated_only: bool = False
) -> list[str]:
    """Held news for a message about to go to the chat, in at most `slots` texts (marked
    delivered): it rides on a reply, or on a reminder pushed to that group anyway (which
    takes only news without a deadline: a held countdown is stale beside a fresh one)."""
    news = take(session, chat_id, now, min(3, slots), undated_only) if slots > 0 else []
    if not news:
        return []
    return pack([f"{HEADER}\n{news[0]}", *news[1:]], max_texts=slots, sep="\n\n")


def waiting(session: Session) -> list[HeldNotice]:
    """Held notices no reply has carried yet (the operator's budget view lists them)."""
    return list(session.scalars(select(HeldNotice).where(HeldNotice.delivered_at.is_(None))))
