"""Queue outgoing messages and deliver them: reply while the token is fresh, else a keyed push."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import Database
from bot.line_client import LineClient, LineError, Sent
from handlers.events import Event
from handlers.replies import Message, Reply, text_message
from models.base import utcnow
from models.notices import held, quota
from models.queues import InboxEvent, OutboxMessage, SentMessage
from models.queues.claims import ClaimLoop
from models.queues.leases import FAILED, HELD, PROBABLY_SENT, SENT
from models.queues.outbox import enqueue_push, in_requests
from models.registry.chats import find_group

log = logging.getLogger(__name__)
MAX_REPLY_ATTEMPTS = 3


def reply_deadline(row: InboxEvent, ttl: int) -> datetime:
    """A reply token lives about a minute from when LINE issued it; keep a safety margin."""
    issued = min(row.received_at, row.event_time or row.received_at)
    return issued + timedelta(seconds=ttl)


def enqueue_texts(session: Session, pushes: list[tuple[str, str]]) -> None:
    """Queue (chat, text) pushes that a domain call decided on, as a web action's outcomes."""
    for to, text in pushes:
        enqueue_push(session, to, [text_message(text)])


def enqueue_reply(
    session: Session, row: InboxEvent, event: Event, reply: Reply, ttl: int
) -> OutboxMessage | None:
    """Queue a handler's reply to the event's chat, plus its messages for other chats.

    Returns the row that carries the reply token, so the caller can send it at once.
    """
    messages = [dict(m) for m in reply.messages]
    if reply.quote and event.quote_token:
        first_text = next((m for m in messages if m.get("type") in {"text", "textV2"}), None)
        if first_text is not None:
            first_text.setdefault("quoteToken", event.quote_token)
    first = None
    for index, chunk in enumerate(in_requests(messages)):
        token = event.reply_token if index == 0 and event.mode == "active" else None
        outbox = OutboxMessage(
            inbox_event_id=row.id,
            to=event.chat_id,
            messages=json.dumps(chunk, ensure_ascii=False),
            reply_token=token,
            reply_deadline=reply_deadline(row, ttl) if token else None,
        )
        session.add(outbox)
        first = first or (outbox if token else None)
    for outgoing in reply.elsewhere:
        enqueue_push(session, outgoing.to, outgoing.messages)
    return first


