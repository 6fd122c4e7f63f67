"""PDPA: message text stays out of logs and errors, and old failed rows lose their text."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import time_machine
from sqlalchemy import select, text

from bot.dev.eventfactory import text_event
from models.base import utcnow
from models.queues import InboxEvent, OutboxMessage

MARKER = "เลขบัตร-1-2345-67890-12-3-ลับมาก"


def inbox_row(db, event) -> InboxEvent:
    with db.session() as session:
        return session.scalar(
            select(InboxEvent).where(InboxEvent.webhook_event_id == event["webhookEventId"])
        )


def test_a_failing_handler_logs_and_stores_no_message_text(app, post_events, worker, db, caplog):
    raised = []

    def query_with_the_text(ctx):
        try:
            ctx.session.execute(
                text("SELECT * FROM no_such_table WHERE x = :t"), {"t": ctx.event.text}
            )
        except Exception as error:
            raised.append(str(error))
            raise

    app.extensions["router"].dispatch = query_with_the_text
    event = text_event(MARKER, group_id="Cg")
    post_events(event)
    with caplog.at_level(logging.DEBUG):
        worker.run_once()
    row = inbox_row(db, event)
    # it did fail: SQLite says OperationalError, PostgreSQL ProgrammingError (UndefinedTable)
    assert row.error.split()[0] in {"OperationalError", "ProgrammingError"} and row.attempts == 1
    assert MARKER not in row.error
    assert "no_such_table" in raised[0] and MARKER not in raised[0]  # whoever logs str(error)
    assert MARKER not in caplog.text


def test_a_webhook_500_logs_no_message_text(app, client, post_events, caplog, monkeypatch):
    from bot import webhook

    broken = webhook.insert_sql("sqlite").replace("inbox_events", "no_such_table")
    monkeypatch.setattr(webhook, "insert_sql", lambda dialect: broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.DEBUG):
        assert post_events(text_event(MARKER, group_id="Cg")).status_code == 500
    assert "no_such_table" in caplog.text and MARKER not in caplog.text


def test_retention_clears_text_of_old_failed_and_stuck_rows_keeping_metadata(
    app, post_events, db, runner
):
    days = app.config["INBOX_RETENTION_DAYS"]
    old = utcnow() - timedelta(days=days + 1)
    events = {name: text_event(f"{MARKER} {name}", group_id="Cg") for name in
              ("old failed", "old pending", "new failed")}  # fmt: skip
    with time_machine.travel(old, tick=False):
        post_events(events["old failed"], events["old pending"])
    post_events(events["new failed"])
    failing = [inbox_row(db, events[name]).id for name in ("old failed", "new failed")]
    with db.session() as session:
        for row_id in failing:
            row = session.get(InboxEvent, row_id)
            row.status, row.attempts = "failed", 5
            row.error = f"OperationalError: (sqlite3.OperationalError) near {MARKER!r}"
        for created_at in (old, utcnow()):
            session.add(
                OutboxMessage(
                    to="Cg",
                    messages=json.dumps([{"type": "text", "text": MARKER}], ensure_ascii=False),
                    status="failed",
                    push_attempts=8,
                    last_error="gave up after 8 attempts: 500",
                    created_at=created_at,
                )
            )
    assert runner.invoke(args=["purge"]).exit_code == 0

    old_failed, old_pending = (
        inbox_row(db, events["old failed"]),
        inbox_row(db, events["old pending"]),
    )
    for row in (old_failed, old_pending):
        assert MARKER not in row.payload and row.text_dropped
        assert json.loads(row.payload)["message"]["id"]  # metadata stays
        assert row.status == "failed" and row.user_id == "Utestuser"
    assert old_failed.error == "OperationalError" and old_failed.attempts == 5
    assert MARKER not in (old_pending.error or "")
    new_failed = inbox_row(db, events["new failed"])
    assert MARKER in new_failed.payload and MARKER in new_failed.error

    with db.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)).all()
    assert [r.status for r in rows] == ["failed", "failed"]
    assert MARKER not in rows[0].messages and json.loads(rows[0].messages) == []
    assert rows[0].push_attempts == 8 and rows[0].last_error.startswith("gave up")
    assert MARKER in rows[1].messages
    again = json.loads(runner.invoke(args=["purge"]).output.strip().splitlines()[-1])
    assert again["inbox_text_cleared"] == again["outbox_text_cleared"] == 0
    assert inbox_row(db, events["old pending"]).error.startswith("expired")


def test_engines_hide_bound_parameters(app):
    assert app.extensions["db"].engine.hide_parameters
