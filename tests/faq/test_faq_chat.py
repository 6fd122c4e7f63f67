"""Asking the bot in the groups: answers quote the asker, chatter gets silence, unknowns go up."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from bot.dev.eventfactory import text_event
from models.year.calendar import default_calendar, fiscal_year_of, thai_date
from tests.oit.test_oit_chat import COORDINATOR, COORDS, LOCAL, text_of


@pytest.fixture
def ask(runner, post_events, worker, fake_line):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0

    def send(text, group_id=LOCAL, user_id="Uofficer", **kw):
        before = len(fake_line.state.sent)
        event = text_event(text, group_id=group_id, user_id=user_id, **kw)
        post_events(event)
        worker.run_once()
        return [(r["to"], m) for r in fake_line.state.sent[before:] for m in r["messages"]], event

    return send


def phase_one_deadline() -> str:
    year = fiscal_year_of(dt.date.today())
    return thai_date(dt.date.fromisoformat(default_calendar(year)["phases"][0]["deadline"]))


def test_an_answer_quotes_the_asker_and_fills_dates_from_the_calendar(ask):
    sent, event = ask("ถาม ระยะที่ 1 ถึง 3 ต้องส่งตรวจภายในเมื่อไร")
    [(to, message)] = sent
    assert to is None and message["quoteToken"] == event["message"]["quoteToken"]
    assert phase_one_deadline() in message["text"] and "{" not in message["text"]
    assert "โปรดตรวจสอบคู่มือของปีปัจจุบัน" in message["text"], "the entry is marked unconfirmed"


def test_the_issues_own_example_answers_with_the_phase_one_deadline(ask):
    sent, _ = ask("ถาม ส่ง OIT รอบแรกถึงวันไหน")
    assert phase_one_deadline() in sent[0][1]["text"]


def test_chatter_and_unaddressed_questions_get_silence(ask):
    assert ask("รับทราบครับ", mention_self=True)[0] == []
    assert ask("ขอบคุณค่ะ 🙏", mention_self=True)[0] == []
    assert ask("OIT มีกี่ข้อ")[0] == [], "not addressed in a group: the bot stays quiet"


def test_a_near_miss_about_another_system_is_forwarded_not_answered(ask):
    """Shares words with the ITAS password entry; data/faq/off_topic.txt holds e-GP examples."""
    sent, _ = ask("ถาม ลืมพาสเวิร์ด e-GP เข้าไม่ได้ ทำไงดีคะ")
    reply = [m for to, m in sent if to is None][0]
    assert "ยังไม่มีคำตอบที่แน่ใจ" in reply["text"] and "ITAS" not in reply["text"]
    assert [m for to, m in sent if to == COORDS], "forwarded to the coordinators"


def test_an_unknown_question_is_forwarded_answered_and_learned(ask, fake_line):
    sent, event = ask("งบประชาสัมพันธ์ปีนี้เหลือเท่าไร", mention_self=True)
    reply = [m for to, m in sent if to is None][0]
    forwarded = [m for to, m in sent if to == COORDS][0]
    assert "ยังไม่มีคำตอบที่แน่ใจ" in reply["text"] and "ส่งต่อ" in reply["text"]
    number = re.search(r"#(\d+)", forwarded["text"]).group(1)
    assert f"#{number}" in text_of([m for _, m in ask("คำถามค้าง", COORDS, COORDINATOR)[0]])
    refused, _ = ask(f"ตอบ #{number} ดูได้ที่กองคลัง", LOCAL, "Uofficer")
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in refused[0][1]["text"]
    sent, _ = ask(f"ตอบ #{number} งบประชาสัมพันธ์ดูได้ที่กองคลังของหน่วยงาน", COORDS, COORDINATOR)
    pushed = [m for to, m in sent if to == LOCAL][0]
    assert pushed["quoteToken"] == event["message"]["quoteToken"] and "กองคลัง" in pushed["text"]
    assert "เพิ่มเข้าคลังคำถามแล้ว" in text_of(
        [m for _, m in ask(f"เพิ่มคำถาม #{number}", COORDS, COORDINATOR)[0]]
    )
    again, _ = ask("ถาม งบประชาสัมพันธ์ปีนี้เหลือเท่าไร")
    assert "กองคลัง" in again[0][1]["text"]


def test_faq_ask_prints_one_json_line_per_question(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0
    result = runner.invoke(
        args=["faq", "ask", "--json", "--province", "สิงห์บุรี", "ITA คืออะไร", "ขอบคุณครับ"]
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["answered"] is True and first["entry_id"] and first["answer"]
    assert second == {"answered": False, "entry_id": None, "score": 0.0, "answer": None}
    piped = runner.invoke(args=["faq", "ask", "--json", "-"], input="ITA คืออะไร\n\nOIT คืออะไร\n")
    assert len(piped.stdout.splitlines()) == 2


def test_the_index_is_rebuilt_after_a_new_entry_outside_any_transaction(ask, db, monkeypatch):
    import models.faq.answering as faq_service

    sent, _ = ask("งบประชาสัมพันธ์ปีนี้เหลือเท่าไร", mention_self=True)
    number = re.search(r"#(\d+)", [m for to, m in sent if to == COORDS][0]["text"]).group(1)
    ask(f"ตอบ #{number} ดูได้ที่กองคลังของหน่วยงาน", COORDS, COORDINATOR)
    open_connections = []
    real_build = faq_service.build_index

    def build_index(key, entries):
        open_connections.append(db.engine.pool.checkedout())
        return real_build(key, entries)

    monkeypatch.setattr(faq_service, "build_index", build_index)
    ask(f"เพิ่มคำถาม #{number}", COORDS, COORDINATOR)
    again, _ = ask("ถาม งบประชาสัมพันธ์ปีนี้เหลือเท่าไร")
    assert "กองคลัง" in again[0][1]["text"]
    assert open_connections and set(open_connections) == {0}


def test_one_to_one_chatter_gets_a_short_line_or_nothing_and_one_greeting_a_day(ask, db):
    from models.registry.chats import Person

    def said(text):
        return [m["text"] for _, m in ask(text, group_id=None, user_id="Ufriend")[0]]

    assert said("รับทราบค่ะ") == []
    assert said("😀") == [] and said("👍") == [] and said("👍🏻👍🏻") == []
    [thanks] = said("ขอบคุณมากครับ")
    assert "ยินดี" in thanks and "สวัสดี" not in thanks and len(thanks) < 60
    [greeting] = said("สวัสดีครับ")
    assert "สวัสดี" in greeting and "ITA" in greeting
    assert said("สวัสดีค่ะ") == [], "a greeting at most once a day"
    with db.session() as session:  # the next day (Bangkok) greets again
        person = session.query(Person).filter_by(line_user_id="Ufriend").one()
        person.greeted_on = person.greeted_on - dt.timedelta(days=1)
    assert len(said("สวัสดีค่ะ")) == 1
