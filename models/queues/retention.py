"""PDPA for the queues: forget message text the bot does not need, and delete old raw events
and sent messages."""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from models.queues.inbox import InboxEvent
from models.queues.leases import DONE, FAILED, HELD, IGNORED, PENDING, PROBABLY_SENT, SENT
from models.queues.outbox import OutboxMessage

TEXT_EVENTS = {"message", "messageEdited"}


def drop_text(row: InboxEvent) -> None:
    """Keep the event's metadata, forget what the person wrote."""
    payload = json.loads(row.payload)
    message = payload.get("message")
    if isinstance(message, dict) and "text" in message:
        message["text"] = None
        row.payload = json.dumps(payload, ensure_ascii=False)
    row.text_dropped = True


def drop_unsent(session: Session, message_id: str) -> None:
    """Forget the text of a message its sender took back."""
    unsent = session.scalars(
        select(InboxEvent).where(
            InboxEvent.message_id == message_id, InboxEvent.event_type.in_(TEXT_EVENTS)
        )
    )
    for original in unsent:
        drop_text(original)


def error_type(error: str | None) -> str | None:
    """The leading exception name of a stored error; its message may quote the user."""
    found = re.match(r"[A-Za-z_][\w.]*", error or "")
    return found.group(0) if found else None


def delete_done(session: Session, cutoff: datetime) -> tuple[int, int]:
    """(inbox, outbox) rows deleted: events handled and messages sent before `cutoff`."""
    outbox = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_([SENT, PROBABLY_SENT, HELD]),
            OutboxMessage.created_at < cutoff,
        )
    ).rowcount
    inbox = session.execute(
        delete(InboxEvent).where(
            InboxEvent.status.in_([DONE, IGNORED]), InboxEvent.received_at < cutoff
        )
    ).rowcount
    return inbox, outbox


def scrub_stale(session: Session, cutoff: datetime, now: datetime) -> tuple[int, int]:
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
            row.finish(FAILED)
            row.error = "expired (not processed within the retention period)"
        else:
            row.error = error_type(row.error)
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
