"""GET /healthz: 200 with backlog and heartbeats while the database answers, else 503."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, jsonify
from sqlalchemy import func, select, text

from bot.db import get_db
from models.base import utcnow
from models.queues import Heartbeat, InboxEvent, OutboxMessage

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)
PROCESSES = ("worker", "clock", "links")  # every long-running process beats under its name


class Pulse:
    """A loop's heartbeat for /healthz, written at most once every few seconds."""

    def __init__(self, database, name: str, owner: str, every: float = 5.0):
        self.database, self.name, self.owner, self.every = database, name, owner, every
        self.last: float | None = None

    def __call__(self) -> None:
        from bot.worker import beat  # the worker's own heartbeat row, the same table

        if self.last is None or time.monotonic() - self.last >= self.every:
            with self.database.session() as session:
                beat(session, self.name, self.owner)
            self.last = time.monotonic()


@blueprint.get("/healthz")
def healthz():
    try:
        with get_db().session() as session:
            session.execute(text("SELECT 1"))
            inbox = session.scalar(select(func.count()).where(InboxEvent.status == "pending"))
            outbox = session.scalar(select(func.count()).where(OutboxMessage.status == "pending"))
            beats = {b.name: b for b in session.scalars(select(Heartbeat))}
    except Exception as error:  # the database did not answer
        log.error("healthz: database unreachable: %s", type(error).__name__)
        return jsonify({"ok": False, "database": "unreachable"}), 503
    now = utcnow()
    return jsonify(
        {
            "ok": True,
            "database": "ok",
            "backlog": {"inbox_pending": inbox, "outbox_pending": outbox},
            "heartbeats": {
                name: {
                    "at": beat.at.isoformat() + "Z",
                    "age_seconds": int((now - beat.at).total_seconds()),
                }
                for name, beat in beats.items()
            },
            "missing": [name for name in PROCESSES if name not in beats],
        }
    )
