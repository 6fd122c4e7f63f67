"""The outbox: every message the bot will send, written in the same transaction as its cause."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

PENDING, SENT, PROBABLY_SENT, FAILED = "pending", "sent", "probably_sent", "failed"


def new_retry_key() -> str:
    return str(uuid.uuid4())


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_claim", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inbox_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbox_events.id", ondelete="SET NULL")
    )
    to: Mapped[str] = mapped_column(String(64))
    messages: Mapped[str] = mapped_column(Text)
    reply_token: Mapped[str | None] = mapped_column(String(255))
    reply_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    # Generated when the row is written, so every retry of this push carries the same key.
    retry_key: Mapped[str] = mapped_column(String(36), default=new_retry_key)
    notification_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    method: Mapped[str | None] = mapped_column(String(8))
    reply_attempts: Mapped[int] = mapped_column(Integer, default=0)
    push_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class SentMessage(Base):
    """An id LINE gave one of our messages, so a user's reply to it addresses the bot."""

    __tablename__ = "sent_messages"

    line_message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    chat_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
