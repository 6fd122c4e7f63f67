"""Coordinator commands as people type them (issue 13 items 4, 5, 7, 8), end to end through
the signed webhook and the LINE stand-in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from models.oit.submissions import ToolScore
from models.registry import RoleGrant

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
REGIONAL = chat_ids(GROUPS["regional"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
SITE = "https://www.bangrachan-sao.go.th"


@pytest.fixture
def say(demo_chat):
    """Send one text as a user in a chat; returns (to, message) for what the bot sent for it."""
    return demo_chat


def reply_of(sent) -> str:
    return "\n".join(m.get("text") or m.get("altText") for to, m in sent if to is None)


def quick(sent) -> list[tuple[str, str]]:
    items = [i for to, m in sent if to is None for i in m.get("quickReply", {}).get("items", [])]
    return [(i["action"]["label"], i["action"]["text"]) for i in items]


def statuses(db) -> dict[int, str]:
    with db.session() as session:
        rows = session.execute(
            select(RoleGrant.id, RoleGrant.status).where(RoleGrant.agency_id.is_not(None))
        )
        return dict(rows.all())


def request(say, user, agency):
    found = re.search(r"อนุมัติ (\d+)", str(say(f"ลงทะเบียน {agency}", user_id=user)))
    return int(found.group(1))


# item 4 ---------------------------------------------------------------------------------------


def test_an_ambiguous_review_target_asks_which_agency(say):
    say(f"O4 {SITE}/o4")
    sent = say("ตรวจ บางระจัน O4 ผ่าน", COORDS, COORDINATOR)
    assert "ไม่พบหน่วยงาน" not in reply_of(sent)
    choices = dict(quick(sent))
    assert choices["อบต.บางระจัน"] == "ตรวจ L004 O4 ผ่าน"
    assert choices["ทต.บางระจัน"] == "ตรวจ L003 O4 ผ่าน"
    assert "O4 ผ่าน" in reply_of(say(choices["อบต.บางระจัน"], COORDS, COORDINATOR))
    reason = dict(quick(say("ตรวจ บางระจัน O4 แก้ไข ไม่มีวันที่", COORDS, COORDINATOR)))
    assert reason["อบต.บางระจัน"] == "ตรวจ L004 O4 แก้ไข ไม่มีวันที่"


def test_review_alone_gives_the_usage(say):
    reply = reply_of(say("ตรวจ", COORDS, COORDINATOR))
    assert "วิธีใช้" in reply and "ไม่พบหน่วยงาน" not in reply


# item 5 ---------------------------------------------------------------------------------------


def test_a_rejection_keeps_the_reason_typed_after_the_number(say, db):
    number = request(say, "Uadmin09", "L001")
    reply = reply_of(say(f"ปฏิเสธ {number} ซ้ำกับคำขอเดิม", COORDS, COORDINATOR))
    assert "ไม่อนุมัติ" in reply and "ซ้ำกับคำขอเดิม" in reply
    assert statuses(db)[number] == "revoked"
    from models.registry import AuditEntry

    with db.session() as session:
        detail = session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "role.reject"))
    assert "ซ้ำกับคำขอเดิม" in detail


def test_approve_all_lists_first_and_approves_only_what_was_listed_and_still_pending(say, db):
    first, second = request(say, "Uadmin09", "L001"), request(say, "Uadmin08", "L002")
    listed = say("อนุมัติ ทั้งหมด", COORDS, COORDINATOR)
    text = reply_of(listed)
    assert "2 รายการ" in text and f"#{first}" in text and f"#{second}" in text
    assert ("ยืนยันอนุมัติ 2", "อนุมัติ ทั้งหมด ยืนยัน") in quick(listed)
    assert statuses(db)[first] == statuses(db)[second] == "pending", "listing approves nothing"
    say(f"ปฏิเสธ {second}", COORDS, COORDINATOR)  # decided meanwhile
    late = request(say, "Uadmin07", "L003")  # arrived after the list: never approved blindly
    done = reply_of(say("อนุมัติ ทั้งหมด ยืนยัน", COORDS, COORDINATOR))
    assert "อนุมัติแล้ว 1 รายการ" in done
    after = statuses(db)
    assert (after[first], after[second], after[late]) == ("active", "revoked", "pending")


def test_approve_all_confirmed_without_a_list_only_lists(say, db):
    number = request(say, "Uadmin09", "L001")
    text = reply_of(say("อนุมัติ ทั้งหมด ยืนยัน", COORDS, COORDINATOR))
    assert "1 รายการ" in text and "อนุมัติ ทั้งหมด ยืนยัน" in text
    assert statuses(db)[number] == "pending"


def test_scores_without_an_agency_answer_with_their_own_usage(say):
    reply = reply_of(say("คะแนน IIT 90", COORDS, COORDINATOR))
    assert "คะแนน <" in reply and "สถานะ" not in reply


def test_scores_in_thai_digits_and_odd_digits_refused(say, db):
    reply = reply_of(say("คะแนน L004 IIT ๘๕.๕", COORDS, COORDINATOR))
    assert "IIT 85.5" in reply
    with db.session() as session:
        assert session.scalar(select(ToolScore.score).where(ToolScore.tool == "IIT")) == 85.5
    refused = reply_of(say("คะแนน L004 EIT 9²", COORDS, COORDINATOR))
    assert "ยังไม่ได้บันทึก" in refused and "EIT 9²" in refused
    with db.session() as session:
        assert session.scalar(select(ToolScore.score).where(ToolScore.tool == "EIT")) is None


# item 7 ---------------------------------------------------------------------------------------


def test_a_respondent_count_in_scores_is_refused_with_the_right_form(say, db):
    reply = reply_of(say("คะแนน L004 IIT 13/20 EIT 45/100", COORDS, COORDINATOR))
    assert "ยังไม่ได้บันทึก" in reply
    assert "IIT 13/20" in reply and "จำนวนผู้ตอบ" in reply and "คะแนน L004 IIT" in reply
    with db.session() as session:
        assert session.scalars(select(ToolScore)).all() == []


def test_scores_echo_what_was_stored_and_the_new_total(say):
    say(f"O1 {SITE}/a")
    say("ตรวจ L004 O1 ผ่าน", COORDS, COORDINATOR)
    first = reply_of(say("คะแนน L004 IIT 92.5 EIT 88", COORDS, COORDINATOR))
    assert "IIT 92.5" in first and "EIT 88" in first and "เต็ม 100" in first
    assert "คะแนนรวมจำลอง" in first and "ประมาณการ" in first
    total = float(re.search(r"คะแนนรวมจำลอง (?:[\d.]+ → )?([\d.]+)", first).group(1))
    second = reply_of(say("คะแนน L004 IIT 50", COORDS, COORDINATOR))
    assert "IIT 92.5 → 50" in second
    assert re.search(rf"คะแนนรวมจำลอง {total:.2f} → [\d.]+", second)


# item 8 ---------------------------------------------------------------------------------------


def test_registration_from_the_other_kinds_group_says_where_reminders_go(say):
    regional = reply_of(say("ลงทะเบียน R001", LOCAL, "Uadmin09"))
    assert "รับคำขอแล้ว" in regional
    assert GROUPS["regional"] in regional and "แจ้งเตือน" in regional
    local = reply_of(say("ลงทะเบียน L002", REGIONAL, "Uadmin08"))
    assert "รับคำขอแล้ว" in local and GROUPS["local"] in local
    right = reply_of(say("ลงทะเบียน L005", LOCAL, "Uadmin07"))
    assert "รับคำขอแล้ว" in right and GROUPS["local"] not in right
