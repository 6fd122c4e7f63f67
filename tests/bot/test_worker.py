"""The worker: leases, failures that stay visible, exactly-once effects."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from bot import worker as worker_module
from bot.dev.eventfactory import base_event, text_event
from bot.worker import Worker
from handlers.replies import Outgoing, Reply, text_message
from models.base import utcnow
from models.queues import InboxEvent, OutboxMessage
from models.queues.claims import claim
from models.registry import Group, Person


def statuses(db) -> dict[str, str]:
    with db.session() as session:
        rows = session.scalars(select(InboxEvent))
        return {row.webhook_event_id: row.status for row in rows}


def test_failing_handler_is_retried_then_failed_and_others_carry_on(app, post_events, db):
    router = app.extensions["router"]

    def explode(ctx, args):
        """ทดสอบ"""
        raise RuntimeError("boom")

    router.command("พัง")(explode)
    bad, good = text_event("พัง", group_id="Cg"), text_event("ช่วยเหลือ", group_id="Cg")
    post_events(bad, good)
    worker = Worker(app)
    worker.run_once()
    assert statuses(db) == {bad["webhookEventId"]: "pending", good["webhookEventId"]: "done"}
    for minutes in range(1, 10):
        with time_machine.travel(utcnow() + timedelta(minutes=minutes * 10), tick=False):
            worker.run_once()
    with db.session() as session:
        row = session.scalar(
            select(InboxEvent).where(InboxEvent.webhook_event_id == bad["webhookEventId"])
        )
        assert row.status == "failed"
        assert row.attempts == app.config["MAX_EVENT_ATTEMPTS"]
        assert row.error.startswith("RuntimeError at test_worker.py:")
        assert "boom" not in row.error  # the message may quote the user: never stored


def test_handler_failure_rolls_back_its_changes(app, post_events, db):
    router = app.extensions["router"]

    def half_done(ctx, args):
        """ทดสอบ"""
        ctx.session.add(Group(line_group_id="Chalf"))
        ctx.session.flush()
        raise RuntimeError("after a write")

    router.command("ครึ่ง")(half_done)
    post_events(text_event("ครึ่ง", group_id="Cg"))
    Worker(app).run_once()
    with db.session() as session:
        assert session.scalar(select(Group).where(Group.line_group_id == "Chalf")) is None
        assert session.scalars(select(OutboxMessage)).all() == []


def test_killed_worker_lease_is_resumed_by_another_within_30s(app, post_events, db, fake_line):
    events = [text_event("ช่วยเหลือ", group_id="Cg") for _ in range(10)]
    post_events(*events)
    dead = Worker(app)
    with db.session() as session:  # the dead worker claimed a batch, then was killed
        claimed = claim(session, InboxEvent, dead.owner, utcnow(), 30, 25)
    assert len(claimed) == 10
    other = Worker(app)
    assert other.process_due() == 0  # leased rows are not taken early
    with time_machine.travel(utcnow() + timedelta(seconds=31), tick=False):
        other.run_once()
    assert set(statuses(db).values()) == {"done"}
    assert len(fake_line.state.sent) == 10


def test_a_lost_lease_does_not_process_twice(app, post_events, db):
    post_events(text_event("ช่วยเหลือ", group_id="Cg"))
    slow, fast = Worker(app), Worker(app)
    with db.session() as session:
        [event_id] = claim(session, InboxEvent, slow.owner, utcnow(), 30, 25)
    with time_machine.travel(utcnow() + timedelta(seconds=31), tick=False):
        fast.process_due()
        slow.process_one(event_id)  # wakes up late: the row is no longer its own
    with db.session() as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_groups_and_people_recorded_on_first_event_of_any_kind(app, post_events, db):
    post_events(
        base_event("somethingNew", group_id="Cnew", user_id="Unew"),
        text_event("คุยกันเอง", group_id="Cnew2", user_id="Unew"),
        base_event("memberLeft", group_id="Cnew3", user_id=None, left={"members": []}),
    )
    Worker(app).run_once()
    with db.session() as session:
        groups = set(session.scalars(select(Group.line_group_id)))
        people = set(session.scalars(select(Person.line_user_id)))
    assert groups == {"Cnew", "Cnew2", "Cnew3"}
    assert people == {"Unew"}


def test_standby_events_are_ignored(app, post_events, db, fake_line):
    post_events(text_event("ช่วยเหลือ", group_id="Cg", mode="standby"))
    Worker(app).run_once()
    assert list(statuses(db).values()) == ["ignored"]
    assert fake_line.state.sent == []


def test_heartbeat_shows_in_healthz(app, client):
    Worker(app).run_once()
    body = client.get("/healthz").get_json()
    assert "worker" in body["heartbeats"]
    assert body["backlog"] == {"inbox_pending": 0, "outbox_pending": 0}


def test_replies_elsewhere_become_pushes(app, post_events, fake_line):
    router = app.extensions["router"]
    router.command("ส่งต่อ")(
        lambda ctx, args: Reply(
            [text_message("รับแล้ว")], elsewhere=[Outgoing("Ccoord", [text_message("มีคำถาม")])]
        )
    )
    post_events(text_event("ส่งต่อ", group_id="Cg"))
    Worker(app).run_once()
    assert sorted((r["kind"], r["to"]) for r in fake_line.state.sent) == [
        ("push", "Ccoord"),
        ("reply", None),
    ]


def _helps(count: int) -> list[dict]:
    return [text_event("ช่วยเหลือ", group_id="Cpoison", user_id=f"U{i:032d}") for i in range(count)]


def test_odd_payloads_next_to_thirty_requests_leave_all_thirty_answered(
    app, post_events, db, fake_line
):
    odd = [
        dict(text_event("ช่วยเหลือ"), source="not an object"),
        dict(base_event("unsend", group_id="Cpoison"), unsend="not an object"),
        dict(text_event("ช่วยเหลือ"), source={"type": "user", "userId": 12345}),
        dict(text_event("ช่วยเหลือ", group_id="Cpoison"), message={"type": "text", "text": 7}),
    ]
    helps = _helps(30)
    post_events(*odd[:2], *helps, *odd[2:])
    Worker(app).run_once()
    assert "pending" not in statuses(db).values()
    replies = [r for r in fake_line.state.sent if r["kind"] == "reply"]
    assert len(replies) >= 30


def test_a_step_outside_the_handler_that_fails_counts_attempts_and_spares_the_batch(
    app, post_events, db, fake_line, monkeypatch
):
    poison = text_event("ช่วยเหลือ", group_id="Cpoison", user_id="U" + "9" * 32)
    real = worker_module.record_chat

    def record_chat(session, event, now):
        if event.user_id == poison["source"]["userId"]:
            raise TypeError("a database type error")
        real(session, event, now)

    monkeypatch.setattr(worker_module, "record_chat", record_chat)
    post_events(poison, *_helps(30))
    worker = Worker(app)
    worker.run_once()
    assert len([r for r in fake_line.state.sent if r["kind"] == "reply"]) == 30
    for minutes in range(1, 10):
        with time_machine.travel(utcnow() + timedelta(minutes=minutes * 10), tick=False):
            worker.run_once()
    with db.session() as session:
        row = session.scalar(
            select(InboxEvent).where(InboxEvent.webhook_event_id == poison["webhookEventId"])
        )
        assert (row.status, row.attempts) == ("failed", app.config["MAX_EVENT_ATTEMPTS"])
        assert row.error.startswith("TypeError at test_worker.py:")
