"""The worker: claim inbox events, run handlers, write changes and replies in one transaction."""

from __future__ import annotations

import json
import logging
import threading
import traceback
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask
from linebot.v3.webhooks import Event as SdkEvent
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import privacy, profiles
from bot.line_client import LineClient, LineError, add_friend_url
from bot.outbox import Sender, enqueue_reply
from handlers.events import Event
from handlers.replies import text_message
from handlers.router import Context
from models.base import utcnow
from models.faq import answering
from models.line_text import MAX_MESSAGES
from models.notices import held
from models.queues import InboxEvent, SentMessage
from models.queues.claims import ClaimLoop, owner_id
from models.queues.leases import DONE, FAILED, IGNORED, PENDING
from models.queues.runtime import Pulse, run_until
from models.registry import Group, Person, membership
from models.registry.chats import find_group

log = logging.getLogger(__name__)
BATCH = 25
BOT_INFO_RETRY = timedelta(minutes=10)  # after LINE failed to give the basic id: no link till then


def classify(raw: dict) -> str:
    """The event type when the SDK validates the event, else "unknown" (kept, then ignored)."""
    try:
        SdkEvent.from_dict(raw)
    except Exception:
        return "unknown"
    return str(raw.get("type"))[:40]


def describe(error: BaseException) -> str:
    """The error's type and where it was raised; never its message, which may quote the user."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    cause = getattr(error, "orig", None)  # SQLAlchemy wraps the driver's error
    return f"{type(error).__name__}{f' ({type(cause).__name__})' if cause else ''}{where}"


def add_held_news(session: Session, reply, chat_id: str, now) -> None:
    """Notices the budget could not push, and replies LINE never confirmed, ride free on this
    reply in the message slots left; a quick reply moves to the new last message, the only
    place LINE allows it."""
    texts = held.news_texts(session, chat_id, now, MAX_MESSAGES - len(reply.messages))
    if not texts:
        return
    quick = reply.messages[-1].pop("quickReply", None)
    reply.messages.extend(text_message(text) for text in texts)
    if quick:
        reply.messages[-1]["quickReply"] = quick


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


class Worker:
    def __init__(self, app: Flask, client: LineClient | None = None):
        self.app = app
        self.db = app.extensions["db"]
        self.config = app.config
        self.router = app.extensions["router"]
        self.owner = owner_id()
        self.sender = Sender(self.db, client or make_client(app.config), app.config, self.owner)
        self.lease = app.config["WORKER_LEASE_SECONDS"]
        self.queue = ClaimLoop(self.db, InboxEvent, self.owner, self.lease)
        self.pulse = Pulse(self.db, "worker", self.owner)
        self.add_friend_url: str | None = None  # asked of LINE once per process
        self._bot_info_due: datetime | None = None  # when LINE may be asked again after a failure

    def process_due(self, limit: int = BATCH) -> int:
        """Process a batch; an event that fails in any step costs an attempt, never the batch."""
        return self.queue.run_batch(utcnow(), limit, self.process_one, self._record_failure)

    def process_one(self, event_id: int) -> None:
        """Look the sender's name (and friendship) up if stale, handle the event in one
        transaction (which also stores them), then send its reply and do the handler's
        follow-ups."""
        with self.db.session() as session:
            row = session.get(InboxEvent, event_id)
            stale = row and profiles.stale_sender(session, json.loads(row.payload), utcnow())
        # Outside any transaction: a slow LINE call holds no lock.
        looked = profiles.look_up(self.sender.client, stale) if stale else None
        self.learn_add_friend_url()
        planned, followups = self._process(event_id, looked)
        if planned is not None:
            self.sender.call(*planned)
        self._follow_up(followups)

    def learn_add_friend_url(self) -> None:
        """Ask LINE for the official account's basic id once per process, outside any
        transaction; a failure means no add-friend link for a while, never a stopped event."""
        due = self._bot_info_due
        if self.add_friend_url is not None or (due is not None and utcnow() < due):
            return
        try:
            self.add_friend_url = add_friend_url(self.sender.client.basic_id())
        except Exception as error:  # noqa: BLE001 - the link is a nicety; status only
            log.warning("bot info unavailable: %s", getattr(error, "status", type(error).__name__))
            self._bot_info_due = utcnow() + BOT_INFO_RETRY

    def _process(
        self, event_id: int, looked: profiles.Looked | None = None
    ) -> tuple[tuple | None, dict]:
        now = utcnow()
        with self.db.session() as session:
            row = self.queue.hold(session, event_id, now)
            if row is None:
                return None, {}  # the lease passed to another worker
            raw = json.loads(row.payload)
            if not isinstance(raw, dict):
                raw = {}
            if row.kind == "unchecked":
                row.kind = classify(raw)
            event = Event(raw)
            record_chat(session, event, now)
            if looked is not None and event.user_id:
                profiles.remember(session, event.user_id, looked, now)
            try:
                with session.begin_nested():
                    addressed, reply_row, followups = self._handle(session, row, event, now)
            except Exception as error:  # a handler bug must not stop the other events
                self._fail(row, error, now)
                return None, {}
            privacy.after_processing(session, row, event, addressed)
            row.finish(DONE if row.kind != "unknown" and event.mode == "active" else IGNORED)
            row.addressed, row.processed_at = addressed, now
            planned = self.sender.start_reply(session, reply_row, now) if reply_row else None
            return planned, followups

    def _handle(self, session: Session, row: InboxEvent, event: Event, now):
        """Run the router; returns (addressed, the outbox row carrying the reply token,
        follow-ups to do after commit)."""
        if row.kind == "unknown" or event.mode != "active":
            return False, None, {}
        ctx = Context(
            session=session,
            event=event,
            now=now,
            config=self.config,
            router=self.router,
            is_bot_message=lambda message_id: session.get(SentMessage, message_id) is not None,
            add_friend_url=self.add_friend_url,
        )
        addressed, reply = self.router.dispatch(ctx)
        if reply and reply.messages and event.chat_id:
            add_held_news(session, reply, event.chat_id, now)
        reply_row = None
        if reply and (reply.messages or reply.elsewhere):
            ttl = self.config["REPLY_TOKEN_TTL_SECONDS"]
            reply_row = enqueue_reply(session, row, event, reply, ttl)
        followups = {name: event for name in ctx.followups}
        return addressed, reply_row, followups

    def _follow_up(self, followups: dict[str, Event]) -> None:
        """Slow work a handler asked for, done after its transaction: rebuild the FAQ index
        after an entry changed; ask LINE the size of a group just set up; ask LINE whether
        a person ("friendship:<LINE user id>") is a friend of the bot."""
        if "faq_index" in followups:
            self.warm_up()
        event = followups.get("group_size")
        if event is not None and event.group_id:
            self.learn_group_size(event.group_id)
        for name in sorted(followups):
            kind, _, user_id = name.partition(":")
            if kind == "friendship" and user_id:
                self.check_friendship(user_id)

    def learn_group_size(self, group_id: str) -> None:
        try:
            count = self.sender.client.group_member_count(group_id)
        except LineError as error:
            log.info("member count of a new group unavailable: %s", error.status)
            return
        with self.db.session() as session:
            group = find_group(session, group_id)
            if group is not None:
                group.member_count, group.member_count_at = count, utcnow()

    def check_friendship(self, line_user_id: str) -> None:
        """Record whether LINE's one-to-one profile API knows this person: an admin who added
        the bot before it was deployed sent no follow event."""
        try:
            answered = self.sender.client.is_friend(line_user_id)
        except Exception as error:  # noqa: BLE001 - the other checks still run; status only
            log.info("friendship of a person unknown: %s",
                     getattr(error, "status", type(error).__name__))  # fmt: skip
            return
        with self.db.session() as session:
            membership.friendship_checked(session, line_user_id, answered)

    def _fail(self, row: InboxEvent, error: Exception, now) -> None:
        """Count an attempt; after MAX_EVENT_ATTEMPTS the event is failed for good. The stored
        and logged error says what and where, never the message (it may quote the user)."""
        row.attempts += 1
        row.error = describe(error)[:2000]
        log.error(
            "event %s: attempt %d failed: %s\n%s",
            row.id,
            row.attempts,
            row.error,
            "".join(traceback.format_list(traceback.extract_tb(error.__traceback__))),
        )
        if row.attempts >= self.config["MAX_EVENT_ATTEMPTS"]:
            row.finish(FAILED)
        else:
            row.retry_at(now + timedelta(seconds=5 * 2**row.attempts))

    def _record_failure(self, event_id: int, error: Exception) -> None:
        """An error outside the handler (odd payload, profile call, database): count it in a
        transaction of its own, unless the event was already finished."""
        try:
            with self.db.session() as session:
                row = session.get(InboxEvent, event_id)
                if row is not None and row.status == PENDING and row.lease_owner == self.owner:
                    self._fail(row, error, utcnow())
                else:  # after the event's commit: its reply or a follow-up
                    log.error("event %s: failed after commit: %s", event_id, describe(error))
        except Exception as again:
            log.error("event %s: could not record a failure: %s", event_id, describe(again))

    def run_once(self) -> int:
        """Drain what is due now (events, then their replies), and return how much was done."""
        done = 0
        while True:
            self.pulse()
            step = self.process_due() + self.sender.send_due()
            if not step:
                return done
            done += step

    def warm_up(self) -> None:
        """Build the FAQ index before the first question, outside any write transaction."""
        with self.db.session() as session:
            unbuilt = answering.unbuilt_indexes(session)
        answering.warm_up(unbuilt)

    def run_forever(self, stop: threading.Event, idle_sleep: float = 0.2) -> None:
        log.info("worker %s started", self.owner)
        self.warm_up()
        run_until(stop, self.run_once, "worker", idle_sleep, 2.0, logger=log)
        log.info("worker %s stopped", self.owner)
