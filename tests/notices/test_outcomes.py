"""Everyone learns the outcome of what they asked (issue 13 item 6): one-to-one when they are a
friend of the bot (within a daily limit per person), else in the next reply in their group."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import base_event
from models.queues import OutboxMessage
from models.registry import Group

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
REGIONAL = chat_ids(GROUPS["regional"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
SITE = "https://www.bangrachan-sao.go.th"


@pytest.fixture
def say(demo_chat):
    """Send one text as a user in a chat; returns (to, message) for what the bot sent for it."""
    return demo_chat


@pytest.fixture
def befriend(post_events, worker, fake_line):
    def follow(user_id):
        fake_line.state.set_friend(user_id, True)  # the event skips the stand-in: tell it
        post_events(base_event("follow", user_id=user_id, follow={"isUnblocked": False}))
        worker.run_once()

    return follow


def to(sent, chat) -> list[str]:
    return [m.get("text") or m.get("altText") for where, m in sent if where == chat]


def pushes_to(fake_line, user_id) -> list[str]:
    return [
        m["text"]
        for r in fake_line.state.sent
        if r["kind"] == "push" and r["to"] == user_id
        for m in r["messages"]
    ]


def request(say, user, agency, group=LOCAL) -> int:
    return int(re.search(r"อนุมัติ (\d+)", str(say(f"ลงทะเบียน {agency}", group, user))).group(1))


def test_an_approved_friend_is_told_one_to_one_at_the_cost_of_one_message(
    say, befriend, fake_line, db
):
    befriend("Uadmin09")
    number = request(say, "Uadmin09", "L001")
    sent = say(f"อนุมัติ {number}", COORDS, COORDINATOR)
    [told] = to(sent, "Uadmin09")
    assert "อนุมัติ" in told and "องค์การบริหารส่วนจังหวัดสิงห์บุรี" in told
    assert "ส่งลิงก์" in told and "O1 https://" in told
    with db.session() as session:
        row = session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.to == "Uadmin09", OutboxMessage.method == "push"
            )
        )
        assert row.recipients == 1 and row.status == "sent"
    assert "ข่าวจากบอท" not in str(say("กำหนดการ", LOCAL, "Uother"))


def test_a_rejected_stranger_hears_it_in_the_next_reply_of_the_agencys_group(say, fake_line):
    number = request(say, "Uadmin09", "R001", LOCAL)
    say(f"ปฏิเสธ {number} ซ้ำกับคำขอเดิม", COORDS, COORDINATOR)
    assert pushes_to(fake_line, "Uadmin09") == []
    assert "ซ้ำกับคำขอเดิม" not in str(say("กำหนดการ", LOCAL, "Uother"))
    regional = "\n".join(to(say("กำหนดการ", REGIONAL, "Uother"), None))
    assert "ข่าวจากบอท" in regional and "ไม่ได้รับอนุมัติ" in regional
    assert "ซ้ำกับคำขอเดิม" in regional and "สำนักงานจังหวัดสิงห์บุรี" in regional


def test_a_fix_request_is_told_once_in_the_group_with_what_to_do(say, fake_line):
    say(f"O5 {SITE}/plan")
    say("ตรวจ L004 O5 แก้ไข ไม่มีวันที่", COORDS, COORDINATOR)
    assert pushes_to(fake_line, "Uadmin01") == []
    status = "\n".join(to(say("สถานะ", LOCAL, "Uadmin01"), None))
    assert status.count("ไม่มีวันที่") == 1, "held news and the status' own news must not repeat"
    assert "แก้แล้วส่ง O5 <ลิงก์ใหม่>" in status
    assert "ไม่มีวันที่" not in "\n".join(to(say("สถานะ", LOCAL, "Uadmin01"), None))


def test_a_friend_admin_is_told_by_push_within_the_daily_limit(say, befriend, fake_line):
    befriend("Uadmin01")
    say("\n".join(f"O{n} {SITE}/o{n}" for n in range(1, 6)))
    say("ตรวจ L004 O1-O2 ผ่าน", COORDS, COORDINATOR)
    [both] = pushes_to(fake_line, "Uadmin01")
    assert "O1 ผ่าน" in both and "O2 ผ่าน" in both
    for code in ("O3", "O4"):
        say(f"ตรวจ L004 {code} ผ่าน", COORDS, COORDINATOR)
    assert len(pushes_to(fake_line, "Uadmin01")) == 3
    say("ตรวจ L004 O5 แก้ไข ลิงก์ผิดหน้า", COORDS, COORDINATOR)  # the fourth of the day
    assert len(pushes_to(fake_line, "Uadmin01")) == 3
    news = "\n".join(to(say("กำหนดการ", LOCAL, "Uother"), None))
    assert "ลิงก์ผิดหน้า" in news and "แก้แล้วส่ง O5" in news


def test_the_coordinator_is_told_when_the_requester_cannot_be_reached(say, db):
    number = request(say, "Uadmin09", "R001", LOCAL)
    with db.session() as session:  # the regional group left: no group to hold the news for
        group = session.scalar(select(Group).where(Group.line_group_id == REGIONAL))
        group.active = False
    answer = "\n".join(to(say(f"อนุมัติ {number}", COORDS, COORDINATOR), None))
    assert "โปรดแจ้งผู้ขอเอง" in answer
