"""Learning from wrong answers in chat: a coordinator's ผิด on the bot's answer (quoted), an
officer's ไม่ตรง kept for judging, too-old answers, other provinces, and the operator's CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dev.eventfactory import text_event
from models.faq import FaqAnswer, FaqCorrection, OpenQuestion
from tests.oit.test_oit_chat import COORDINATOR, COORDS, LOCAL, text_of

QUESTION = "ถาม ลิงก์ของแบบวัดที่เจ้าหน้าที่ตอบ เอามาจากไหนครับ"


@pytest.fixture
def chat(runner, post_events, worker, fake_line):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0

    def send(text, group_id=LOCAL, user_id="Uofficer", quoted=None):
        before = len(fake_line.state.sent)
        event = text_event(text, group_id=group_id, user_id=user_id, quoted_message_id=quoted)
        post_events(event)
        worker.run_once()
        records = fake_line.state.sent[before:]
        return [(r["to"], m) for r in records for m in r["messages"]], records, event

    return send


def asked(chat, question=QUESTION):
    """The bot's answer to a question: (its text, the id LINE gave it, the asking event)."""
    sent, records, event = chat(question)
    assert len(sent) == 1, "the question is answered from the FAQ"
    return sent[0][1]["text"], records[0]["sent_message_ids"][0], event


def rows(db, model):
    with db.session() as session:
        return session.query(model).order_by(model.id).all()


def test_the_bot_keeps_which_question_and_entry_each_answer_carried(chat, db):
    _, _, event = asked(chat)
    [kept] = rows(db, FaqAnswer)
    assert kept.question.startswith("ลิงก์ของแบบวัด") and kept.entry_key
    assert kept.message_id == event["message"]["id"] and kept.chat_id == LOCAL


def test_a_coordinators_wrong_with_the_right_entry_teaches_the_province(chat, db):
    text, message_id, event = asked(chat)
    wrong_key = rows(db, FaqAnswer)[0].entry_key
    right = "eit-link" if wrong_key != "eit-link" else "iit-link"
    sent, _, _ = chat(f"ผิด ควรเป็น {right}", LOCAL, COORDINATOR, quoted=message_id)
    said = text_of([m for _, m in sent])
    assert "บันทึกแล้ว" in said and right in said and wrong_key in said
    assert sent[-1][1]["quoteToken"] == event["message"]["quoteToken"], "under the question"
    [fix] = rows(db, FaqCorrection)
    assert (fix.wrong_key, fix.right_key, fix.status) == (wrong_key, right, "applied")
    assert fix.province_id is not None
    again, _, _ = chat(QUESTION)
    assert again and again[0][1]["text"] != text, "the wrong entry no longer wins that wording"
    assert rows(db, FaqAnswer)[-1].entry_key == right


def test_faq_load_keeps_corrections(chat, db, runner):
    _, message_id, _ = asked(chat)
    chat("ผิด", LOCAL, COORDINATOR, quoted=message_id)
    assert runner.invoke(args=["faq", "load"]).exit_code == 0
    assert len(rows(db, FaqCorrection)) == 1
    sent, _, _ = chat(QUESTION)
    assert "ยังไม่มีคำตอบที่แน่ใจ" in sent[0][1]["text"], "silent after a plain ผิด, even reloaded"


def test_a_plain_wrong_sends_the_question_to_open_questions(chat, db):
    _, message_id, _ = asked(chat)
    sent, _, _ = chat("ผิดค่ะ", LOCAL, COORDINATOR, quoted=message_id)
    [question] = rows(db, OpenQuestion)
    assert f"คำถามค้าง #{question.id}" in sent[0][1]["text"]
    listed = text_of([m for _, m in chat("คำถามค้าง", COORDS, COORDINATOR)[0]])
    assert f"#{question.id}" in listed


