"""New admins: the worker asks LINE whether they are friends of the bot after their
registration, and those who are not are given the add-friend link (reminders one-to-one cost
the province one message, a group roll-call the whole group). End to end through the signed
webhook and the stand-in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from sqlalchemy import select, update

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from models.base import utcnow
from models.registry import Person, Province

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
LINK = "https://line.me/R/ti/p/%40123abcd"


@pytest.fixture
def say(demo_chat, fake_line):
    fake_line.state.basic_id = "@123abcd"  # before the worker's first event: it asks once
    return demo_chat


def replies(sent) -> str:
    return "\n".join(m.get("text", "") for to, m in sent if to is None)


def is_friend(db, user_id):
    with db.session() as session:
        return session.scalar(select(Person.is_friend).where(Person.line_user_id == user_id))


def profile_checks(fake_line, user_id) -> int:
    return fake_line.state.requests.count(("GET", f"/v2/bot/profile/{user_id}"))


def no_confirmation(db):
    with db.session() as session:
        session.execute(update(Province).values(confirm_registrations=False))


def request(say, user, agency) -> int:
    return int(re.search(r"อนุมัติ (\d+)", str(say(f"ลงทะเบียน {agency}", LOCAL, user))).group(1))


def test_an_admin_who_never_followed_is_recorded_a_friend_after_registering(say, fake_line, db):
    fake_line.state.set_friend("Uadmin09", False)
    say("สวัสดีค่ะ", LOCAL, "Uadmin09")  # the name look-up: not a friend yet
    assert is_friend(db, "Uadmin09") is False
    fake_line.state.set_friend("Uadmin09", True)  # added the bot before it was deployed
    checks = profile_checks(fake_line, "Uadmin09")
    request(say, "Uadmin09", "L001")  # the name is fresh: only the worker's follow-up asks
    assert profile_checks(fake_line, "Uadmin09") == checks + 1
    assert is_friend(db, "Uadmin09") is True


def test_an_admin_line_does_not_know_as_a_friend_is_recorded_not_a_friend(say, fake_line, db):
    fake_line.state.set_friend("Uadmin09", True)
    say("สวัสดีค่ะ", LOCAL, "Uadmin09")
    assert is_friend(db, "Uadmin09") is True
    fake_line.state.set_friend("Uadmin09", False)
    number = request(say, "Uadmin09", "L001")
    assert is_friend(db, "Uadmin09") is False
    checks = profile_checks(fake_line, "Uadmin09")
    say(f"อนุมัติ {number}", COORDS, COORDINATOR)  # the approval asks again
    assert profile_checks(fake_line, "Uadmin09") == checks + 1


def test_a_confirmed_registration_asks_a_non_friend_to_add_the_bot(say, fake_line, db):
    no_confirmation(db)
    fake_line.state.set_friend("Uadmin09", False)
    text = replies(say("ลงทะเบียน L001", LOCAL, "Uadmin09"))
    assert "ลงทะเบียนแล้ว" in text and LINK in text
    assert "เพิ่มบอทเป็นเพื่อน" in text and "แชตส่วนตัว" in text
    fake_line.state.set_friend("Ufriend1", True)
    text = replies(say("ลงทะเบียน L002", LOCAL, "Ufriend1"))
    assert "ลงทะเบียนแล้ว" in text and LINK not in text and "เพิ่มบอทเป็นเพื่อน" not in text


def test_a_pending_registration_has_no_link_yet(say, fake_line):
    fake_line.state.set_friend("Uadmin09", False)
    text = replies(say("ลงทะเบียน L001", LOCAL, "Uadmin09"))
    assert "รอผู้ประสานงานจังหวัดยืนยัน" in text and LINK not in text


def test_an_approved_non_friend_reads_the_link_in_the_agencys_group(say, fake_line):
    fake_line.state.set_friend("Uadmin09", False)
    number = request(say, "Uadmin09", "L001")
    say(f"อนุมัติ {number}", COORDS, COORDINATOR)
    text = replies(say("กำหนดการ", LOCAL, "Uother"))
    assert "ได้รับอนุมัติแล้ว" in text and LINK in text


def test_an_approved_friend_is_told_one_to_one_without_the_link(say, fake_line):
    fake_line.state.set_friend("Uadmin09", True)
    number = request(say, "Uadmin09", "L001")
    say(f"อนุมัติ {number}", COORDS, COORDINATOR)
    [told] = [
        m["text"] for r in fake_line.state.sent if r["to"] == "Uadmin09" for m in r["messages"]
    ]
    assert "ได้รับอนุมัติแล้ว" in told and LINK not in told


def test_no_link_while_line_does_not_give_the_basic_id_then_asked_again(demo_chat, fake_line, db):
    no_confirmation(db)
    fake_line.state.set_friend("Uadmin09", False)
    fake_line.state.fail_next("info", status=500)
    start = utcnow().replace(tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        text = replies(demo_chat("ลงทะเบียน L001", LOCAL, "Uadmin09"))
        assert "ลงทะเบียนแล้ว" in text and "line.me/R/ti/p" not in text
    with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
        text = replies(demo_chat("ลงทะเบียน L002", LOCAL, "Uadmin09"))
        assert "ลงทะเบียนแล้ว" in text and "line.me/R/ti/p" not in text  # not asked again yet
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        text = replies(demo_chat("ลงทะเบียน L003", LOCAL, "Uadmin09"))
        assert "https://line.me/R/ti/p/%40itabot" in text
    assert fake_line.state.requests.count(("GET", "/v2/bot/info")) == 2


def test_the_summary_counts_admins_who_are_friends(say, fake_line, db):
    no_confirmation(db)
    fake_line.state.set_friend("Uadmin09", False)
    fake_line.state.set_friend("Ufriend1", True)
    say("ลงทะเบียน L001", LOCAL, "Uadmin09")
    say("ลงทะเบียน L002", LOCAL, "Ufriend1")
    say("ลงทะเบียน L003", LOCAL, "Uadmin09")  # two agencies, one person
    text = replies(say("สรุป", COORDS, COORDINATOR))
    # Uadmin01, bound to L004 by the CLI, never wrote: not known as a friend
    assert "แอดมินที่เพิ่มบอทเป็นเพื่อนแล้ว 1/3 คน" in text
