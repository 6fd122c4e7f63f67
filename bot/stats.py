"""Operator figures: queue sizes and this month's LINE message use."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.notices.budget import month_utc, push_spend
from models.queues import InboxEvent, OutboxMessage
from models.queues.leases import DONE, FAILED, IGNORED, PENDING, PROBABLY_SENT, SENT

STATUSES = {
    InboxEvent: (PENDING, DONE, IGNORED, FAILED),
    OutboxMessage: (PENDING, SENT, PROBABLY_SENT, FAILED),
}


def counts_by_status(session: Session, model) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES[model], 0)
    rows = session.execute(select(model.status, func.count()).group_by(model.status))
    counts.update({status: count for status, count in rows})
    return counts


def push_usage(session: Session, now_utc: datetime) -> tuple[int, int]:
    """(pushes, messages) delivered since the month began; a push costs one per recipient."""
    start, following = month_utc(now_utc.replace(tzinfo=UTC))
    return push_spend(session, start, following)


def collect(session: Session, now_utc: datetime, budget: int) -> dict:
    pushes, messages = push_usage(session, now_utc)
    failed = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == FAILED)
        .order_by(OutboxMessage.id.desc())
        .limit(5)
    )
    return {
        "inbox": counts_by_status(session, InboxEvent),
        "outbox": counts_by_status(session, OutboxMessage),
        "outbox_failed_recent": [
            {"id": row.id, "method": row.method, "error": row.last_error} for row in failed
        ],
        "pushes_month": pushes,
        "messages_month": messages,
        "message_budget": budget,
    }
