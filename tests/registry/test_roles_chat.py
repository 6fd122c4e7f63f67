"""Registration, group setup and role checks by chat, end to end through the signed webhook."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import base_event, text_event
from models.registry import RoleGrant
from models.year.calendar import thai_date

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]


@pytest.fixture
def say(runner, post_events, worker, fake_line):
    """Send one text as a user in a chat; returns the texts the bot sent for it."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    def send(text, group_id=LOCAL, user_id="Uadmin01", **kw):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id, **kw))
        worker.run_once()
        return [(r["to"], m) for r in fake_line.state.sent[before:] for m in r["messages"]]

    return send


def texts(sent):
    return [m["text"] for _, m in sent]


def test_registration_is_confirmed_by_a_coordinator(say, fake_line, db):
    fake_line.state.set_profile("Uadmin01", "สมชาย ใจดี")
    sent = say("ลงทะเบียน อบต.บางระจัน")
    replies = [m["text"] for to, m in sent if to is None]
    notices = [m for to, m in sent if to == COORDS]
    assert "รอผู้ประสานงานจังหวัดยืนยัน" in replies[0]
    assert len(notices) == 1 and "องค์การบริหารส่วนตำบลบางระจัน" in notices[0]["text"]
    labels = [i["action"]["label"] for i in notices[0]["quickReply"]["items"]]
    assert all(len(label) <= 20 for label in labels)
    request_id = notices[0]["quickReply"]["items"][0]["action"]["text"].split()[-1]
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in texts(say(f"อนุมัติ {request_id}", COORDS, "Urandom"))[0]
    assert "อนุมัติแล้ว" in texts(say(f"อนุมัติ {request_id}", COORDS, COORDINATOR))[0]
    who = texts(say("ฉันคือใคร"))[0]
    assert "แอดมินหน่วยงาน — องค์การบริหารส่วนตำบลบางระจัน" in who and "รอ" not in who
    with db.session() as session:
        assert session.scalars(
            select(RoleGrant.status).where(RoleGrant.agency_id.is_not(None))
        ).all() == ["active"]


def test_ambiguous_registration_offers_quick_replies(say):
    [(_, message)] = say("ลงทะเบียน บางระจัน")
    labels = [i["action"]["label"] for i in message["quickReply"]["items"]]
    assert "อบต.บางระจัน" in labels and "ทต.บางระจัน" in labels


@pytest.mark.parametrize(
    "command",
    [
        "ตั้งค่ากลุ่ม ท้องถิ่น สิงห์บุรี",
        "อนุมัติ 1",
        "ปฏิเสธ 1",
        "เลื่อนกำหนด ระยะ 2 15/3/2570",
        "เพิ่มผู้ประสานงาน @x",
        "ยกเลิกแอดมิน @x L004",
        "ย้ายแอดมิน @x L004 L003",
        "ยืนยันลงทะเบียน ปิด",
    ],
)
def test_protected_commands_refuse_a_non_coordinator_politely(say, command):
    [text] = texts(say(command, user_id="Uofficer"))
    assert "สำหรับผู้ประสานงานจังหวัดเท่านั้น" in text


def test_group_setup_changes_kind_only_after_confirmation(say, db):
    group = "Cnewgroup"
    assert "ตั้งค่าเรียบร้อย" in texts(say("ตั้งค่ากลุ่ม ท้องถิ่น สิงห์บุรี", group, COORDINATOR))[0]
    [(_, ask)] = say("ตั้งค่ากลุ่ม ภูมิภาค สิงห์บุรี", group, COORDINATOR)
    assert "ใช่ไหม" in ask["text"]
    confirm = ask["quickReply"]["items"][0]["action"]["text"]
    assert "หน่วยงานส่วนภูมิภาค" in texts(say(confirm, group, COORDINATOR))[0]


def test_calendar_in_thai_dates_and_deadline_move(say):
    calendar = texts(say("กำหนดการ"))[0]
    assert "ระยะที่" in calendar and "25" in calendar  # Buddhist-Era years
    later = thai_date(dt.date.today() + dt.timedelta(days=400))
    moved = texts(say(f"เลื่อนกำหนด ระยะ 3 {later}", COORDS, COORDINATOR))[0]
    assert f"เป็น {later}" in moved
    assert "ย้อนหลัง" in texts(say("เลื่อนกำหนด ระยะ 3 1/1/2560", COORDS, COORDINATOR))[0]
    assert "อ่านวันที่" in texts(say("เลื่อนกำหนด ระยะ 3 พรุ่งนี้", COORDS, COORDINATOR))[0]


def test_departing_admin_is_flagged_to_coordinators(say, runner, post_events, worker, fake_line):
    runner.invoke(args=["agencies", "bind-user", "Uleaving", "L004"])
    before = len(fake_line.state.sent)
    post_events(
        base_event(
            "memberLeft",
            group_id=LOCAL,
            user_id=None,
            left={"members": [{"type": "user", "userId": "Uleaving"}]},
        )
    )
    worker.run_once()
    [record] = fake_line.state.sent[before:]
    assert record["to"] == COORDS and "L004" in record["messages"][0]["text"]


def test_province_can_turn_registration_confirmation_off(say):
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in texts(say("ยืนยันลงทะเบียน ปิด"))[0]
    assert "ทันที" in texts(say("ยืนยันลงทะเบียน ปิด", COORDS, COORDINATOR))[0]
    reply = texts(say("ลงทะเบียน อบต.บางระจัน"))[0]
    assert reply.startswith("ลงทะเบียนแล้ว") and "แอดมินขององค์การบริหารส่วนตำบลบางระจัน" in reply
    assert "ต้องให้ผู้ประสานงานอนุมัติ" in texts(say("ยืนยันลงทะเบียน เปิด", COORDS, COORDINATOR))[0]
    assert "รอผู้ประสานงาน" in texts(say("ลงทะเบียน L001", user_id="Uadmin02"))[0]
