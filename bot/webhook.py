"""POST /callback: verify the signature, store each event in the inbox once, answer 200 fast."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from functools import lru_cache

from flask import Blueprint, Flask, abort, current_app, request
from linebot.v3.webhook import SignatureValidator

from bot.db import get_db
from models import InboxEvent, utcnow

log = logging.getLogger(__name__)
blueprint = Blueprint("webhook", __name__)


def event_key(raw: dict) -> str:
    """webhookEventId, or a stable digest for old-shape events that lack one."""
    key = raw.get("webhookEventId")
    if isinstance(key, str) and key:
        return key[:64]
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256-" + hashlib.sha256(canonical).hexdigest()[:57]


def inbox_row(raw: dict, received_at: datetime) -> dict:
    """Columns of one inbox row; only metadata is lifted out of the payload."""
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    message = raw.get("message") if isinstance(raw.get("message"), dict) else {}
    unsent = raw.get("unsend") if isinstance(raw.get("unsend"), dict) else {}
    timestamp = raw.get("timestamp")
    delivery = raw.get("deliveryContext") if isinstance(raw.get("deliveryContext"), dict) else {}
    return {
        "webhook_event_id": event_key(raw),
        "event_type": str(raw.get("type", "unknown"))[:40],
        "kind": "unchecked",  # the worker validates with the SDK, off the request path
        "mode": str(raw.get("mode", "active"))[:16],
        "chat_id": source.get("groupId") or source.get("roomId") or source.get("userId"),
        "user_id": source.get("userId"),
        "message_id": message.get("id") or unsent.get("messageId"),
        "reply_token": raw.get("replyToken"),
        "is_redelivery": bool(delivery.get("isRedelivery")),
        "event_time": _from_ms(timestamp),
        "received_at": received_at,
        "next_attempt_at": received_at,
        "payload": json.dumps(raw, ensure_ascii=False),
        "status": "pending",
        "attempts": 0,
        "addressed": False,
        "text_dropped": False,
    }


def _from_ms(timestamp) -> datetime | None:
    if not isinstance(timestamp, int | float):
        return None
    return datetime.fromtimestamp(timestamp / 1000, UTC).replace(tzinfo=None)


COLUMNS = tuple(inbox_row({}, datetime(2000, 1, 1)))


@lru_cache(maxsize=2)
def insert_sql(dialect: str) -> str:
    """A prebuilt INSERT … ON CONFLICT DO NOTHING: the request path skips SQL compilation."""
    marks = ("?" for _ in COLUMNS) if dialect == "sqlite" else (f"%({c})s" for c in COLUMNS)
    return (
        f"INSERT INTO {InboxEvent.__tablename__} ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(marks)}) ON CONFLICT (webhook_event_id) DO NOTHING"
    )


def _sqlite_params(row: dict) -> tuple:
    """SQLAlchemy's SQLite DateTime format, so the ORM reads these rows back unchanged."""
    return tuple(
        v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
        for v in (row[c] for c in COLUMNS)
    )


def store_events(events: list[dict]) -> int:
    """Insert events, ignoring ids already stored; returns how many were new."""
    rows = [inbox_row(raw, utcnow()) for raw in events if isinstance(raw, dict)]
    if not rows:
        return 0
    database = get_db()
    params = [_sqlite_params(r) for r in rows] if database.is_sqlite else rows
    with database.engine.begin() as connection:
        dialect = connection.dialect.name
        result = connection.exec_driver_sql(insert_sql(dialect), params)
    return max(result.rowcount, 0)


@blueprint.post("/callback")
def callback():
    length = request.content_length
    if length is not None and length > current_app.config["MAX_CONTENT_LENGTH"]:
        abort(413)
    signature = request.headers.get("X-Line-Signature", "")
    body = request.get_data(as_text=True)
    validator: SignatureValidator = current_app.extensions["signature_validator"]
    if not signature or not validator.validate(body, signature):
        log.warning("webhook: rejected a request with a missing or wrong signature")
        abort(400)
    try:
        payload = json.loads(body)
        events = payload["events"]
        if not isinstance(events, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        log.warning("webhook: signed body is not a LINE webhook payload")
        abort(400)
    stored = store_events(events)
    log.debug("webhook: %d event(s), %d new", len(events), stored)
    return "OK"


def init_app(app: Flask) -> None:
    from bot import health

    app.extensions["signature_validator"] = SignatureValidator(app.config["LINE_CHANNEL_SECRET"])
    app.register_blueprint(blueprint)
    app.register_blueprint(health.blueprint)
