"""POST /callback: verify the signature, store each event in the inbox once, answer 200 fast."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache

from flask import Blueprint, Flask, abort, current_app, request
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, ProgrammingError

from bot import health
from bot.cleaning import clean_text, needs_cleaning, storable
from bot.db import get_db
from models.base import utcnow
from models.queues import InboxEvent
from models.queues.leases import IGNORED, PENDING

log = logging.getLogger(__name__)
blueprint = Blueprint("webhook", __name__)

MAX_MS = 253_402_300_800_000  # 10000-01-01: past this Python has no datetime
# Refusals of one row's values; anything else (locks, a lost connection) answers 5xx so
# LINE sends the body again.
REFUSED = (DataError, IntegrityError, InterfaceError, ProgrammingError)


def event_key(raw: dict) -> str:
    """webhookEventId, or a stable digest for old-shape events that lack one."""
    key = raw.get("webhookEventId")
    if isinstance(key, str) and key:
        return key[:64]
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256-" + hashlib.sha256(canonical).hexdigest()[:57]


def _text(value, size: int) -> str | None:
    """A lifted string cut to its column; other types are not metadata LINE sends."""
    return value[:size] if isinstance(value, str) else None


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def inbox_row(raw: dict, received_at: datetime) -> dict:
    """Columns of one inbox row; only metadata is lifted out of the (storable) payload."""
    source, message = _dict(raw.get("source")), _dict(raw.get("message"))
    unsent, delivery = _dict(raw.get("unsend")), _dict(raw.get("deliveryContext"))
    return {
        "webhook_event_id": event_key(raw),
        "event_type": _text(raw.get("type"), 40) or "unknown",
        "kind": "unchecked",  # the worker validates with the SDK, off the request path
        "mode": _text(raw.get("mode"), 16) or "active",
        "chat_id": _text(source.get("groupId"), 64)
        or _text(source.get("roomId"), 64)
        or _text(source.get("userId"), 64),
        "user_id": _text(source.get("userId"), 64),
        "message_id": _text(message.get("id"), 64) or _text(unsent.get("messageId"), 64),
        "reply_token": _text(raw.get("replyToken"), 255),
        "is_redelivery": delivery.get("isRedelivery") is True,
        "event_time": _from_ms(raw.get("timestamp")),
        "received_at": received_at,
        "next_attempt_at": received_at,
        "payload": json.dumps(raw, ensure_ascii=False),
        "status": PENDING,
        "attempts": 0,
        "addressed": False,
        "text_dropped": False,
    }


def invalid_row(key: str, received_at: datetime) -> dict:
    """An event kept by its id alone: a redelivery is not stored again, and nothing runs it."""
    row = inbox_row({"webhookEventId": key}, received_at)
    row.update(event_type="invalid", kind="unknown", status=IGNORED)
    return row


def _from_ms(timestamp) -> datetime | None:
    """The event time, or None for what is not a time (NaN, infinities, far past or future)."""
    if type(timestamp) not in (int, float) or not 0 <= timestamp < MAX_MS:
        return None
    return datetime.fromtimestamp(timestamp / 1000, UTC).replace(tzinfo=None)


COLUMNS = tuple(inbox_row({}, datetime(2000, 1, 1)))


def rows_for(events: list, received_at: datetime, dirty: bool = True) -> list[dict]:
    """One row per event; an odd event is kept by its id alone (or dropped without one)
    and never costs the others of its body."""
    rows, odd = [], Counter()
    for raw in events:
        if not isinstance(raw, dict):
            odd["not an object"] += 1
            continue
        try:
            rows.append(inbox_row(storable(raw) if dirty else raw, received_at))
        except Exception as error:  # noqa: BLE001 - its message may quote the event
            odd[type(error).__name__] += 1
            key = raw.get("webhookEventId")
            key = clean_text(key)[:64] if isinstance(key, str) else ""
            if key:
                rows.append(invalid_row(key, received_at))
    if odd:  # counts only: never what the events hold
        log.warning("webhook: events not stored as sent: %s", dict(odd))
    return rows


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


def insert(rows: list[dict]) -> int:
    """One transaction for the rows, ignoring ids already stored; returns how many were new."""
    database = get_db()
    params = [_sqlite_params(r) for r in rows] if database.is_sqlite else rows
    with database.engine.begin() as connection:
        result = connection.exec_driver_sql(insert_sql(connection.dialect.name), params)
    return max(result.rowcount, 0)


def store_events(events: list, dirty: bool = True) -> int:
    """Insert events, ignoring ids already stored; returns how many were new."""
    received_at = utcnow()
    rows = rows_for(events, received_at, dirty)
    if not rows:
        return 0
    try:
        return insert(rows)
    except REFUSED as error:  # never log the error: it quotes the rows
        log.warning("webhook: the database refused a body (%s); one by one", type(error).__name__)
    stored = refused = 0
    for row in rows:
        try:
            stored += insert([row])
        except REFUSED:
            refused += 1
            stored += insert([invalid_row(row["webhook_event_id"], received_at)])
    log.warning("webhook: %d event(s) the database refused were kept by their id only", refused)
    return stored


def _number(digits: str) -> int | float:
    """An int, or a float (infinity at worst) past the length int() refuses to read."""
    return int(digits) if len(digits) < 4000 else float(digits)


def parse_events(body: bytes) -> tuple[list, bool] | None:
    """The events of a LINE webhook body and whether they need cleaning; None if not one."""
    try:
        text = body.decode("utf-8")
        payload = json.loads(text, parse_int=_number)
    except (ValueError, RecursionError):
        return None
    events = payload.get("events") if isinstance(payload, dict) else None
    return (events, needs_cleaning(text)) if isinstance(events, list) else None


def signature_ok(body: bytes, signature: str) -> bool:
    """HMAC-SHA256 of the raw bytes as sent, compared in constant time."""
    secret = current_app.extensions["line_channel_secret"]
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest())
    return bool(signature) and hmac.compare_digest(signature.encode("utf-8"), expected)


@blueprint.post("/callback")
def callback():
    length = request.content_length
    if length is not None and length > current_app.config["MAX_CONTENT_LENGTH"]:
        abort(413)
    body = request.get_data()
    if not signature_ok(body, request.headers.get("X-Line-Signature", "")):
        log.warning("webhook: rejected a request with a missing or wrong signature")
        abort(400)
    parsed = parse_events(body)
    if parsed is None:
        log.warning("webhook: signed body is not a LINE webhook payload")
        abort(400)
    events, dirty = parsed
    stored = store_events(events, dirty)
    log.debug("webhook: %d event(s), %d new", len(events), stored)
    return "OK"


def init_app(app: Flask) -> None:
    app.extensions["line_channel_secret"] = app.config["LINE_CHANNEL_SECRET"].encode("utf-8")
    app.register_blueprint(blueprint)
    app.register_blueprint(health.blueprint)
