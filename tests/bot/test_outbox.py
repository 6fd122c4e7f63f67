"""Delivery rules: reply while fresh, keyed push otherwise, retries that never double-post."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from sqlalchemy import select

from bot.dev.eventfactory import now_ms, text_event
from handlers.replies import Reply, text_message
from handlers.router import Router
from models.base import utcnow
from models.queues import OutboxMessage, SentMessage
from models.queues.outbox import enqueue_push
from models.registry import Group


def outbox_rows(db) -> list[OutboxMessage]:
    with db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_fresh_token_replies_and_stores_sent_ids(post_events, worker, fake_line, db):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1"))
    worker.run_once()
    [record] = fake_line.state.sent
    assert record["kind"] == "reply"
    [row] = outbox_rows(db)
    assert (row.status, row.method) == ("sent", "reply")
    with db.session() as session:
        assert session.get(SentMessage, record["sent_message_ids"][0]) is not None


def test_expired_token_falls_back_to_push_with_the_row_retry_key(
    post_events, worker, fake_line, db
):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1", timestamp=now_ms() - 70_000))
    worker.process_due()  # the token is already too old to try
    worker.sender.send_due()
    [record] = fake_line.state.sent
    [row] = outbox_rows(db)
    assert record["kind"] == "push" and record["to"] == "Cg1"
    assert record["retry_key"] == row.retry_key
    assert (row.status, row.method) == ("sent", "push")


def test_push_retried_after_5xx_with_the_same_key(app, worker, fake_line, db):
    with db.session() as session:
        enqueue_push(session, "Cg1", [{"type": "text", "text": "แจ้งเตือน"}])
    fake_line.state.fail_next("push", status=500)
    worker.sender.send_due()
    [row] = outbox_rows(db)
    assert row.status == "pending" and row.push_attempts == 1
    with time_machine.travel(utcnow() + timedelta(seconds=5), tick=False):
        worker.sender.send_due()
    [row] = outbox_rows(db)
    assert row.status == "sent"
    keys = {r["retry_key"] for r in fake_line.state.sent}
    assert keys == {row.retry_key}
    assert len(fake_line.state.sent) == 1


def test_push_already_accepted_counts_as_sent_not_twice(app, worker, fake_line, db):
    with db.session() as session:
        [row] = enqueue_push(session, "Cg1", [{"type": "text", "text": "แจ้งเตือน"}])
    worker.sender.send_due()
    # A crash after LINE accepted but before we recorded it: the row is pending again.
    with db.session() as session:
        stored = session.get(OutboxMessage, row.id)
        stored.status, stored.sent_at = "pending", None
    worker.sender.send_due()
    assert len(fake_line.state.sent) == 1
    assert outbox_rows(db)[0].status == "sent"


def test_push_4xx_is_failed_not_retried(app, worker, fake_line, db):
    with db.session() as session:
        enqueue_push(session, "Cg1", [{"type": "text", "text": "ก" * 5001}])
    worker.sender.send_due()
    with time_machine.travel(utcnow() + timedelta(hours=1), tick=False):
        worker.sender.send_due()
    [row] = outbox_rows(db)
    assert row.status == "failed" and row.last_error.startswith("400")
    assert row.push_attempts == 1
    assert fake_line.state.sent == []


def test_reply_that_timed_out_then_invalid_token_is_probably_sent_never_pushed(
    post_events, worker, fake_line, db
):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1"))
    fake_line.state.fail_next("reply", status=0, delay=2.5)  # LINE accepts, we time out
    worker.process_due()  # processes the event and makes the first reply attempt
    [row] = outbox_rows(db)
    assert row.status == "pending" and row.reply_attempts == 1
    with time_machine.travel(utcnow() + timedelta(seconds=3), tick=False):
        worker.sender.send_due()
    [row] = outbox_rows(db)
    assert row.status == "probably_sent"
    assert [r["kind"] for r in fake_line.state.sent] == ["reply"]


def test_reply_5xx_is_retried_while_token_is_fresh(post_events, worker, fake_line, db):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1"))
    fake_line.state.fail_next("reply", status=503)
    worker.process_due()
    with time_machine.travel(utcnow() + timedelta(seconds=2), tick=False):
        worker.sender.send_due()
    [row] = outbox_rows(db)
    assert (row.status, row.reply_attempts) == ("sent", 2)


def test_crash_after_reply_then_retry_is_not_pushed(post_events, worker, fake_line, db):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1"))
    worker.run_once()
    with db.session() as session:  # pretend the worker died before recording success
        row = session.scalars(select(OutboxMessage)).one()
        row.status = "pending"
    worker.sender.send_due()
    [row] = outbox_rows(db)
    assert row.status == "probably_sent"
    assert [r["kind"] for r in fake_line.state.sent] == ["reply"]


def test_push_counts_group_members_against_the_month(app, runner, worker, fake_line, db):
    fake_line.state.set_member_count("Cbig", 37)
    with db.session() as session:
        session.add(Group(line_group_id="Cbig"))
        enqueue_push(session, "Cbig", [{"type": "text", "text": "หนึ่ง"}])
        enqueue_push(session, "Uperson", [{"type": "text", "text": "สอง"}])
    worker.sender.send_due()
    result = runner.invoke(args=["stats", "--json"])
    figures = json.loads(result.stdout)
    assert figures["pushes_month"] == 2
    assert figures["messages_month"] == 38


def test_more_than_five_messages_are_split(post_events, worker, fake_line, db, app):
    router: Router = app.extensions["router"]
    router.command("หกข้อความ")(lambda ctx, args: Reply([text_message(str(i)) for i in range(6)]))
    post_events(text_event("หกข้อความ", group_id="Cg1"))
    worker.run_once()
    kinds = sorted(r["kind"] for r in fake_line.state.sent)
    assert kinds == ["push", "reply"]
    assert sum(len(r["messages"]) for r in fake_line.state.sent) == 6
