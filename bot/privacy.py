"""PDPA: forget message text the bot does not need, and delete old raw events."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.events import Event
from models import HeldNotice, InboxEvent, OpenQuestion, OutboxMessage, utcnow

log = logging.getLogger(__name__)
TEXT_EVENTS = {"message", "messageEdited"}


def drop_text(row: InboxEvent) -> None:
    """Keep the event's metadata, forget what the person wrote."""
    payload = json.loads(row.payload)
    message = payload.get("message")
    if isinstance(message, dict) and "text" in message:
        message["text"] = None
        row.payload = json.dumps(payload, ensure_ascii=False)
    row.text_dropped = True


def after_processing(session: Session, row: InboxEvent, event: Event, addressed: bool) -> None:
    """Drop the text of chatter not addressed to the bot, and of any message later unsent."""
    if event.type in TEXT_EVENTS and not addressed:
        drop_text(row)
    if event.type == "unsend" and event.unsent_message_id:
        unsent = session.scalars(
            select(InboxEvent).where(
                InboxEvent.message_id == event.unsent_message_id,
                InboxEvent.event_type.in_(TEXT_EVENTS),
            )
        )
        for original in unsent:
            drop_text(original)


def purge_expired(session: Session, days: int) -> dict[str, int]:
    """Delete processed raw events, sent messages, questions the bot could not answer and
    held notices older than the retention period."""
    cutoff = utcnow() - timedelta(days=days)
    outbox = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(["sent", "probably_sent"]),
            OutboxMessage.created_at < cutoff,
        )
    ).rowcount
    inbox = session.execute(
        delete(InboxEvent).where(
            InboxEvent.status.in_(["done", "ignored"]), InboxEvent.received_at < cutoff
        )
    ).rowcount
    questions = session.execute(delete(OpenQuestion).where(OpenQuestion.asked_at < cutoff)).rowcount
    held = session.execute(delete(HeldNotice).where(HeldNotice.created_at < cutoff)).rowcount
    log.info(
        "retention: deleted %d inbox events, %d outbox messages, %d questions, %d held notices",
        inbox, outbox, questions, held,
    )  # fmt: skip
    return {"inbox": inbox, "outbox": outbox, "questions": questions, "held": held}
