"""Property: any sequence of events leaves nothing pending after one `worker --once`, and
everything the bot sends is within LINE's limits (the stand-in refuses what LINE refuses)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import BOT_USER_ID, base_event, postback_event, text_event
from models.queues import InboxEvent, OutboxMessage

COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
ADMIN = "U" + "a" * 32
GROUP_IDS = [chat_ids(GROUPS[kind], "")[0] for kind in GROUPS] + ["Cunknown", None]
USERS = [COORDINATOR, ADMIN, "U" + "b" * 32, None]
SITE = "https://www.bangrachan-sao.go.th"
COMMANDS = [
    "ช่วยเหลือ", "สถานะ", "สถานะ L004", "สรุป", "รอตรวจ", "กำหนดการ", "ฉันคือใคร", "คำถามค้าง",
    "ลงทะเบียน อบต.บางระจัน", "ลงทะเบียน L00", "อนุมัติ", "อนุมัติ ๑", "อนุมัติ ²", "ปฏิเสธ 99",
    f"O1 {SITE}/o1", f"ส่ง L004 O2 {SITE}/o2\nO3 {SITE}/o3", "ยกเลิก O1", "ตรวจ L004",
    "ตรวจ L004 O1 ผ่าน", "ตรวจ #1 แก้ไข ลิงก์ผิด", "IIT 13/20 EIT ๕/๙๐", "คะแนน L004 IIT 90",
    "ถาม OIT มีกี่ข้อ", "ถาม", "ตอบ #1 ได้", "เพิ่มคำถาม #1", "วันแจ้งเตือน 7 ๓ 1",
    "เลื่อนกำหนด ระยะ ๒ 15/3/2570", "ตั้งค่ากลุ่ม ท้องถิ่น สิงห์บุรี", "ยืนยันลงทะเบียน",
    "ลิงก์มีปัญหา", "😀" * 40, "รับทราบค่ะ",
]  # fmt: skip
NOISE = st.text(
    st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs", "Cc"]), max_size=300
)


@st.composite
def texts(draw) -> str:
    head = draw(st.sampled_from(COMMANDS))
    tail = draw(st.one_of(st.just(""), NOISE, st.sampled_from(["\x00", "\u200b", "๑๒", "²"])))
    return head + (" " + tail if tail else "")


@st.composite
def events(draw) -> dict:
    group_id, user_id = draw(st.sampled_from(GROUP_IDS)), draw(st.sampled_from(USERS))
    if group_id is None and user_id is None:
        user_id = ADMIN
    kind = draw(st.sampled_from(
        ["text", "text", "text", "mention", "postback", "follow", "unfollow", "join", "leave",
         "memberJoined", "memberLeft", "unsend", "messageEdited", "videoPlayComplete"]
    ))  # fmt: skip
    where = {"group_id": group_id, "user_id": user_id}
    if kind in {"text", "mention"}:
        event = text_event(draw(texts()), mention_self=kind == "mention", **where)
        if draw(st.booleans()):  # mentions out of range, or of other people
            event["message"]["mention"] = {"mentionees": [
                {"index": draw(st.integers(-5, 400)), "length": draw(st.integers(-2, 50)),
                 "type": "user", "userId": draw(st.sampled_from([BOT_USER_ID, ADMIN]))}
            ]}  # fmt: skip
        return event
    if kind == "postback":
        data = draw(st.sampled_from(["review|1|approved", "review|²|approved", "review|x", "?"]))
        return postback_event(data, **where)
    if kind == "messageEdited":
        return base_event(kind, message={"type": "text", "id": "1", "text": draw(texts())}, **where)
    if kind == "unsend":
        return base_event(kind, unsend={"messageId": draw(st.sampled_from(["1", "2", "x"]))},
                          **where)  # fmt: skip
    if kind in {"memberJoined", "memberLeft"}:
        key = "joined" if kind == "memberJoined" else "left"
        return base_event(kind, **{key: {"members": [{"type": "user", "userId": ADMIN}]}},
                          **where)  # fmt: skip
    return base_event(kind, **where)


@pytest.fixture
def seeded(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", ADMIN, "L004"]).exit_code == 0


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(events(), min_size=1, max_size=6))
def test_any_events_leave_nothing_pending_and_only_what_line_accepts(
    seeded, post_events, worker, db, batch
):
    assert post_events(*batch).status_code == 200
    worker.run_once()  # raises if the worker's loop would have
    with db.session() as session:
        pending = session.scalars(
            select(InboxEvent).where(InboxEvent.status != "done", InboxEvent.status != "ignored")
        ).all()
        refused = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        assert [(e.event_type, e.status, e.error) for e in pending] == []
        assert [(o.id, o.last_error) for o in refused] == []
