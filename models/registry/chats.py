"""Groups the bot is in and people it has seen, recorded on the first event from them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_group_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    member_count: Mapped[int | None] = mapped_column(Integer)
    member_count_at: Mapped[datetime | None] = mapped_column(DateTime)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    name_refreshed_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    is_friend: Mapped[bool] = mapped_column(Boolean, default=False)
    friend_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    greeted_on: Mapped[date | None] = mapped_column(Date)  # one-to-one greeting: once a day


def find_group(session: Session, line_group_id: str | None) -> Group | None:
    """The Group row of a LINE group id, if the bot has recorded it."""
    if not line_group_id:
        return None
    return session.scalar(select(Group).where(Group.line_group_id == line_group_id))


def find_person(session: Session, line_user_id: str | None) -> Person | None:
    """The Person row of a LINE user id, if the bot has seen them (none is created)."""
    if not line_user_id:
        return None
    return session.scalar(select(Person).where(Person.line_user_id == line_user_id))
