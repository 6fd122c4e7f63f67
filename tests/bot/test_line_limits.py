"""Every text is measured and cut in UTF-16 units, as LINE counts; long lists are split."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import text_event
from models.base import utcnow
from models.faq import OpenQuestion
from models.line_text import cut, pack, units
from models.queues import OutboxMessage
from models.registry import Province

COORDS = chat_ids(GROUPS["coordinators"], "")[0]
LOCAL = chat_ids(GROUPS["local"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
EMOJI = "😀"


def test_units_count_emoji_twice_and_cut_never_splits_a_pair():
    assert units("กข") == 2 and units(EMOJI) == 2
    text = EMOJI * 3000
    assert units(cut(text, 5000)) <= 5000 and cut(text, 5000).endswith("…")
    assert cut("ok", 5) == "ok"
    assert all(ch != "\ud83d" for ch in cut(EMOJI * 10, 7))


def test_pack_splits_over_five_texts_and_counts_the_rest():
    lines = [f"{EMOJI * 400} {i}" for i in range(100)]
    texts = pack(lines)
    assert len(texts) == 5 and all(units(t) <= 5000 for t in texts)
    shown = sum(t.count(EMOJI * 400) for t in texts)
    assert texts[-1].endswith(f"และอีก {100 - shown} รายการ")


@given(st.lists(st.text(max_size=3000), max_size=40), st.integers(1, 5))
def test_pack_always_fits(lines, max_texts):
    texts = pack(lines, max_texts=max_texts)
    assert len(texts) <= max_texts
    assert all(units(t) <= 5000 for t in texts)


@pytest.fixture
def say(runner, post_events, worker, fake_line):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    def send(text, group_id=COORDS, user_id=COORDINATOR):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id))
        worker.run_once()
        return fake_line.state.sent[before:]

    return send


def add_questions(db, count, text):
    with db.session() as session:
        province = session.scalar(select(Province))
        rows = [
            OpenQuestion(province_id=province.id, chat_id=LOCAL, user_id="Uasker", text=text,
                         asked_at=utcnow())
            for _ in range(count)
        ]  # fmt: skip
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def failed_outbox(db):
    with db.session() as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).all()


def test_emoji_heavy_open_questions_are_listed_within_line_limits(say, db):
    add_questions(db, 20, EMOJI * 1000)
    [reply] = say("คำถามค้าง")
    assert reply["kind"] == "reply" and reply["messages"]
    assert all(units(m["text"]) <= 5000 for m in reply["messages"])
    assert not failed_outbox(db)


def test_an_answer_line_would_refuse_is_refused_before_anything_is_marked(say, db, fake_line):
    [number] = add_questions(db, 1, "ประชุมเรื่อง ITA วันไหน")
    [reply] = say(f"ตอบ #{number} " + EMOJI * 2600)
    assert "ยาวเกินไป" in reply["messages"][0]["text"]
    with db.session() as session:
        assert session.get(OpenQuestion, number).status == "open"
    assert not failed_outbox(db)
    sent = say(f"ตอบ #{number} วันที่ 5 ค่ะ " + EMOJI * 100)
    assert any(r["kind"] == "push" and r["to"] == LOCAL for r in sent)
    with db.session() as session:
        assert session.get(OpenQuestion, number).status == "answered"
