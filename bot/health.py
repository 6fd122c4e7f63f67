"""GET /healthz: 200 with backlog and heartbeats while the database answers, else 503."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import func, select, text

from bot.db import get_db
from models.base import utcnow
from models.queues import Heartbeat, InboxEvent, OutboxMessage
from models.queues.leases import PENDING

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)
PROCESSES = ("worker", "clock", "links")  # every long-running process beats under its name


@blueprint.get("/healthz")
def healthz():
    try:
        with get_db().session() as session:
            session.execute(text("SELECT 1"))
            inbox = session.scalar(select(func.count()).where(InboxEvent.status == PENDING))
            outbox = session.scalar(select(func.count()).where(OutboxMessage.status == PENDING))
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
