"""Parsing OIT links as admins really type them: 40+ messages, pure functions, no database."""

from __future__ import annotations

import pytest

from models.oit.parser import find_items, has_item_link, parse_links
from models.oit.url_rules import url_problem, url_warnings

U = "https://www.bangrachan-sao.go.th/p"
CASES = [
    # (message, expected {code: [urls]}, number of bad lines)
    (f"O1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"o1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O.1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O 1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O-1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O1: {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O1-{U}1", {"O1": [f"{U}1"]}, 0),
    (f"O๑ {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O๑๒ {U}12", {"O12": [f"{U}12"]}, 0),
    (f"ข้อ 1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"ข้อที่ 3 {U}3", {"O3": [f"{U}3"]}, 0),
    (f"ข้อ๕ {U}5", {"O5": [f"{U}5"]}, 0),
    (f"ส่ง O1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O1 {U}1ค่ะ", {"O1": [f"{U}1"]}, 0),
    (f"O1 {U}1 ครับ", {"O1": [f"{U}1"]}, 0),
    (f"O1 ({U}1)", {"O1": [f"{U}1"]}, 0),
    (f"O1 {U}1.", {"O1": [f"{U}1"]}, 0),
    (f"O1 {U}1, {U}1b", {"O1": [f"{U}1", f"{U}1b"]}, 0),
    (f"O1 โครงสร้างหน่วยงาน {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O1 Structure {U}1", {"O1": [f"{U}1"]}, 0),
    (f"O1\n{U}1", {"O1": [f"{U}1"]}, 0),
    (f"O1\n{U}1\n{U}1b", {"O1": [f"{U}1", f"{U}1b"]}, 0),
    (f"เรียนจังหวัด ส่ง OIT ค่ะ\nO1 {U}1\nO2 {U}2", {"O1": [f"{U}1"], "O2": [f"{U}2"]}, 0),
    (f"สวัสดีค่ะ\n\nO1 {U}1\n\nขอบคุณค่ะ", {"O1": [f"{U}1"]}, 0),
    (f"O1 {U}1\nO2 {U}2\nO3 {U}3\nO4 {U}4", {f"O{i}": [f"{U}{i}"] for i in range(1, 5)}, 0),
    (f"O1 {U}1\nO2 ยังไม่มี\nO3 {U}3", {"O1": [f"{U}1"], "O3": [f"{U}3"]}, 1),
    (f"O1 {U}1\n{U}x\n\n{U}orphan", {"O1": [f"{U}1", f"{U}x"]}, 1),
    (f"{U}1", {}, 1),
    ("ส่ง OIT แล้วนะคะ", {}, 0),
    ("รับทราบครับ", {}, 0),
    ("O1 ส่งพรุ่งนี้ครับ", {}, 1),
    (f"L004 O1 {U}1", {"O1": [f"{U}1"]}, 0),
    (f"อบต.บางระจัน O๒ {U}2", {"O2": [f"{U}2"]}, 0),
    ("O1 www.bangrachan-sao.go.th/p1", {"O1": ["www.bangrachan-sao.go.th/p1"]}, 0),
    (f"O10 {U}10\nO11 {U}11", {"O10": [f"{U}10"], "O11": [f"{U}11"]}, 0),
    (f"O1 {U}?id=1&y=2570", {"O1": [f"{U}?id=1&y=2570"]}, 0),
    ("O1 HTTPS://WWW.BANGRACHAN-SAO.GO.TH/P1", {"O1": ["HTTPS://WWW.BANGRACHAN-SAO.GO.TH/P1"]}, 0),
    (f"  O1   {U}1   ", {"O1": [f"{U}1"]}, 0),
    (f"O1\t{U}1", {"O1": [f"{U}1"]}, 0),
    (f"ส่งข้อ 7 ครับ {U}7", {"O7": [f"{U}7"]}, 0),
    (f"OIT O1 {U}1", {"O1": [f"{U}1"]}, 0),
    ("O1 ftp://files.bangrachan-sao.go.th/a", {"O1": ["ftp://files.bangrachan-sao.go.th/a"]}, 0),
]


@pytest.mark.parametrize("message, expected, bad", CASES, ids=range(len(CASES)))
def test_real_style_messages(message, expected, bad):
    parsed = parse_links(message)
    assert {i.code: i.urls for i in parsed.items} == expected
    assert len(parsed.bad) == bad
    assert has_item_link(message) == bool(expected)


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


def test_the_agency_named_before_the_item_is_the_hint():
    assert parse_links(f"ส่ง L004 O1 {U}").agency_hint == "L004"
    assert parse_links(f"อบต.บางระจัน O1 {U}").agency_hint == "อบต.บางระจัน"
    assert parse_links(f"เรียนจังหวัด ส่ง OIT O1 {U}").agency_hint == "เรียนจังหวัด"
    assert parse_links(f"O1 {U}").agency_hint == ""


def test_item_lists_and_ranges():
    assert find_items("O1-O3 O7") == ["O1", "O2", "O3", "O7"]
    assert find_items("O๑ – ๓") == ["O1", "O2", "O3"]
    assert find_items("OIT ITA") == []


@pytest.mark.parametrize(
    "url, rule",
    [
        (f"{U}1", None),
        ("www.bangrachan-sao.go.th/p1", "http"),
        ("ftp://x.go.th/a", "http"),
        ("javascript://x.go.th/%0aalert(1)", "http"),
        ("https://admin:secret@x.go.th/", "รหัสผ่าน"),
        ("http://10.0.0.5/", "IP"),
        ("http://[fe80::1]/", "IP"),
        ("http://localhost:8080/", "IP"),
        ("http://printer.local/", "IP"),
        ("http://intranet/", "IP"),
        ("https://x.go.th/" + "a" * 2001, "2,000"),
    ],
)
def test_link_rules(url, rule):
    problem = url_problem(url)
    assert (problem is None) if rule is None else (rule in problem)


def test_warnings_do_not_block():
    assert "Facebook" in url_warnings("https://www.facebook.com/x", "bangrachan-sao.go.th")[0]
    assert "ลิงก์ย่อ" in url_warnings("https://bit.ly/abc", None)[0]
    assert "ไม่ใช่เว็บไซต์หลัก" in url_warnings("https://other.go.th/a", "bangrachan-sao.go.th")[0]
    assert url_warnings(f"{U}1", "https://bangrachan-sao.go.th") == []
