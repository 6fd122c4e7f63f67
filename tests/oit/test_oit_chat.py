"""OIT links by chat, end to end through the signed webhook and the LINE stand-in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import base_event, text_event
from models.oit import Submission

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
SITE = "https://www.bangrachan-sao.go.th"


@pytest.fixture
def say(runner, post_events, worker, fake_line):
    """Send one text as a user in a chat; returns the messages the bot sent for it."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"]).exit_code == 0

    def send(text, group_id=LOCAL, user_id="Uadmin01", event=None, **kw):
        before = len(fake_line.state.sent)
        post_events(event or text_event(text, group_id=group_id, user_id=user_id, **kw))
        worker.run_once()
        return [m for r in fake_line.state.sent[before:] for m in r["messages"]]

    return send


def text_of(messages):
    return "\n".join(m.get("text") or m.get("altText") for m in messages)


def current(db, agency_code="L004"):
    from models.registry import Agency

    with db.session() as session:
        rows = session.execute(
            select(Submission.item_code, Submission.urls, Submission.review)
            .join(Agency, Agency.id == Submission.agency_id)
            .where(Agency.code == agency_code, Submission.state == "current")
        ).all()
        return {code: (urls, review) for code, urls, review in rows}


def test_a_message_of_links_records_the_good_lines_and_explains_the_bad(say, db):
    reply = text_of(
        say(
            "เรียนจังหวัด ส่ง OIT ค่ะ\n"
            f"O1 {SITE}/structure\n"
            f"o.2 {SITE}/executives ค่ะ\n"
            f"O๓ {SITE}/contact\n"
            "O4 http://192.168.1.10/news\n"
            f"O99 {SITE}/x\n"
            "O5 https://drive.google.com/file/d/abc"
        )
    )
    assert "บันทึก O1, O2, O3, O5" in reply and "เหลืออีก 22 ข้อ" in reply
    assert "บรรทัด 5 (O4)" in reply and "ไม่ใช่เลข IP" in reply
    assert "ไม่มีข้อ O99" in reply
    assert "Google Drive" in reply
    assert set(current(db)) == {"O1", "O2", "O3", "O5"}


def test_chatter_with_links_from_a_non_admin_is_not_a_submission(say, db):
    assert say(f"ดูนี่ครับ O1 {SITE}/a", user_id="Ustranger") == []
    assert current(db) == {}


def test_superseded_withdrawn_unsent_and_edited(say, db):
    say(f"O6 {SITE}/plan-old")
    say(f"O6 {SITE}/plan-new")
    assert current(db)["O6"][0] == f'["{SITE}/plan-new"]'
    with db.session() as session:
        assert session.scalar(select(Submission).where(Submission.state == "superseded"))
    assert "ถอนลิงก์ O6" in text_of(say("ยกเลิก O6"))
    assert "O6" not in current(db)
    sent = text_event(f"O7 {SITE}/a", group_id=LOCAL, user_id="Uadmin01")
    say("", event=sent)
    assert "O7" in current(db)
    edited = dict(
        sent, type="messageEdited", webhookEventId="edit-1", timestamp=sent["timestamp"] + 5000
    )
    edited["message"] = dict(sent["message"], text=f"O8 {SITE}/b")
    assert "อ่านข้อความที่แก้ไขแล้ว" in text_of(say("", event=edited))
    assert set(current(db)) == {"O8"}
    late = dict(edited, webhookEventId="edit-0", timestamp=sent["timestamp"] + 1000)
    late["message"] = dict(sent["message"], text=f"O9 {SITE}/c")
    say("", event=late)
    assert set(current(db)) == {"O8"}, "an older edit arriving late changes nothing"
    say(
        "",
        event=base_event(
            "unsend",
            group_id=LOCAL,
            user_id="Uadmin01",
            unsend={"messageId": sent["message"]["id"]},
        ),
    )
    assert current(db) == {}


def test_register_submit_review_status(say, db, fake_line):
    fake_line.state.set_profile("Uadmin09", "สมศรี")
    request = re.search(r"อนุมัติ (\d+)", text_of(say("ลงทะเบียน L001", user_id="Uadmin09")))
    assert "อนุมัติแล้ว" in text_of(say(request.group(0), COORDS, COORDINATOR))
    say(
        "O1 https://www.singburi-pao.go.th/a\nO2 https://www.singburi-pao.go.th/b",
        user_id="Uadmin09",
    )
    refused = text_of(say("ตรวจ L001 O1 ผ่าน", user_id="Uadmin09"))
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in refused
    assert "O1 ผ่าน" in text_of(say("ตรวจ L001 O1 ผ่าน", COORDS, COORDINATOR))
    assert "O2 ต้องแก้ไข: ไม่มีปีงบประมาณ" in text_of(
        say("ตรวจ L001 O2 แก้ไข ไม่มีปีงบประมาณ", COORDS, COORDINATOR)
    )
    card = say("สถานะ", user_id="Uadmin09")
    assert card[0]["type"] == "flex"
    assert "ส่งแล้ว 2 ข้อ ยังไม่ส่ง 24 ข้อ" in card[0]["altText"]
    assert "O2 ต้องแก้ไข: ไม่มีปีงบประมาณ" in text_of(card[1:])
    assert "ต้องแก้ไข" not in text_of(say("สถานะ", user_id="Uadmin09")[1:]), "told once"
    resent = text_of(say("O2 https://www.singburi-pao.go.th/b2", user_id="Uadmin09"))
    assert "บันทึก O2" in resent
    assert current(db, "L001")["O2"][1] == "pending", "a fixed item goes back to the review queue"
    assert "L001" in text_of(say("รอตรวจ", COORDS, COORDINATOR))


def test_admin_of_several_agencies_is_asked_with_quick_replies(say, runner, db):
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L005"]).exit_code == 0
    [message] = say(f"เรียนจังหวัด O1 {SITE}/a")
    assert "หลายหน่วยงาน" in message["text"]
    choices = {i["action"]["label"]: i["action"]["text"] for i in message["quickReply"]["items"]}
    assert all(len(label) <= 20 for label in choices)
    [resend] = [t for t in choices.values() if t.startswith("ส่ง L004 ")]
    assert "บันทึก O1" in text_of(say(resend))
    assert set(current(db)) == {"O1"} and current(db, "L005") == {}
    refused = text_of(say(f"ส่ง L001 O2 {SITE}/b"))
    assert "ไม่ได้เป็นแอดมินขององค์การบริหารส่วนจังหวัดสิงห์บุรี" in refused


def test_a_pending_admin_is_told_the_links_wait_for_confirmation(say, db):
    say("ลงทะเบียน L006", user_id="Unew")
    assert "ยังรอผู้ประสานงานจังหวัดยืนยัน" in text_of(say(f"O1 {SITE}/a", user_id="Unew"))
    assert current(db, "L006") == {}
