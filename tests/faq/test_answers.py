"""Answers as officers read them for the 2570 round: facts from the framework and calendar,
the provisional caveat, phone-length lines, definitions first, merged item entries, and the
issue's own near-misses left unanswered."""

from __future__ import annotations

import re

import pytest

from bench.faq_offline import offline_entries, offline_framework, offline_index
from models.faq.files import PLACEHOLDER, read_dir
from models.faq.framework_facts import FRAMEWORK_PLACEHOLDERS, framework_values
from models.faq.index import choose
from models.faq.rendering import CHECK_MANUAL, fill, render

# Still answered (the ITAS password and file-type entries) after the held-out measurement;
# strict, so the day the guard stops them this says so. See the #16 closing note.
LEAKS = pytest.mark.xfail(strict=True, reason="a near-miss the guard still lets through")
LINE_LIMIT = 350  # characters before a line break: about one phone screen's paragraph
DATES = {name: "31 มีนาคม 2570" for name in ("phase1_deadline", "results_start")}


@pytest.fixture(scope="module")
def index(faq_vector_file):
    return offline_index(faq_vector_file)


def filled(entry: dict) -> str:
    values = framework_values(offline_framework()) | dict.fromkeys(
        PLACEHOLDER.findall(entry["answer"]), "31 มีนาคม 2570"
    )
    values |= framework_values(offline_framework())
    return fill(entry["answer"], values)


def test_every_answer_fits_a_phone_once_filled():
    for entry in offline_entries():
        text = filled(entry)
        longest = max(len(line) for line in text.splitlines())
        assert longest <= LINE_LIMIT, (entry["id"], longest)
        assert "{" not in text and len(text) < 2000, entry["id"]


def test_no_answer_writes_this_rounds_facts_as_prose():
    """The round's year comes from the framework: the next round needs no edit of the prose."""
    document = offline_framework()
    year = str(document["fiscal_year"])
    for entry in read_dir():
        assert year not in entry["answer"], entry["id"]
        if PLACEHOLDER.search(entry["answer"]):
            assert "{round_year}" in entry["answer"], f"{entry['id']} must say which round"


def test_the_item_count_comes_from_the_framework_with_the_caveat(index):
    document = offline_framework()
    match = choose(index, "OIT ปีนี้มีกี่ข้อครับ")
    assert match is not None and match.entry["id"] == "oit-item-count"
    text = render(None, match.entry, None, None, document)
    assert f"{len(document['items'])} ข้อ" in text and str(document["fiscal_year"]) in text
    assert CHECK_MANUAL in text, "2570 is a provisional copy of 2569"
    official = {**document, "status": "official"}
    entry = {**match.entry, "confirmed": True}
    assert CHECK_MANUAL not in render(None, entry, None, None, official)


def test_placeholders_are_known_and_framework_ones_need_no_calendar():
    for entry in read_dir():
        used = set(PLACEHOLDER.findall(entry["answer"]))
        assert entry["dates"] or not (used - FRAMEWORK_PLACEHOLDERS), entry["id"]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("IIT ย่อมาจากอะไรครับ", "iit-what-is"),
        ("eitคืออะไรคะ", "eit-what-is"),
        ("oit กับ iit ต่างกันยังไง", "general-tools"),
        ("ITAS คือระบบอะไรคะ", "itas-what-is"),
        ("ข้อ O12 คืออะไร", "item-o12"),
    ],
)
def test_a_definition_question_gets_the_definition_whatever_else_it_mentions(
    index, question, entry
):
    match = choose(index, question)
    assert match is not None and match.entry["id"] == entry and match.definition


def test_items_absorb_the_hand_written_entries_the_framework_names(index):
    ids = {e["id"] for e in index.entries}
    assert not ids & {"oit-no-gift", "oit-risk-assessment", "oit-e-service"}
    gift = next(e for e in index.entries if e["id"] == "item-o20")
    hand = next(e for e in read_dir() if e["id"] == "oit-no-gift")
    assert hand["answer"] in gift["answer"] and set(hand["questions"]) <= set(gift["questions"])


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("ลืมรหัสผ่าน mail.go.th ต้องทำยังไงครับ", marks=LEAKS),
        "เช็คสถานะการเบิกจ่ายใน GFMIS ยังไงคะ",
        pytest.param("ไฟล์ PDF ใหญ่เกินอัปโหลดขึ้นเว็บหน่วยงานไม่ได้ ทำยังไงดีครับ", marks=LEAKS),
        "ปี 2569 จังหวัดเราได้อันดับที่เท่าไรคะ",
        "ถ้าไม่ผ่านจะโดนลงโทษหรือถูกตัดงบไหมครับ",
    ],
)
def test_the_issues_near_misses_get_no_answer(index, question):
    assert choose(index, question) is None


def test_answers_name_the_round_they_speak_of(index):
    document = offline_framework()
    match = choose(index, "ผล ita รอบนี้ประกาศวันไหนครับ")
    assert match is not None
    text = render(None, match.entry, None, None, document)
    assert re.search(str(document["fiscal_year"]), text)


YES_NO_QUESTION = re.compile(
    r"(ไหม|มั้ย|หรือเปล่า|ป่าว|หรือไม่|รึเปล่า|เปล่า)\s*(ครับ|คะ|ค่ะ|คับ|จ้า|นะคะ|นะครับ)?\s*\??$"
)
YES_NO_ANSWER = ("ได้", "ไม่ได้", "ต้อง", "ไม่ต้อง", "ใช่", "ไม่ใช่", "มี", "ไม่มี", "ควร", "ไม่ควร")


def test_an_entry_asked_as_yes_or_no_answers_yes_or_no_first():
    asked = 0
    for entry in read_dir():
        wordings = entry["questions"]
        if sum(bool(YES_NO_QUESTION.search(q.strip())) for q in wordings) >= 0.6 * len(wordings):
            asked += 1
            assert entry["answer"].startswith(YES_NO_ANSWER), entry["id"]
    assert asked >= 10
