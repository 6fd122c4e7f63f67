"""Numbers typed in chat: ASCII and Thai digits only, in range; anything else gets the usage."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import base_event, text_event
from models.numbers import parse_decimal, parse_int

COORDS = chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
HUGE = "9" * 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("๑๒", 12), (" 7 ", 7), ("²", None), ("١٢", None), ("1.5", None),
     ("-3", None), ("", None), (HUGE, None), ("0", 0)],
)  # fmt: skip
def test_parse_int(text, expected):
    assert parse_int(text) == expected


def test_ranges_and_decimals():
    assert parse_int("31", 0, 30) is None and parse_int("๓๐", 0, 30) == 30
    assert parse_decimal("๘๕.๕", 0, 100) == 85.5 and parse_decimal("85,5", 0, 100) is None
    assert parse_decimal("101", 0, 100) is None and parse_decimal("²", 0, 100) is None


@given(st.text(max_size=30))
def test_parse_int_never_raises_and_is_in_range(text):
    number = parse_int(text, 1, 1000)
    assert number is None or 1 <= number <= 1000


@pytest.fixture
def say(runner, post_events, worker, fake_line):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    def send(text=None, event=None):
        before = len(fake_line.state.sent)
        post_events(event or text_event(text, group_id=COORDS, user_id=COORDINATOR))
        worker.run_once()
        return "\n".join(m.get("text", "") for r in fake_line.state.sent[before:]
                         for m in r["messages"])  # fmt: skip

    return send


@pytest.mark.parametrize(
    "text",
    ["อนุมัติ ²", f"อนุมัติ {HUGE}", "ปฏิเสธ ²", "วันแจ้งเตือน ² 3", f"ตอบ #{HUGE} ได้ค่ะ",
     f"เพิ่มคำถาม #{HUGE}", f"ตรวจ #{HUGE} ผ่าน", "ตรวจ #² ผ่าน",
     f"เลื่อนกำหนด ระยะ {HUGE} 15/3/2570", "เลื่อนกำหนด ระยะ ² 15/3/2570"],
)  # fmt: skip
def test_unusual_digits_get_a_thai_answer_not_a_crash(say, db, text):
    from sqlalchemy import select

    from models.queues import InboxEvent

    answer = say(text)
    assert answer, f"no answer to {text!r}"
    with db.session() as session:
        assert {row.status for row in session.scalars(select(InboxEvent))} == {"done"}


def test_reminder_days_with_an_odd_digit_change_nothing(say):
    assert "วิธีใช้" in say("วันแจ้งเตือน ² 3")
    assert "ตอนนี้แจ้งเตือนก่อนกำหนด 7,3,1,0" in say("วันแจ้งเตือน")
    assert "๓" not in say("วันแจ้งเตือน ๓ ๑") and "3,1 วัน" in say("วันแจ้งเตือน")


def test_a_review_postback_with_odd_digits_is_answered(say, db):
    event = base_event("postback", group_id=COORDS, user_id=COORDINATOR,
                       postback={"data": "review|²|approved"})  # fmt: skip
    assert "ปุ่มนี้ใช้ไม่ได้แล้ว" in say(event=event)
    event = base_event("postback", group_id=COORDS, user_id=COORDINATOR,
                       postback={"data": f"review|{HUGE}|approved"})  # fmt: skip
    assert "ปุ่มนี้ใช้ไม่ได้แล้ว" in say(event=event)


def test_the_fix_button_opens_the_keyboard_and_gets_no_reply(say):
    event = base_event("postback", group_id=COORDS, user_id=COORDINATOR,
                       postback={"data": "review|7|fix"})  # fmt: skip
    assert say(event=event) == ""
