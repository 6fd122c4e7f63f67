"""FAQ entries in the database (from data/faq/ or added by coordinators) and open questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class FaqEntry(Base):
    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    questions: Mapped[str] = mapped_column(Text)  # JSON list
    answer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    reference_ids: Mapped[str] = mapped_column(String(300), default="[]")  # JSON list
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    dates: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(10), default="file")  # file | chat
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OpenQuestion(Base):
    """A question the bot could not answer confidently, kept for coordinators to answer."""

    __tablename__ = "open_questions"
    __table_args__ = (Index("ix_open_questions_status", "province_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    chat_id: Mapped[str | None] = mapped_column(String(64))  # where it was asked
    user_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    quote_token: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(String(1000))
    best_key: Mapped[str | None] = mapped_column(String(80))
    best_score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | answered
    asked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    faq_key: Mapped[str | None] = mapped_column(String(80))
