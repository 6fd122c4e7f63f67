"""The worker: claim inbox events, run handlers, write changes and replies in one transaction."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from flask import Flask
from linebot.v3.webhooks import Event as SdkEvent
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import privacy, profiles
from bot.claims import claim, hold
from bot.events import Event
from bot.line_client import LineClient
from bot.outbox import Sender, enqueue_reply
from bot.replies import text_message
from bot.router import Context
from models import Group, Heartbeat, InboxEvent, Person, SentMessage, held, utcnow

log = logging.getLogger(__name__)
BATCH = 25


def classify(raw: dict) -> str:
    """The event type when the SDK validates the event, else "unknown" (kept, then ignored)."""
    try:
        SdkEvent.from_dict(raw)
    except Exception:
        return "unknown"
    return str(raw.get("type"))[:40]


def make_client(config: dict) -> LineClient:
    return LineClient(
        config["LINE_CHANNEL_ACCESS_TOKEN"],
        config["LINE_API_BASE_URL"],
        config["LINE_TIMEOUT_SECONDS"],
    )


def record_chat(session: Session, event: Event, now) -> None:
    """Remember a group or person the first time any event comes from them."""
    for model, column, value in (
        (Group, Group.line_group_id, event.group_id),
        (Person, Person.line_user_id, event.user_id),
    ):
        if value and session.scalar(select(model.id).where(column == value)) is None:
            try:
                with session.begin_nested():
                    session.add(model(**{column.key: value, "first_seen": now}))
            except IntegrityError:  # another worker recorded it first
                pass


def beat(session: Session, name: str, owner: str) -> None:
    """Record that a process is alive, for /healthz."""
    row = session.get(Heartbeat, name)
    if row is None:
        session.add(Heartbeat(name=name, at=utcnow(), owner=owner))
    else:
        row.at, row.owner = utcnow(), owner


class Worker:
    def __init__(self, app: Flask, client: LineClient | None = None):
        self.app = app
        self.db = app.extensions["db"]
        self.config = app.config
        self.router = app.extensions["router"]
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.sender = Sender(self.db, client or make_client(app.config), app.config, self.owner)
        self.lease = app.config["WORKER_LEASE_SECONDS"]
        self._last_beat = 0.0

    def process_due(self, limit: int = BATCH) -> int:
        with self.db.session() as session:
            ids = claim(session, InboxEvent, self.owner, utcnow(), self.lease, limit)
        for event_id in ids:
            self.process_one(event_id)
        return len(ids)

    def process_one(self, event_id: int) -> None:
        """Look the sender's name up if stale, handle the event in one transaction (which also
        stores the name), then send its reply."""
        with self.db.session() as session:
            row = session.get(InboxEvent, event_id)
            stale = row and profiles.stale_sender(session, json.loads(row.payload), utcnow())
        # Outside any transaction: a slow LINE call holds no lock.
        name = (profiles.fetch_name(self.sender.client, stale) or "") if stale else None
        planned = self._process(event_id, name)
        if planned is not None:
            self.sender.call(*planned)

    def _process(self, event_id: int, name: str | None = None) -> tuple | None:
        now = utcnow()
        with self.db.session() as session:
            row = hold(session, InboxEvent, event_id, self.owner, now, self.lease)
            if row is None:
                return None  # the lease passed to another worker
            raw = json.loads(row.payload)
            if row.kind == "unchecked":
                row.kind = classify(raw)
            event = Event(raw)
            record_chat(session, event, now)
            if name is not None:
                profiles.remember(session, event.user_id, name, now)
            try:
                with session.begin_nested():
                    addressed, reply_row = self._handle(session, row, event, now)
            except Exception as error:  # a handler bug must not stop the other events
                log.exception("event %s: handler failed", row.id)
                self._fail(row, error, now)
                return None
            privacy.after_processing(session, row, event, addressed)
            row.status = "done" if row.kind != "unknown" and event.mode == "active" else "ignored"
            row.addressed, row.processed_at = addressed, now
            row.lease_owner = row.lease_until = None
            return self.sender.start_reply(session, reply_row, now) if reply_row else None

    def _handle(self, session: Session, row: InboxEvent, event: Event, now):
        """Run the router; returns (addressed, the outbox row carrying the reply token)."""
        if row.kind == "unknown" or event.mode != "active":
            return False, None
        ctx = Context(
            session=session,
            event=event,
            now=now,
            config=self.config,
            router=self.router,
            is_bot_message=lambda message_id: session.get(SentMessage, message_id) is not None,
        )
        addressed, reply = self.router.dispatch(ctx)
        if reply and reply.messages and event.is_group and len(reply.messages) < 5:
            news = held.take(session, event.group_id, now)  # notices the budget could not push
            if news:
                reply.messages.append(text_message((held.HEADER + "\n" + "\n\n".join(news))[:4900]))
        reply_row = None
        if reply and (reply.messages or reply.elsewhere):
            ttl = self.config["REPLY_TOKEN_TTL_SECONDS"]
            reply_row = enqueue_reply(session, row, event, reply, ttl)
        return addressed, reply_row

    def _fail(self, row: InboxEvent, error: Exception, now) -> None:
        row.attempts += 1
        row.error = f"{type(error).__name__}: {error}"[:2000]
        row.lease_owner = row.lease_until = None
        if row.attempts >= self.config["MAX_EVENT_ATTEMPTS"]:
            row.status = "failed"
        else:
            row.next_attempt_at = now + timedelta(seconds=5 * 2**row.attempts)

    def heartbeat(self, every: float = 5.0) -> None:
        if time.monotonic() - self._last_beat >= every:
            with self.db.session() as session:
                beat(session, "worker", self.owner)
            self._last_beat = time.monotonic()

    def run_once(self) -> int:
        """Drain what is due now (events, then their replies), and return how much was done."""
        done = 0
        while True:
            self.heartbeat()
            step = self.process_due() + self.sender.send_due()
            if not step:
                return done
            done += step

    def warm_up(self) -> None:
        """Build the FAQ index before the first question, outside any write transaction."""
        from models.faq_service import unbuilt_indexes, warm_up

        with self.db.session() as session:
            unbuilt = unbuilt_indexes(session)
        warm_up(unbuilt)

    def run_forever(self, stop: threading.Event, idle_sleep: float = 0.2) -> None:
        log.info("worker %s started", self.owner)
        self.warm_up()
        while not stop.is_set():
            try:
                if not self.run_once():
                    stop.wait(idle_sleep)
            except Exception:  # the database blinked: log, wait, carry on
                log.exception("worker loop error")
                stop.wait(2.0)
        log.info("worker %s stopped", self.owner)
