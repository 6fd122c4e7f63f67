"""Notices the budget could not push: delivered free inside the bot's next reply in that group."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow

HEADER = "ข่าวจากบอท:"


class HeldNotice(Base):
    __tablename__ = "held_notices"
    __table_args__ = (Index("ix_held_notices_group", "group_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    group_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)


def hold(session: Session, key: str, group_id: str, text: str, now: datetime) -> bool:
    """Keep a notice for the group's next reply; False if this key is already held."""
    if session.scalar(select(HeldNotice.id).where(HeldNotice.key == key)) is not None:
        return False
    session.add(HeldNotice(key=key, group_id=group_id, text=text, created_at=now))
    return True


def take(session: Session, group_id: str, now: datetime, limit: int = 3) -> list[str]:
    """The oldest undelivered notices of a group, marked delivered."""
    rows = session.scalars(
        select(HeldNotice)
        .where(HeldNotice.group_id == group_id, HeldNotice.delivered_at.is_(None))
        .order_by(HeldNotice.created_at, HeldNotice.id)
        .limit(limit)
    ).all()
    for row in rows:
        row.delivered_at = now
    return [row.text for row in rows]
