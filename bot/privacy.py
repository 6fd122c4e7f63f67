"""PDPA after each event: forget the text of chatter not addressed to the bot, and of messages
later unsent (the rules themselves: models.queues.retention, models.notices.retention)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.events import Event
from models.queues import InboxEvent
from models.queues.retention import TEXT_EVENTS, drop_text, drop_unsent


def after_processing(session: Session, row: InboxEvent, event: Event, addressed: bool) -> None:
    """Drop the text of chatter not addressed to the bot, and of any message later unsent."""
    if event.type in TEXT_EVENTS and not addressed:
        drop_text(row)
    if event.type == "unsend" and event.unsent_message_id:
        drop_unsent(session, event.unsent_message_id)
