"""PDPA: text not addressed to the bot is forgotten; old processed events are deleted."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from sqlalchemy import select

from bot.dev.eventfactory import base_event, text_event
from models.base import utcnow
from models.queues import InboxEvent


def stored_text(db, event) -> str | None:
    with db.session() as session:
        row = session.scalar(
            select(InboxEvent).where(InboxEvent.webhook_event_id == event["webhookEventId"])
        )
        return json.loads(row.payload)["message"].get("text")


def test_chatter_text_is_dropped_addressed_text_kept(post_events, worker, db):
    chatter = text_event("เบอร์โทรผม 081-234-5678", group_id="Cg")
    command = text_event("ช่วยเหลือ", group_id="Cg")
    post_events(chatter, command)
    worker.run_once()
    assert stored_text(db, chatter) is None
    assert stored_text(db, command) == "ช่วยเหลือ"
    with db.session() as session:
        row = session.scalar(
            select(InboxEvent).where(InboxEvent.webhook_event_id == chatter["webhookEventId"])
        )
        assert row.text_dropped and row.user_id == "Utestuser" and row.status == "done"


def test_unsent_message_text_is_dropped(post_events, worker, db):
    command = text_event("ช่วยเหลือ", group_id="Cg")
    post_events(command)
    worker.run_once()
    unsend = base_event("unsend", group_id="Cg", unsend={"messageId": command["message"]["id"]})
    post_events(unsend)
    worker.run_once()
    assert stored_text(db, command) is None


def test_retention_deletes_old_processed_events_only(app, post_events, worker, db, runner):
    old_done, old_pending = text_event("ช่วยเหลือ", group_id="Cg"), text_event("x", group_id="Cg")
    days = app.config["INBOX_RETENTION_DAYS"]
    with time_machine.travel(utcnow() - timedelta(days=days + 1), tick=False):
        post_events(old_done)
        worker.run_once()
        post_events(old_pending)
    recent = text_event("ช่วยเหลือ", group_id="Cg")
    post_events(recent)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0
    with db.session() as session:
        left = set(session.scalars(select(InboxEvent.webhook_event_id)))
    assert old_done["webhookEventId"] not in left
    assert {old_pending["webhookEventId"], recent["webhookEventId"]} <= left


def test_retention_also_deletes_old_questions_and_held_notices(app, db, runner):
    from models.faq import OpenQuestion
    from models.notices import HeldNotice

    days = app.config["INBOX_RETENTION_DAYS"]
    old = utcnow() - timedelta(days=days + 1)
    with db.session() as session:
        session.add_all(
            [
                OpenQuestion(text="คำถามเก่า", asked_at=old),
                OpenQuestion(text="คำถามใหม่", asked_at=utcnow()),
                HeldNotice(key="k-old", group_id="Cg", text="เก่า", created_at=old),
                HeldNotice(key="k-new", group_id="Cg", text="ใหม่", created_at=utcnow()),
            ]
        )
    assert runner.invoke(args=["purge"]).exit_code == 0
    with db.session() as session:
        assert session.scalars(select(OpenQuestion.text)).all() == ["คำถามใหม่"]
        assert session.scalars(select(HeldNotice.key)).all() == ["k-new"]
