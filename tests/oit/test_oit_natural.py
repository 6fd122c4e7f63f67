"""Issue 13: links as officers type them, link problems told once in plain Thai, natural order."""

from __future__ import annotations

import datetime as dt
import socket
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.link_jobs import LinkChecker
from models.oit import LinkCheck
from models.oit.link_verdict import DEAD, UNREACHABLE, Fetched, verdict
from models.oit.parser import has_item_link, parse_links
from models.oit.records import natural_key
from models.oit.summary import summary_text
from models.oit.url_rules import url_warnings
from models.registry import Province
from tests.oit.test_oit_chat import COORDINATOR, COORDS, LOCAL, SITE, current, say, text_of  # noqa: F401

S = "https://www.bangrachan-sao.go.th"
ABC = {"O1": [f"{S}/a"], "O2": [f"{S}/b"], "O3": [f"{S}/c"]}

# Item 2: several items on one line; item 3: no space, the Thai spelling of O.
ONE_LINE = [
    # (message, expected {code: [urls]}, number of bad lines)
    (f"O2 {S}/o2 O3 {S}/o3", {"O2": [f"{S}/o2"], "O3": [f"{S}/o3"]}, 0),
    (f"O19 {S}/o19、O20 {S}/o20", {"O19": [f"{S}/o19"], "O20": [f"{S}/o20"]}, 0),
    (f"O19 {S}/o19，O20 {S}/o20", {"O19": [f"{S}/o19"], "O20": [f"{S}/o20"]}, 0),
    (f"O19 {S}/o19、 O20 {S}/o20", {"O19": [f"{S}/o19"], "O20": [f"{S}/o20"]}, 0),
    (f"O1 {S}/a, O2 {S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a,O2 {S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a;O2 {S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a|O2 {S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a | O2 {S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a,ข้อ 2 {S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (
        f"O1 {S}/a ข้อ 2 {S}/b ข้อ๓ {S}/c",
        ABC,
        0,
    ),
    (f"O1 {S}/a ค่ะ O2 {S}/b ค่ะ", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a {S}/a2 O2 {S}/b", {"O1": [f"{S}/a", f"{S}/a2"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a, {S}/a2、O2 {S}/b", {"O1": [f"{S}/a", f"{S}/a2"], "O2": [f"{S}/b"]}, 0),
    (f"O1 {S}/a?ids=1,2;3|4", {"O1": [f"{S}/a?ids=1,2;3|4"]}, 0),
    (f"O1 {S}/a,b O2 {S}/b", {"O1": [f"{S}/a,b"], "O2": [f"{S}/b"]}, 0),
    (f"O2 {S}/o2 O3", {"O2": [f"{S}/o2"]}, 1),
    (f"O2 {S}/o2 O3\n{S}/o3", {"O2": [f"{S}/o2"], "O3": [f"{S}/o3"]}, 0),
    (f"O2 {S}/o2 O2 {S}/again", {"O2": [f"{S}/o2"]}, 1),
    (
        f"เรียนจังหวัดค่ะ\nO1 {S}/a O2 {S}/b\nO3 {S}/c",
        ABC,
        0,
    ),
    (f"O1{S}/a", {"O1": [f"{S}/a"]}, 0),
    (f"o1{S}/a O2{S}/b", {"O1": [f"{S}/a"], "O2": [f"{S}/b"]}, 0),
    ("O1www.bangrachan-sao.go.th/a", {"O1": ["www.bangrachan-sao.go.th/a"]}, 0),
    (f"โอ15 {S}/o15", {"O15": [f"{S}/o15"]}, 0),
    (f"โอ 15 {S}/o15", {"O15": [f"{S}/o15"]}, 0),
    (f"โอ.๑๕ {S}/o15", {"O15": [f"{S}/o15"]}, 0),
    (f"โอ15{S}/o15 โอ16 {S}/o16", {"O15": [f"{S}/o15"], "O16": [f"{S}/o16"]}, 0),
    (f"วิดีโอ 3 คลิป {S}/v", {}, 1),
    ("โอนเงิน 2 ครั้ง", {}, 0),
]


@pytest.mark.parametrize("message, expected, bad", ONE_LINE, ids=range(len(ONE_LINE)))
def test_items_on_one_line_and_glued_codes(message, expected, bad):
    parsed = parse_links(message)
    assert {i.code: i.urls for i in parsed.items} == expected
    assert len(parsed.bad) == bad
    assert has_item_link(message) == bool(expected)


def test_the_second_item_of_a_line_names_its_code_when_it_has_no_link():
    [bad] = parse_links(f"O2 {S}/o2 O3").bad
    assert bad.line_no == 1 and "O3" in bad.reason


