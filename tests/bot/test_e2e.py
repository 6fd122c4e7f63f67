"""End to end: signed webhook bodies in, the worker, and what the LINE stand-in received."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bot.dev.eventfactory import body_of, sign, text_event
from models.queues import InboxEvent, OutboxMessage

ROOT = Path(__file__).resolve().parents[2]


def sent_texts(fake_line) -> list[str]:
    return [m["text"] for record in fake_line.state.sent for m in record["messages"]]


def test_help_in_a_group_answers_with_the_command_list(post_events, worker, fake_line):
    event = text_event("ช่วยเหลือ", group_id="Cgroup", user_id="Usomchai")
    assert post_events(event).status_code == 200
    worker.run_once()
    [record] = fake_line.state.sent
    assert record["kind"] == "reply" and record["reply_token"] == event["replyToken"]
    assert "ช่วยเหลือ" in record["messages"][0]["text"]


def test_same_event_three_times_gives_one_reply(client, app, worker, fake_line):
    event = text_event("ช่วยเหลือ", group_id="Cgroup")
    for attempt in range(3):
        event["deliveryContext"] = {"isRedelivery": attempt > 0}
        body = body_of(event)
        headers = {"X-Line-Signature": sign(app.config["LINE_CHANNEL_SECRET"], body)}
        assert client.post("/callback", data=body.encode(), headers=headers).status_code == 200
        worker.run_once()
    assert len(fake_line.state.sent) == 1


def test_group_chatter_gets_no_answer(post_events, worker, fake_line):
    post_events(*(text_event(t, group_id="Cg") for t in ("รับทราบครับ", "ขอบคุณค่ะ", "👍")))
    worker.run_once()
    assert fake_line.state.sent == []


def _worker_process(database_url: str, fake_line) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        LINE_CHANNEL_SECRET="test-secret",
        LINE_CHANNEL_ACCESS_TOKEN="test-token",
        SECRET_KEY="test-key",
        LINE_API_BASE_URL=fake_line.base_url,
        WORKER_LEASE_SECONDS="2",
        REPLY_TOKEN_TTL_SECONDS="600",
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env
    )


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_worker_killed_mid_burst_processes_every_event_exactly_once(
    post_events, db, database_url, fake_line
):
    events = [text_event("ช่วยเหลือ", group_id="Cburst", user_id=f"U{i}") for i in range(500)]
    for start in range(0, 500, 50):
        assert post_events(*events[start : start + 50]).status_code == 200

    first = _worker_process(database_url, fake_line)
    try:
        assert _wait(lambda: len(fake_line.state.sent) >= 100, 60), "worker made no progress"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert len(fake_line.state.sent) < 500, "the kill came too late to test anything"

    second = _worker_process(database_url, fake_line)

    def all_done() -> bool:
        with db.session() as session:
            pending = session.scalar(
                select(func.count()).where(InboxEvent.status == "pending")
            ) + session.scalar(select(func.count()).where(OutboxMessage.status == "pending"))
        return pending == 0

    try:
        assert _wait(all_done, 120), "the second worker did not finish the burst"
    finally:
        second.terminate()
        second.wait(timeout=10)

    tokens = Counter(record["reply_token"] for record in fake_line.state.sent)
    assert set(tokens) == {event["replyToken"] for event in events}
    assert max(tokens.values()) == 1, "an event was answered twice"
    with db.session() as session:
        statuses = Counter(session.scalars(select(InboxEvent.status)))
        outbox = session.scalars(select(OutboxMessage)).all()
    assert statuses == {"done": 500}
    assert len(outbox) == 500 and {row.status for row in outbox} <= {"sent", "probably_sent"}
    assert not [row for row in outbox if row.method == "push"], "nothing may fall back to push"
