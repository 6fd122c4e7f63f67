"""Pushes a person's messages trigger are rationed per person and per province, and the rest
are announced once a day: a stranger cannot spend the month's messages."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from bot.dev.chat import chat_ids
from bot.dev.demo import GROUPS
from bot.dev.eventfactory import text_event
from models.base import DATA_DIR, utcnow
from models.notices.delivery import send_digests
from models.notices.limits import day_start
from models.registry import RoleGrant

COORDS = chat_ids(GROUPS["coordinators"], "")[0]
DEMO = DATA_DIR / "demo" / "agencies.csv"
CODES = [row["code"] for row in csv.DictReader(DEMO.read_text(encoding="utf-8").splitlines())]
STRANGER = "U" + "4" * 32


@pytest.fixture
def seeded(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0


def pushes_to_coordinators(fake_line) -> list[str]:
    return [
        m["text"]
        for r in fake_line.state.sent
        if r["kind"] == "push" and r["to"] == COORDS
        for m in r["messages"]
    ]


def send(post_events, worker, *events):
    post_events(*events)
    worker.run_once()


def test_a_strangers_forty_requests_cost_three_pushes_and_one_digest(
    seeded, post_events, worker, fake_line, db
):
    events = [text_event(f"ลงทะเบียน {code}", user_id=STRANGER) for code in CODES]
    for start in range(0, len(events), 10):
        send(post_events, worker, *events[start : start + 10])
    assert len(CODES) == 40
    assert len(pushes_to_coordinators(fake_line)) == 3
    replies = [
        m["text"] for r in fake_line.state.sent if r["kind"] == "reply" for m in r["messages"]
    ]
    assert sum("รายการรอ" in text for text in replies) == 37  # each of them is told it waits
    with db.session() as session:  # every request is still in the registration queue
        pending = session.scalar(
            select(func.count()).select_from(RoleGrant).where(RoleGrant.status == "pending")
        )
    assert pending == 40
    with db.session() as session:
        assert send_digests(session, utcnow()) == 1
    with db.session() as session:  # said once: a second run adds nothing
        assert send_digests(session, utcnow()) == 0
    worker.run_once()
    digest = pushes_to_coordinators(fake_line)[-1]
    assert "มีคำขอรอ 40 รายการ" in digest and "อนุมัติ" in digest
    assert len(pushes_to_coordinators(fake_line)) == 4


def test_the_province_limit_holds_across_people_and_the_next_day_starts_afresh(
    seeded, app, post_events, worker, fake_line
):
    app.config["PROVINCE_NOTICES_PER_DAY"] = 5
    people = [f"U{i:032d}" for i in range(8)]
    for person, code in zip(people, CODES, strict=False):
        send(post_events, worker, text_event(f"ลงทะเบียน {code}", user_id=person))
    assert len(pushes_to_coordinators(fake_line)) == 5
    with time_machine.travel(day_start(utcnow()) + timedelta(days=1, hours=2), tick=False):
        send(post_events, worker, text_event(f"ลงทะเบียน {CODES[20]}", user_id="U" + "3" * 32))
    assert len(pushes_to_coordinators(fake_line)) == 6


def test_forwarded_questions_count_against_the_same_limits(
    seeded, app, post_events, worker, fake_line, db
):
    local = chat_ids(GROUPS["local"], "")[0]
    questions = [
        "ถาม ห้องประชุมชั้นสามจองได้ที่ใคร",
        "ถาม รถตู้ของสำนักงานว่างวันไหน",
        "ถาม ร้านกาแฟหน้าศาลากลางเปิดกี่โมง",
        "ถาม งานกีฬาสีปีนี้สีอะไร",
    ]
    for text in questions:
        send(post_events, worker, text_event(text, group_id=local, user_id=STRANGER))
    assert len(pushes_to_coordinators(fake_line)) == 3
    last_reply = [r for r in fake_line.state.sent if r["kind"] == "reply"][-1]
    assert "เก็บไว้ให้ผู้ประสานงานจังหวัดตอบแล้ว" in last_reply["messages"][0]["text"]
    with db.session() as session:
        assert send_digests(session, utcnow()) == 1
    worker.run_once()
    assert "คำถามที่บอทตอบไม่ได้ 4 ข้อ" in pushes_to_coordinators(fake_line)[-1]
