"""LINE's two 429s and replies it never confirmed: nothing is lost, nothing is posted twice."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import GROUPS
from bot.dev.eventfactory import now_ms, text_event
from models.base import utcnow
from models.notices import HeldNotice
from models.queues import OutboxMessage
from models.queues.outbox import enqueue_push

RATE = "The API rate limit has been exceeded. Try again later."
MONTHLY = "You have reached your monthly limit."
COORDS = chat_ids(GROUPS["coordinators"], "")[0]


def rows(db) -> list[OutboxMessage]:
    with db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def pushes(fake_line) -> int:
    return sum(1 for method, path in fake_line.state.requests if path.endswith("/message/push"))


def queue(db, to="Cg1", text="แจ้งเตือน"):
    with db.session() as session:
        enqueue_push(session, to, [{"type": "text", "text": text}])


def test_rate_limit_is_retried_after_retry_after_with_the_same_key(app, worker, fake_line, db):
    queue(db)
    fake_line.state.fail_next("push", status=429, message=RATE, retry_after=30)
    worker.sender.send_due()
    [row] = rows(db)
    assert (row.status, row.push_attempts) == ("pending", 1)
    assert row.next_attempt_at >= utcnow() + timedelta(seconds=25)
    with time_machine.travel(utcnow() + timedelta(seconds=10), tick=False):
        assert worker.sender.send_due() == 0  # LINE asked for 30 s
    with time_machine.travel(utcnow() + timedelta(seconds=31), tick=False):
        worker.sender.send_due()
    [row] = rows(db)
    assert row.status == "sent"
    assert [r["retry_key"] for r in fake_line.state.sent] == [row.retry_key]


def test_monthly_limit_stops_pushes_holds_them_and_tells_coordinators_once(
    runner, worker, fake_line, db, post_events
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    local = chat_ids(GROUPS["local"], "")[0]
    queue(db, local, "แจ้งเตือนที่หนึ่ง")
    queue(db, local, "แจ้งเตือนที่สอง")
    fake_line.state.fail_next("push", status=429, message=MONTHLY)
    worker.sender.send_due()
    assert pushes(fake_line) == 1  # the second was never tried: the month is over
    assert [r.status for r in rows(db)] == ["held", "held"]
    with db.session() as session:
        held = {h.group_id: h.text for h in session.scalars(select(HeldNotice))}
    assert "โควตาข้อความ LINE" in held[COORDS]
    # the next reply in each group carries what was held, for free
    post_events(text_event("ช่วยเหลือ", group_id=local), text_event("ช่วยเหลือ", group_id=COORDS))
    worker.run_once()
    texts = ["\n".join(m.get("text", "") for m in r["messages"]) for r in fake_line.state.sent]
    assert any("แจ้งเตือนที่หนึ่ง" in t and "แจ้งเตือนที่สอง" in t for t in texts)
    assert sum("โควตาข้อความ LINE" in t for t in texts) == 1
    assert pushes(fake_line) == 1  # the held news went out in replies, not pushes
    # a new month: pushes go out again
    queue(db, local, "เดือนใหม่")
    with time_machine.travel(utcnow() + timedelta(days=32), tick=False):
        worker.sender.send_due()
    assert fake_line.state.sent[-1]["kind"] == "push"


def test_an_unconfirmed_group_reply_rides_on_the_next_reply_never_a_group_push(
    post_events, worker, fake_line, db
):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1"))
    fake_line.state.fail_next("reply", status=503, times=3)
    worker.process_due()
    for seconds in (2, 5):
        with time_machine.travel(utcnow() + timedelta(seconds=seconds), tick=False):
            worker.sender.send_due()
    assert [r.status for r in rows(db)] == ["held"]
    assert pushes(fake_line) == 0
    post_events(text_event("กำหนดการ", group_id="Cg1"))
    worker.run_once()
    [reply] = fake_line.state.sent
    assert reply["kind"] == "reply" and "ข่าวจากบอท" in reply["messages"][-1]["text"]


def test_an_unconfirmed_one_to_one_reply_becomes_a_keyed_push(post_events, worker, fake_line, db):
    post_events(text_event("ช่วยเหลือ", user_id="U" + "1" * 32))
    fake_line.state.fail_next("reply", status=0, delay=2.5)  # LINE never answers in time
    worker.process_due()
    with time_machine.travel(utcnow() + timedelta(seconds=70), tick=False):
        worker.sender.send_due()
    [row] = rows(db)
    assert (row.status, row.method, row.recipients) == ("sent", "push", 1)
    assert fake_line.state.sent[-1]["retry_key"] == row.retry_key


def test_expired_before_any_attempt_still_pushes_as_before(post_events, worker, fake_line, db):
    post_events(text_event("ช่วยเหลือ", group_id="Cg1", timestamp=now_ms() - 70_000))
    worker.run_once()
    assert fake_line.state.sent[0]["kind"] == "push"
