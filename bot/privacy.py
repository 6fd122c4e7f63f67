"""PDPA: forget message text the bot does not need, and delete old raw events."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.events import Event
from models.base import utcnow
from models.faq import OpenQuestion
from models.notices import HeldNotice
from models.queues import InboxEvent, OutboxMessage
from models.queues.inbox import FAILED, PENDING

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


def _error_type(error: str | None) -> str | None:
    """The leading exception name of a stored error; its message may quote the user."""
    found = re.match(r"[A-Za-z_][\w.]*", error or "")
    return found.group(0) if found else None


def scrub_stale(session: Session, cutoff, now) -> tuple[int, int]:
    """Forget the text of failed rows past retention, keeping who/when/why; an inbox event
    still pending then is stuck (retries end within minutes) and is failed, not run late."""
    inbox = session.scalars(
        select(InboxEvent).where(
            InboxEvent.received_at < cutoff,
            or_(
                and_(
                    InboxEvent.status == FAILED,
                    or_(InboxEvent.text_dropped.is_(False), InboxEvent.error.contains(": ")),
                ),
                and_(
                    InboxEvent.status == PENDING,
                    or_(InboxEvent.lease_until.is_(None), InboxEvent.lease_until < now),
                ),
            ),
        )
    ).all()
    for row in inbox:
        if row.status == PENDING:
            row.status, row.error = FAILED, "expired (not processed within the retention period)"
            row.lease_owner = row.lease_until = None
        else:
            row.error = _error_type(row.error)
        drop_text(row)
    outbox = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == FAILED,
            OutboxMessage.created_at < cutoff,
            OutboxMessage.messages != "[]",
        )
        .values(messages="[]")
    ).rowcount
    return len(inbox), outbox


def purge_expired(session: Session, days: int) -> dict[str, int]:
    """Delete processed raw events, sent messages, questions the bot could not answer and
    held notices older than the retention period; failed rows keep only their metadata."""
    now = utcnow()
    cutoff = now - timedelta(days=days)
    outbox = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(["sent", "probably_sent", "held"]),
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
    scrubbed_inbox, scrubbed_outbox = scrub_stale(session, cutoff, now)
    log.info(
        "retention: deleted %d inbox events, %d outbox messages, %d questions, %d held notices;"
        " cleared the text of %d failed inbox events and %d failed outbox messages",
        inbox, outbox, questions, held, scrubbed_inbox, scrubbed_outbox,
    )  # fmt: skip
    deleted = {"inbox": inbox, "outbox": outbox, "questions": questions, "held": held}
    return deleted | {"inbox_text_cleared": scrubbed_inbox, "outbox_text_cleared": scrubbed_outbox}
