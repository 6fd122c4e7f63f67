"""Unanswered questions keep their context (who, where, for which agency), junk is not
forwarded, and an FAQ entry added by chat answers in its own province only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.dev.eventfactory import text_event
from models.registry import Group
from models.registry.agency_import import province_named
from tests.oit.test_oit_chat import COORDINATOR, COORDS, LOCAL, text_of

ADMIN, OFFICER = "Uadmin01", "Uofficer"
UNKNOWN = "ประชุมชี้แจงผู้ดูแลเว็บไซต์ที่ศาลากลางเริ่มกี่โมง"
LOCAL_ANSWER = "ประชุมเวลา 09.30 น. ห้องประชุมชั้น 2"
OTHER = "Cangthong-local"  # a group set up for อ่างทอง


@pytest.fixture
def ask(runner, post_events, worker, fake_line):
    """Send one text; returns [(to, message)] for what the bot sent (to None: the reply)."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", ADMIN, "L004"]).exit_code == 0
    fake_line.state.set_profile(ADMIN, "สมศรี ใจดี")
    fake_line.state.set_friend(ADMIN, True)  # she also asks one-to-one: LINE names friends only
    fake_line.state.set_profile(OFFICER, "มานะ อดทน")

    def send(text, group_id=LOCAL, user_id=OFFICER, **kw):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id, **kw))
        worker.run_once()
        return [(r["to"], m) for r in fake_line.state.sent[before:] for m in r["messages"]]

    return send


def replied(sent):
    return text_of([m for to, m in sent if to is None])


def forwarded(sent):
    return text_of([m for to, m in sent if to == COORDS])


def number_of(sent) -> str:
    return re.search(r"#(\d+)", forwarded(sent)).group(1)


def test_the_forward_says_who_asked_where_and_for_which_agency(ask):
    sent = ask(UNKNOWN, user_id=ADMIN, mention_self=True)
    text = forwarded(sent)
    assert "สมศรี ใจดี" in text and "ITA อปท. สิงห์บุรี" in text, text
    assert "องค์การบริหารส่วนตำบลบางระจัน" in text or "อบต.บางระจัน" in text, text
    alone = forwarded(ask(f"ถาม {UNKNOWN} ห้องไหน", group_id=None, user_id=ADMIN))
    assert "แชตส่วนตัว" in alone and "สมศรี ใจดี" in alone, alone


def test_open_questions_show_who_asked_and_where_compactly(ask):
    ask(UNKNOWN, user_id=OFFICER, mention_self=True)
    ask(f"ถาม {UNKNOWN} จอดรถที่ไหน", group_id=None, user_id=ADMIN)
    listed = text_of([m for _, m in ask("คำถามค้าง", COORDS, COORDINATOR)])
    first, second = [line for line in listed.splitlines() if line.startswith("#")]
    assert "มานะ อดทน" in first and "ITA อปท. สิงห์บุรี" in first
    assert "สมศรี ใจดี" in second and "บางระจัน" in second and "แชตส่วนตัว" in second
    assert len(first) < 200, "one compact line per question"


def test_the_pushed_answer_names_the_asker(ask):
    number = number_of(ask(UNKNOWN, user_id=ADMIN, mention_self=True))
    sent = ask(f"ตอบ #{number} {LOCAL_ANSWER}", COORDS, COORDINATOR)
    pushed = text_of([m for to, m in sent if to == LOCAL])
    assert "สมศรี ใจดี" in pushed and "09.30" in pushed, pushed


def test_a_long_question_is_forwarded_cut_and_says_so(ask):
    long = "งบประชาสัมพันธ์ปีนี้เหลือเท่าไร " + "ซื้อป้ายไวนิลและจ้างทำสื่อ " * 120
    assert len(long) > 3000
    sent = ask(long, mention_self=True)
    text = forwarded(sent)
    assert text and len(text) < 700 and "ตัด" in text, sent
    reply = replied(sent)
    assert "ส่งต่อ" in reply


@pytest.mark.parametrize(
    "junk",
    ["ก" * 3000, "5" * 40, "😀" * 300, "1234 5678 9012 3456 7890", "!!!!!?????"],
    ids=["one-letter", "digits", "emoji", "numbers", "marks"],
)
def test_junk_that_is_not_a_question_is_not_forwarded(ask, junk):
    sent = ask(f"ถาม {junk}")
    assert forwarded(sent) == ""
    reply = replied(sent)
    assert "ไม่เหมือนคำถาม" in reply and len(reply) < 300, reply
    assert "ไม่มีคำถามค้าง" in text_of([m for _, m in ask("คำถามค้าง", COORDS, COORDINATOR)])