def test_two_items_on_one_line_are_both_recorded(say, db):
    assert "บันทึก O2, O3" in text_of(say(f"O2 {SITE}/o2 O3 {SITE}/o3"))
    assert "บันทึก O19, O20" in text_of(say(f"O19 {SITE}/o19、O20 {SITE}/o20"))
    assert {code: urls for code, (urls, _) in current(db).items()} == {
        "O2": f'["{SITE}/o2"]',
        "O3": f'["{SITE}/o3"]',
        "O19": f'["{SITE}/o19"]',
        "O20": f'["{SITE}/o20"]',
    }


# Item 3: glued codes and the Thai O are submissions; strangers are told how to register.


def test_glued_and_thai_item_codes_are_recorded(say, db):
    assert "บันทึก O1" in text_of(say(f"O1{SITE}/a"))
    assert "บันทึก O15" in text_of(say(f"โอ15 {SITE}/o15"))
    assert set(current(db)) == {"O1", "O15"}


def test_a_bare_item_link_from_a_non_admin_is_answered_with_how_to_register(say, db):
    refusal = text_of(say(f"O1 {SITE}/a", user_id="Ustranger"))
    assert "ยังไม่ได้เป็นแอดมิน" in refusal and "ลงทะเบียน" in refusal
    assert "ลงทะเบียน" in text_of(say(f"เรียนจังหวัดค่ะ\nO1 {SITE}/a", user_id="Ustranger"))
    assert "ลงทะเบียน" in text_of(say(f"O1 {SITE}/a", group_id=None, user_id="Ustranger"))
    assert current(db) == {}


def test_item_links_stay_unanswered_from_coordinators_in_chatter_and_unset_groups(say, db):
    assert say(f"O1 {SITE}/a", user_id=COORDINATOR) == [], "coordinators quote links"
    assert say(f"ดูนี่ครับ O1 {SITE}/a", user_id="Ustranger") == []
    unset = chat_ids("กลุ่มที่ยังไม่ตั้งค่า", "")[0]
    assert say(f"O1 {SITE}/a", group_id=unset, user_id="Ustranger") == []
    assert current(db) == {}


# Item 10: link problems told once, to the agency's admin, in plain Thai.


def _no_such_host(monkeypatch):
    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        if "nosuch" in str(host):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)


def _an_hour_passes(db):
    """Move every check back two hours, so the re-check queued an hour ahead is due now."""
    with db.session() as session:
        for row in session.scalars(select(LinkCheck)):
            row.next_attempt_at -= timedelta(hours=2)
            row.checked_at = row.checked_at and row.checked_at - timedelta(hours=2)


def test_a_name_that_does_not_resolve_is_told_once_then_dead_after_a_second_check(
    say, app, db, monkeypatch
):
    _no_such_host(monkeypatch)
    bad = "https://www.nosuch-agency.go.th"
    say(f"O1 {bad}/a\nO19 {bad}/o19 {bad}/o19b")
    assert LinkChecker(app).check_due() == 3
    with db.session() as session:
        rows = session.scalars(select(LinkCheck).order_by(LinkCheck.id)).all()
        assert [r.verdict for r in rows[:3]] == [UNREACHABLE] * 3
        again = [r for r in rows if r.status == "pending"]
        assert sorted(r.url for r in again) == sorted([f"{bad}/a", f"{bad}/o19", f"{bad}/o19b"])
        assert all(r.next_attempt_at - rows[0].checked_at >= timedelta(minutes=55) for r in again)

    assert "ติดต่อเว็บไซต์ไม่ได้" not in text_of(say("กำหนดการ", user_id="Umember"))
    assert "nosuch" not in text_of(say("ลิงก์มีปัญหา", COORDS, COORDINATOR)), "not dead yet"
    news = text_of(say("สถานะ"))
    assert "ติดต่อเว็บไซต์ไม่ได้" in news and "ชื่อเว็บไซต์อาจพิมพ์ผิด" in news
    assert "DNS" not in news and "ลิงก์เสีย" not in news
    [line] = [line for line in news.splitlines() if line.startswith("⚠️")]
    assert line.startswith("⚠️ O1, O19 ติดต่อเว็บไซต์ไม่ได้:"), "one line, each item once"
    assert "ติดต่อเว็บไซต์ไม่ได้" not in text_of(say("สถานะ")), "told once"

    _an_hour_passes(db)
    assert LinkChecker(app).check_due() == 3
    with db.session() as session:
        assert session.scalar(select(LinkCheck.verdict).order_by(LinkCheck.id.desc())) == DEAD
        assert session.scalar(select(LinkCheck.id).where(LinkCheck.status == "pending")) is None
    assert "L004 O1 ลิงก์เสีย" in text_of(say("ลิงก์มีปัญหา", COORDS, COORDINATOR))
    dead = text_of(say("สถานะ"))
    assert "⚠️ O1, O19 ลิงก์เสีย:" in dead and "DNS" not in dead and dead.count("O19") == 1
    assert "ลิงก์เสีย" not in text_of(say("สถานะ")), "told once"

    runner = app.test_cli_runner()
    assert "ลิงก์" in runner.invoke(args=["links", "recheck", "--province", "สิงห์บุรี"]).output
    LinkChecker(app).check_due()
    assert "⚠️" not in text_of(say("สถานะ")), "the same outcome again is not news"


