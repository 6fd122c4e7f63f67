"""The outbox: every message the bot will send, written in the same transaction as its cause."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow
from models.line_text import MAX_MESSAGES
from models.queues.leases import Leased, claim_index


def new_retry_key() -> str:
    return str(uuid.uuid4())


class OutboxMessage(Leased, Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (claim_index(__tablename__),)

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
    method: Mapped[str | None] = mapped_column(String(8))
    reply_attempts: Mapped[int] = mapped_column(Integer, default=0)
    push_attempts: Mapped[int] = mapped_column(Integer, default=0)
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


def in_requests(messages: list[dict]) -> list[list[dict]]:
    """LINE takes at most five messages a request: the messages, five at a time."""
    return [messages[i : i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]


def enqueue_push(
    session: Session, to: str, messages: list[dict], *, notification_key: str | None = None
) -> list[OutboxMessage]:
    """Queue a push (split in requests of at most five messages)."""
    rows = []
    for index, chunk in enumerate(in_requests(messages)):
        key = f"{notification_key}#{index}" if notification_key and index else notification_key
        rows.append(
            OutboxMessage(
                to=to, messages=json.dumps(chunk, ensure_ascii=False), notification_key=key
            )
        )
    session.add_all(rows)
    return rows