def test_junk_by_mention_gets_a_polite_line_and_is_not_forwarded(ask):
    sent = ask("ก" * 3000, mention_self=True)
    assert forwarded(sent) == "" and "ไม่เหมือนคำถาม" in replied(sent)


QUESTIONS = [
    ("ITA คืออะไร", True),
    ("O5 ต้องใช้ข้อมูลปีไหนคะ??", True),
    ("ส่ง OIT รอบแรกถึงวันไหน", True),
    ("IIT ต้องมีผู้ตอบขั้นต่ำกี่คน 😅", True),
    ("ปี 2568 ข้อ 12 ต้องเผยแพร่อะไรบ้าง", True),
    ("ลิงก์ https://www.example.go.th/ita/o1 ใช้ได้ไหม", True),
    ("what is oit", True),
    ("งบประชาสัมพันธ์ปีนี้เหลือเท่าไร", True),
    ("ก" * 3000, False),
    ("กกกกกกกกกก", False),
    ("5555555555", False),
    ("0812345678 0812345678", False),
    ("😀😀😀😀😀😀", False),
    ("👍🏻👍🏻👍🏻", False),
    ("!!!???...", False),
    ("ITA " + "😀" * 50, False),
    ("ถามหน่อย " + "9" * 200, False),
    ("", False),
]


@pytest.mark.parametrize("text, question", QUESTIONS, ids=range(len(QUESTIONS)))
def test_what_looks_like_a_question(text, question):
    from models.faq.entries import looks_like_question

    assert looks_like_question(text) is question


def test_an_entry_added_by_chat_answers_in_its_own_province_until_promoted(ask, runner, db):
    with db.session() as session:
        province_named(session, "อ่างทอง", create=True)
        session.add(Group(line_group_id=OTHER))  # the bot was invited there
    set_up = ["groups", "set", OTHER, "--province", "อ่างทอง", "--kind", "local"]
    assert runner.invoke(args=set_up).exit_code == 0
    number = number_of(ask(UNKNOWN, mention_self=True))
    ask(f"ตอบ #{number} {LOCAL_ANSWER}", COORDS, COORDINATOR)
    added = text_of([m for _, m in ask(f"เพิ่มคำถาม #{number}", COORDS, COORDINATOR)])
    assert "สิงห์บุรี" in added, "the coordinator is told the entry is for their province"
    assert "09.30" in replied(ask(f"ถาม {UNKNOWN}"))
    assert "09.30" not in replied(ask(f"ถาม {UNKNOWN}", group_id=OTHER))
    local = runner.invoke(args=["faq", "local"])
    assert f"added-{number}" in local.output and "สิงห์บุรี" in local.output
    elsewhere = runner.invoke(args=["faq", "local", "--province", "อ่างทอง"])
    assert f"added-{number}" not in elsewhere.output
    promoted = runner.invoke(args=["faq", "promote", f"added-{number}"])
    assert promoted.exit_code == 0, promoted.output
    assert "09.30" in replied(ask(f"ถาม {UNKNOWN}", group_id=OTHER))
    assert f"added-{number}" not in runner.invoke(args=["faq", "local"]).output
    missing = runner.invoke(args=["faq", "promote", "no-such-key"])
    assert missing.exit_code != 0 and "no-such-key" in missing.output


def test_provinces_without_local_entries_share_one_index(ask, runner, db):
    import datetime as dt

    from models.faq.answering import index_key
    from models.year.frameworks import active_framework

    with db.session() as session:
        province_named(session, "อ่างทอง", create=True)
        province_named(session, "ลพบุรี", create=True)
    number = number_of(ask(UNKNOWN, mention_self=True))
    ask(f"ตอบ #{number} {LOCAL_ANSWER}", COORDS, COORDINATOR)
    ask(f"เพิ่มคำถาม #{number}", COORDS, COORDINATOR)
    with db.session() as session:
        keys = {}
        for name in ("สิงห์บุรี", "อ่างทอง", "ลพบุรี"):
            province = province_named(session, name)
            keys[name] = index_key(
                session, active_framework(session, province, dt.date.today()), province
            )
    assert keys["อ่างทอง"] == keys["ลพบุรี"] != keys["สิงห์บุรี"]


def test_an_asker_is_told_when_no_coordinators_group_will_see_the_question(ask, db):
    with db.session() as session:  # the coordinators' group left: nobody is notified at once
        group = session.scalar(select(Group).where(Group.line_group_id == COORDS))
        group.active = False
    answer = replied(ask(f"ถาม {UNKNOWN}"))
    assert "ยังไม่มีกลุ่มผู้ประสานงาน" in answer and "คำถามค้าง" in answer