def test_an_officers_wrong_or_not_matching_is_recorded_not_applied(chat, db):
    text, message_id, _ = asked(chat)
    for word in ("ไม่ตรงครับ", "ผิด"):
        sent, _, _ = chat(word, LOCAL, "Uofficer", quoted=message_id)
        assert "ให้ผู้ประสานงานจังหวัดตรวจ" in sent[0][1]["text"]
    assert {f.status for f in rows(db, FaqCorrection)} == {"reported"}
    assert chat(QUESTION)[0][0][1]["text"] == text, "not applied until a coordinator judges"
    number = rows(db, OpenQuestion)[0].id
    listed = text_of([m for _, m in chat("คำถามค้าง", COORDS, COORDINATOR)[0]])
    assert "ไม่ตรง" in listed and f"ผิด #{number}" in listed
    assert len(rows(db, OpenQuestion)) == 1, "reported twice, waiting once"
    sent, _, _ = chat(f"ผิด #{number}", COORDS, COORDINATOR)
    assert "บันทึกแล้ว" in sent[0][1]["text"]
    assert sorted(f.status for f in rows(db, FaqCorrection)) == ["applied", "judged"]
    again, _, _ = chat(f"ผิด #{number}", COORDS, COORDINATOR)
    assert "ไม่พบคำถาม" in again[0][1]["text"], "judged once"


def test_a_wrong_on_an_answer_past_retention_is_told_it_is_too_old(chat, db, runner):
    _, message_id, _ = asked(chat)
    with db.session() as session:
        for row in session.query(FaqAnswer):
            row.answered_at -= dt.timedelta(days=400)
    from models.queues import InboxEvent, OutboxMessage

    with db.session() as session:
        for model, column in ((InboxEvent, "received_at"), (OutboxMessage, "created_at")):
            for row in session.query(model):
                setattr(row, column, getattr(row, column) - dt.timedelta(days=400))
    assert runner.invoke(args=["purge"]).exit_code == 0
    sent, _, _ = chat("ผิด", LOCAL, COORDINATOR, quoted=message_id)
    assert "เก่ากว่า" in sent[0][1]["text"] and not rows(db, FaqCorrection)


def test_wrong_in_a_group_without_a_quote_is_people_talking(chat, db):
    assert chat("ผิด ตรงไหนครับ", LOCAL, COORDINATOR)[0] == []
    assert chat("ไม่ตรง กับที่ประชุมบอกนะ", LOCAL, "Uofficer")[0] == []
    one_to_one, _, _ = chat("ผิด", None, COORDINATOR)
    assert "วิธีใช้" in one_to_one[0][1]["text"]
    question, _, _ = chat("ไม่ตรง ใช้ลิงก์ IIT ของปีที่แล้วได้ไหมครับ", None, "Uofficer")
    assert "วิธีใช้" not in question[0][1]["text"], "one-to-one, the rest is a question"
    assert not rows(db, FaqCorrection)


def test_an_unknown_right_entry_lists_the_nearest_and_changes_nothing(chat, db):
    _, message_id, _ = asked(chat)
    sent, _, _ = chat("ผิด ควรเป็น ไม่มีรหัสนี้", LOCAL, COORDINATOR, quoted=message_id)
    assert "ไม่พบคำถามรหัส" in sent[0][1]["text"] and not rows(db, FaqCorrection)


def test_a_wrong_on_a_definition_answer_is_applied_too(chat, db):
    sent, records, _ = chat("ถาม O20 คืออะไรครับ")
    chat("ผิด", LOCAL, COORDINATOR, quoted=records[0]["sent_message_ids"][0])
    again, _, _ = chat("ถาม O20 คืออะไรครับ")
    assert "ยังไม่มีคำตอบที่แน่ใจ" in again[0][1]["text"]


def test_an_item_code_names_its_entry(chat, db):
    _, message_id, _ = asked(chat)
    chat("ผิด ควรเป็น ข้อ ๒๐", LOCAL, COORDINATOR, quoted=message_id)
    assert rows(db, FaqCorrection)[0].right_key == "item-o20"


def test_the_operator_makes_a_correction_national(chat, db, runner):
    _, message_id, _ = asked(chat)
    chat("ผิด", LOCAL, COORDINATOR, quoted=message_id)
    listed = runner.invoke(args=["faq", "corrections"])
    assert listed.exit_code == 0 and "#1" in listed.stdout
    assert runner.invoke(args=["faq", "correction-national", "1"]).exit_code == 0
    assert rows(db, FaqCorrection)[0].province_id is None
    assert runner.invoke(args=["faq", "correction-national", "99"]).exit_code != 0