class Sender:
    """Delivers due outbox rows; each LINE call happens outside any database transaction."""

    def __init__(self, database: Database, client: LineClient, config: dict, owner: str):
        self.db, self.client, self.config, self.owner = database, client, config, owner
        self.lease = config["WORKER_LEASE_SECONDS"]
        self.queue = ClaimLoop(database, OutboxMessage, owner, self.lease)

    def send_due(self, limit: int = 50) -> int:
        return self.queue.run_batch(utcnow(), limit, self.send_one)

    def send_one(self, row_id: int) -> None:
        plan = self._begin_attempt(row_id)
        if plan is not None:
            self.call(row_id, plan)

    def start_reply(self, session: Session, row: OutboxMessage, now: datetime) -> tuple | None:
        """Count a first reply attempt inside the caller's transaction, so it can be sent
        right after commit without another round trip; None when the token is too old."""
        if row.reply_token is None or now >= row.reply_deadline:
            return None
        session.flush()
        row.method, row.reply_attempts = "reply", 1
        row.lease_owner, row.lease_until = self.owner, now + timedelta(seconds=self.lease)
        return row.id, ("reply", row.to, row.reply_token, json.loads(row.messages), row.retry_key)

    def call(self, row_id: int, plan: tuple) -> None:
        """Make the LINE call of a counted attempt and record its outcome."""
        method, to, token, messages, retry_key = plan
        try:
            if method == "reply":
                sent = self.client.reply(token, messages)
            else:
                sent = self.client.push(to, messages, retry_key)
        except LineError as error:
            self._record_error(row_id, method, error)
        else:
            self._record_sent(row_id, SENT, sent)

    def _begin_attempt(self, row_id: int):
        """Choose reply or push and count the attempt before calling, so a crash can't resend."""
        now = utcnow()
        with self.db.session() as session:
            row = self.queue.hold(session, row_id, now)
            if row is None:
                return None
            if row.reply_token and row.method != "push":
                if now < row.reply_deadline:
                    row.method, row.reply_attempts = "reply", row.reply_attempts + 1
                elif row.reply_attempts == 0:
                    row.method = "push"  # the token expired before any attempt
                elif not reply_lost(session, row, now):
                    return None  # held for the group's next reply
            if row.method != "reply":
                if quota.spent(session, now):
                    hold_row(session, row, now)
                    return None
                row.method, row.push_attempts = "push", row.push_attempts + 1
                row.recipients = self._recipients(session, row.to, now)
            return row.method, row.to, row.reply_token, json.loads(row.messages), row.retry_key

    def _recipients(self, session: Session, to: str, now: datetime) -> int:
        """Messages a push costs: the group's member count (refreshed when stale), or 1."""
        group = find_group(session, to)
        if group is None:
            return 1
        ttl = timedelta(hours=self.config["MEMBER_COUNT_TTL_HOURS"])
        fresh = group.member_count_at is not None and now - group.member_count_at <= ttl
        if group.member_count is None or not fresh:
            # A GET that only reads, so it is safe inside the (short) transaction on PostgreSQL;
            # on SQLite it holds the write lock for one bounded call a day per group.
            try:
                group.member_count = self.client.group_member_count(to)
                group.member_count_at = now
            except LineError as error:
                log.warning("member count for a group unavailable: %s", error)
        return group.member_count or 1

    def _record_sent(self, row_id: int, status: str, sent: Sent | None) -> None:
        with self.db.session() as session:
            row = session.get(OutboxMessage, row_id)
            _finish(row, status, None)
            for message_id in sent.message_ids if sent else []:
                session.add(
                    SentMessage(line_message_id=message_id, outbox_id=row.id, chat_id=row.to)
                )

    def _record_error(self, row_id: int, method: str, error: LineError) -> None:
        now = utcnow()
        with self.db.session() as session:
            row = session.get(OutboxMessage, row_id)
            row.last_error = str(error)[:1000]
            row.release()
            if method == "reply" and error.invalid_reply_token:
                if row.reply_attempts > 1:
                    _finish(row, PROBABLY_SENT, str(error))  # an earlier attempt got through
                else:
                    row.method, row.next_attempt_at = "push", now  # token was dead on arrival
            elif method == "push" and error.already_accepted:
                _finish(row, SENT, None)
            elif method == "push" and error.monthly_limit:
                quota.stop_month(session, now)
                hold_row(session, row, now)
            elif not error.transient:
                _finish(row, FAILED, str(error))
            elif method == "reply":
                if row.reply_attempts >= MAX_REPLY_ATTEMPTS:
                    reply_lost(session, row, now)
                else:
                    wait = max(row.reply_attempts, error.retry_after or 0)
                    row.next_attempt_at = now + timedelta(seconds=wait)
            elif row.push_attempts >= self.config["MAX_PUSH_ATTEMPTS"]:
                _finish(row, FAILED, f"gave up after {row.push_attempts} attempts: {error}")
            else:
                wait = max(min(2**row.push_attempts, 600), error.retry_after or 0)
                row.next_attempt_at = now + timedelta(seconds=wait)
        log.warning("outbox %s: %s failed: %s", row_id, method, error)


def reply_lost(session: Session, row: OutboxMessage, now: datetime) -> bool:
    """A reply still unconfirmed when its token expires. One-to-one it becomes a keyed push
    (cost 1; True); in a group a push would cost every member, so its content rides on the
    group's next reply as held news instead (False)."""
    if row.to.startswith("U"):
        row.method, row.next_attempt_at = "push", now
        return True
    hold_row(session, row, now)
    return False


def hold_row(session: Session, row: OutboxMessage, now: datetime) -> None:
    """Keep the row's content for the chat's next reply (free) instead of pushing it."""
    text = as_text(json.loads(row.messages))
    if text:
        try:
            with session.begin_nested():
                held.hold(session, f"outbox:{row.id}", row.to, text, now)
        except IntegrityError:  # already held by an earlier attempt
            pass
    _finish(row, HELD, None)


def as_text(messages: list[Message]) -> str:
    """What a held message says: texts as they are, cards by their alternative text."""
    parts = []
    for message in messages:
        text = message.get("text") if message.get("type") in {"text", "textV2"} else None
        if message.get("type") == "textV2":
            text = re.sub(r"\{[^{}]*\}", "@แอดมิน", text or "")
        parts.append(text or message.get("altText") or "")
    return "\n".join(p for p in parts if p)


def _finish(row: OutboxMessage, status: str, error: str | None) -> None:
    row.finish(status)
    if error:
        row.last_error = error[:1000]
    if status in {SENT, PROBABLY_SENT}:
        row.sent_at = utcnow()