def _finish_checks(db, outcomes):
    """Finish the pending checks in order with (verdict, note) pairs."""
    with db.session() as session:
        rows = session.scalars(
            select(LinkCheck).where(LinkCheck.status == "pending").order_by(LinkCheck.id)
        ).all()
        for row, (outcome, note) in zip(rows, outcomes, strict=True):
            row.status, row.verdict, row.note = "done", outcome, note


def test_news_names_the_link_hit_and_is_not_repeated_for_the_same_link_sent_again(say, db):
    say(f"O1 {SITE}/a {SITE}/b\nO2 {SITE}/c")
    _finish_checks(db, [("dead", "ไม่พบหน้านี้"), ("ok", "เปิดได้"), ("dead", "ไม่พบหน้านี้")])
    news = [line for line in text_of(say("สถานะ")).splitlines() if line.startswith("⚠️")]
    assert news == [f"⚠️ O1 ({SITE}/a), O2 ลิงก์เสีย: ไม่พบหน้านี้"]
    say(f"O1 {SITE}/a {SITE}/b")
    _finish_checks(db, [("dead", "ไม่พบหน้านี้"), ("ok", "เปิดได้")])
    assert "⚠️" not in text_of(say("สถานะ")), "the admin heard of this link already"
    say(f"O3 {SITE}/d")
    _finish_checks(db, [("dead", "ไม่พบหน้านี้")])
    say(f"O3 {SITE}/d2")  # replaced before the admin heard: the old link is no news
    _finish_checks(db, [("ok", "เปิดได้")])
    assert "⚠️" not in text_of(say("สถานะ"))


def test_one_link_sent_for_two_items_is_told_for_both(say, db):
    say(f"O1 {SITE}/shared\nO5 {SITE}/shared")
    _finish_checks(db, [("dead", "ไม่พบหน้านี้"), ("dead", "ไม่พบหน้านี้")])
    news = [line for line in text_of(say("สถานะ")).splitlines() if line.startswith("⚠️")]
    assert news == ["⚠️ O1, O5 ลิงก์เสีย: ไม่พบหน้านี้"]


def test_verdicts_speak_plain_thai():
    dns = Fetched(error="dns")
    outcome, note = verdict(dns, 2570)
    assert outcome == UNREACHABLE and "ชื่อเว็บไซต์อาจพิมพ์ผิด" in note and "DNS" not in note
    assert verdict(dns, 2570, failed_before=True)[0] == DEAD
    for page in (
        Fetched(status=404),
        Fetched(status=403),
        Fetched(status=503),
        Fetched(error="tls"),
    ):
        note = verdict(page, 2570)[1]
        assert not any(jargon in note for jargon in ("404", "403", "503", "SSL", "DNS")), note


# Item 13: natural order and wording.


def test_item_codes_sort_naturally():
    codes = ["O10", "O2", "O1", "O11", "O20", "O3"]
    assert sorted(codes, key=natural_key) == ["O1", "O2", "O3", "O10", "O11", "O20"]


def test_saved_items_are_listed_in_natural_order(say):
    reply = text_of(say(f"O10 {SITE}/10\nO2 {SITE}/2\nO1 {SITE}/1\nO11 {SITE}/11"))
    assert "บันทึก O1, O2, O10, O11 " in reply


def test_off_site_warnings_read_naturally():
    for url in ("https://bit.ly/abc", "https://www.facebook.com/x", "https://drive.google.com/a"):
        [warning] = url_warnings(url, None)
        assert "เป็นลิงก์ ลิงก์ย่อ" not in warning and "ลิงก์ Facebook" not in warning
    assert "ลิงก์ย่อ" in url_warnings("https://bit.ly/abc", None)[0]


def test_the_summary_does_not_list_an_empty_honour_roll(say, db):
    with db.session() as session:
        province = session.scalar(select(Province).where(Province.name == "สิงห์บุรี"))
        text = summary_text(session, province, "local", dt.date(2027, 2, 10))
    assert "ระยะที่ 1: ส่งครบภายในกำหนด 0 จาก" in text
    assert "0 หน่วยงาน: -" not in text and ": -" not in text
    assert "ยังไม่มีหน่วยงานที่ส่งครบตรงเวลาทุกระยะ" in text


def test_codes_side_by_side_or_a_range_share_the_link_that_follows():
    from models.oit.parser import parse_links

    for text, codes in [
        (f"O1, O2 {SITE}/x", ["O1", "O2"]),
        (f"O1-O3 {SITE}/x", ["O1", "O2", "O3"]),
        (f"ข้อ 4 และ ข้อ 5\n{SITE}/x", ["O4", "O5"]),
    ]:
        parsed = parse_links(text)
        assert [item.code for item in parsed.items] == codes and not parsed.bad, text
        assert all(item.urls == [f"{SITE}/x"] for item in parsed.items)
