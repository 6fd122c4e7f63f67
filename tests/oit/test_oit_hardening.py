"""OIT hardening: adversarial chat text stays cheap, link problems per URL, IIT/EIT counts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.dev.eventfactory import text_event
from models.oit import LinkCheck, RespondentCount, Submission, parser
from models.oit.parser import find_items, find_links, has_item_link, parse_links
from tests.oit.test_oit_chat import COORDINATOR, COORDS, LOCAL, SITE, say, text_of  # noqa: F401 (fixture)

U = "https://www.bangrachan-sao.go.th/p"

# Item 9: messages that cost seconds of worker time before (link + 1,600 × ".คะ": 0.7-1.4 s).
ADVERSARIAL = {
    "link + .คะ": (f"O1 {U}" + ".คะ" * 1600, {"O1": [U]}),
    "link + นะคะ)": (f"O1 {U}" + "นะคะ)" * 1000, {"O1": [U]}),
    "O, spaces, link": ("O" + " " * 4980 + " https://a.b/c", {}),
    "O1-O then spaces": ("O1 https://a.b/c O1-O" + " " * 4980, {"O1": ["https://a.b/c"]}),
    "O1 repeated": ("O1 " * 1666, {}),
    "ข้อ repeated": ("ข้อ" * 1666 + " https://a.b/c", {}),
    "urls glued": ("O1 " + "https://a.b/" * 416, {"O1": ["https://a.b/" * 416]}),
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_messages_are_read_right(name):
    text, expected = ADVERSARIAL[name]
    assert {i.code: i.urls for i in parse_links(text).items} == expected
    assert has_item_link(text) == bool(expected)


def test_range_after_an_item_among_many_spaces():
    assert find_items("O1 -   O3 O1-O" + " " * 3000) == ["O1", "O2", "O3"]
    assert find_items("O5-O2") == ["O5", "O2"]


def _trim_before(link: str) -> str:
    """The trimming the parser did before: a regex rescanning the whole link once per layer."""
    trailing = re.compile(r"[.,;:!?)\]}>\"'”’]+$|(?:นะ)?(?:คะ|ค่ะ|ครับ|จ้า|จ้ะ)+$")
    while (trimmed := trailing.sub("", link)) != link:
        link = trimmed
    return link


PIECES = [".", ",", ")", "'", "”", "คะ", "ค่ะ", "ครับ", "จ้า", "จ้ะ", "นะ", "x", "ก", "/"]


@settings(deadline=None)  # no timing in unit tests: bench/parse_cost.py measures
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_trimming_is_what_it_was_on_short_tails(tail):
    link = "https://a.b/c" + "".join(tail)
    assert find_links(link) == [_trim_before(link)]


class _Counting:
    """A compiled pattern that adds up how many characters each call hands the regex engine."""

    SCANS = {"search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}

    def __init__(self, pattern: re.Pattern, tally: list[int]):
        self.pattern, self.tally = pattern, tally

    def __getattr__(self, name):
        method = getattr(self.pattern, name)
        if name not in self.SCANS:
            return method

        def counted(*args, **kwargs):
            string = args[1] if name in {"sub", "subn"} else args[0]
            pos = args[1] if name not in {"sub", "subn", "split"} and len(args) > 1 else 0
            self.tally[0] += len(string) - kwargs.get("pos", pos)
            return method(*args, **kwargs)

        return counted


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_the_parser_hands_the_regex_engine_each_character_a_few_times(name, monkeypatch):
    """No rescans: the characters every regex call is given add up to a small multiple of the
    message (before, one pass per trailing ".คะ" or per item code rescanned the rest)."""
    tally = [0]
    for attr, value in list(vars(parser).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(parser, attr, _Counting(value, tally))
    text, _ = ADVERSARIAL[name]
    parse_links(text), has_item_link(text), find_items(text)
    assert tally[0] <= 12 * len(text)


def test_a_repeated_item_or_too_many_links_are_explained_not_recorded():
    parsed = parse_links(f"O1 {U}1\nO2 {U}2\nO1 {U}3")
    assert {i.code: i.urls for i in parsed.items} == {"O1": [f"{U}1"], "O2": [f"{U}2"]}
    assert [(b.line_no, b.reason) for b in parsed.bad] == [(3, "ข้อ O1 ซ้ำกับบรรทัด 1")]
    many = parse_links("O1 " + " ".join(f"{U}{n}" for n in range(parser.MAX_LINKS + 1)))
    assert many.items == [] and "เกิน" in many.bad[0].reason


# Item 15: ลิงก์มีปัญหา judges each current link by its latest check.


def _checks(db, *outcomes):
    """Finish the queued checks in order, then add rechecks: (index, verdict) or (url, verdict)."""
    with db.session() as session:
        rows = session.scalars(select(LinkCheck).order_by(LinkCheck.id)).all()
        for row, verdict in zip(rows, outcomes[0], strict=True):
            row.status, row.verdict, row.note = "done", verdict, f"หมายเหตุ {verdict}"
        for index, verdict in outcomes[1:]:
            first = rows[index]
            session.add(
                LinkCheck(submission_id=first.submission_id, url=first.url, status="done",
                          verdict=verdict, note=f"หมายเหตุ {verdict}")
            )  # fmt: skip


def test_a_link_that_failed_and_then_passed_a_recheck_is_not_listed(say, db):
    say(f"O1 {SITE}/a\nO2 {SITE}/b\nO3 {SITE}/c")
    _checks(db, ["dead", "dead", "ok"], (0, "ok"))
    reply = text_of(say("ลิงก์มีปัญหา", COORDS, COORDINATOR))
    assert "ลิงก์มีปัญหา 1 รายการ · ตรวจอัตโนมัติไม่ได้ 0 รายการ" in reply
    assert "L004 O2" in reply and "L004 O1" not in reply


def test_two_links_of_one_item_are_judged_separately(say, db):
    say(f"O1 {SITE}/a {SITE}/b\nO2 {SITE}/c")
    _checks(db, ["dead", "unchecked", "dead"], (2, "ok"))
    reply = text_of(say("ลิงก์มีปัญหา", COORDS, COORDINATOR))
    assert "ลิงก์มีปัญหา 1 รายการ · ตรวจอัตโนมัติไม่ได้ 1 รายการ" in reply
    assert f"L004 O1 ลิงก์เสีย: หมายเหตุ dead ({SITE}/a)" in reply
    assert f"L004 O1 ({SITE}/b)" in reply and "O2" not in reply


def test_link_problems_rows_come_from_the_models_layer(say, db):
    from models.oit.records import link_problems
    from models.registry import Province

    say(f"O1 {SITE}/a {SITE}/b")
    _checks(db, ["ok", "dead"], (1, "login"), (0, "unchecked"))
    with db.session() as session:
        province = session.scalar(select(Province))
        rows = link_problems(session, [province.id])
    assert [(r.agency_code, r.item_code, r.url, r.verdict) for r in rows] == [
        ("L004", "O1", f"{SITE}/a", "unchecked"),
        ("L004", "O1", f"{SITE}/b", "login"),
    ]


# Item 16: IIT/EIT respondent counts.


def _counts(db) -> dict[str, tuple[int, int]]:
    with db.session() as session:
        rows = session.scalars(select(RespondentCount)).all()
        return {r.tool: (r.answered, r.target) for r in rows}


def test_a_bad_pair_stores_nothing_and_names_the_pair(say, db):
    reply = text_of(say("IIT 13/20 EIT 5/0"))
    assert "ยังไม่ได้บันทึก" in reply and "EIT 5/0" in reply and "เป้า" in reply
    assert _counts(db) == {}
    assert "IIT ซ้ำ" in text_of(say("IIT 13/20 IIT 14/20"))
    assert "100,000" in text_of(say("IIT 130000/200000"))
    assert _counts(db) == {}
    assert "IIT 13/20 ขาดอีก 7 คน" in text_of(say("IIT ๑๓/๒๐ EIT 5/5"))
    assert _counts(db) == {"IIT": (13, 20), "EIT": (5, 5)}


@pytest.mark.parametrize("pair", ["IIT 1²/20", "IIT ١٣/٢٠", "IIT 13/2০", "IIT 13/20คน"])
def test_digits_of_other_scripts_are_refused(say, db, pair):
    reply = text_of(say(pair))
    assert "ยังไม่ได้บันทึก" in reply and "0-9" in reply and "๐-๙" in reply
    assert _counts(db) == {}


def test_an_admin_of_several_agencies_chooses_and_the_counts_are_kept(say, runner, db):
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L005"]).exit_code == 0
    [message] = say("IIT 13/20 EIT ๕/๙๐")
    assert "หลายหน่วยงาน" in message["text"] and _counts(db) == {}
    choices = [i["action"] for i in message["quickReply"]["items"]]
    assert all(len(c["label"]) <= 20 for c in choices)
    [again] = [c["text"] for c in choices if c["text"].endswith("L004")]
    assert again == "IIT 13/20 EIT 5/90 L004"
    assert "บันทึกขององค์การบริหารส่วนตำบลบางระจัน" in text_of(say(again))
    assert _counts(db) == {"IIT": (13, 20), "EIT": (5, 90)}


def test_a_province_without_a_framework_is_told_and_nothing_is_stored(
    runner, db, post_events, worker, fake_line, tmp_path
):
    sheet = tmp_path / "chainat.csv"
    sheet.write_text(
        "code,name,type,district,website\nC001,สำนักงานจังหวัดชัยนาท,ส่วนราชการส่วนภูมิภาค,เมือง,\n"
    )
    assert (
        runner.invoke(args=["agencies", "import", str(sheet), "--province", "ชัยนาท"]).exit_code == 0
    )
    assert runner.invoke(args=["agencies", "bind-user", "Uchainat", "C001"]).exit_code == 0
    post_events(text_event("IIT 13/20", user_id="Uchainat"))
    worker.run_once()
    [reply] = [m["text"] for r in fake_line.state.sent for m in r["messages"]]
    assert "ยังไม่มีกรอบการประเมิน" in reply and "ยังไม่ได้บันทึก" in reply
    with db.session() as session:
        assert session.scalar(select(func.count(RespondentCount.id))) == 0
        assert session.scalar(select(func.count(Submission.id))) == 0
