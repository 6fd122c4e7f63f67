"""The durable inbox: every webhook event, stored once by its webhookEventId."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.queues.leases import Leased, claim_index


class InboxEvent(Leased, Base):
    __tablename__ = "inbox_events"
    __table_args__ = (
        claim_index(__tablename__),
        Index("ix_inbox_events_message_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    # "unchecked" until the worker asks the SDK: then the event type, or "unknown".
    kind: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(16), default="active")
    chat_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    reply_token: Mapped[str | None] = mapped_column(String(255))
    is_redelivery: Mapped[bool] = mapped_column(Boolean, default=False)
    event_time: Mapped[datetime | None] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    addressed: Mapped[bool] = mapped_column(Boolean, default=False)
    text_dropped: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime)
