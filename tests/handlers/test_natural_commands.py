"""Commands as officers type them: polite particles glued on, a keyword glued to an item code,
a softened ถาม, a bare @mention (issue 13 items 1 and 3), end to end through the signed webhook."""

from __future__ import annotations

import pytest

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import text_event
from handlers import build_router
from handlers.router import split_command

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
SITE = "https://www.bangrachan-sao.go.th"
KEYWORDS = [k for c in build_router().commands for k in c.keywords]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("สถานะ", ("สถานะ", "")),
        ("  /HELP  me please ", ("help", "me please")),
        ("ช่วยเหลือค่ะ", ("ช่วยเหลือ", "")),
        ("สถานะค่ะ", ("สถานะ", "")),
        ("สถานะ ค่ะ", ("สถานะ", "")),
        ("สถานะนะคะ", ("สถานะ", "")),
        ("กำหนดการครับ", ("กำหนดการ", "")),
        ("ฉันคือใครคะ", ("ฉันคือใคร", "")),
        ("รอตรวจจ้า", ("รอตรวจ", "")),
        ("สรุปฮะ", ("สรุป", "")),
        ("ส่งแทนค่ะ L004 O5 https://a.go.th", ("ส่งแทน", "L004 O5 https://a.go.th")),
        ("ยกเลิกแอดมินนะครับ @x L004", ("ยกเลิกแอดมิน", "@x L004")),
        ("ลงทะเบียนค่ะ อบต.ไม้ดัด", ("ลงทะเบียน", "อบต.ไม้ดัด")),
        ("ลงทะเบียน ค่ะ อบต.ไม้ดัด", ("ลงทะเบียน", "อบต.ไม้ดัด")),
        ("สถานะ อบต.ไม้ดัดค่ะ", ("สถานะ", "อบต.ไม้ดัด")),
        ("ยกเลิกข้อ 2 ค่ะ", ("ยกเลิก", "ข้อ 2")),
        ("ยกเลิกO2", ("ยกเลิก", "O2")),
        ("ยกเลิกo.2 O3 นะคะ", ("ยกเลิก", "o.2 O3")),
        ("ถามหน่อยค่ะ อิต้า ปีนี้ส่งถึงวันไหน", ("ถาม", "อิต้า ปีนี้ส่งถึงวันไหน")),
        ("ถาม หน่อยครับ OIT มีกี่ข้อ", ("ถาม", "OIT มีกี่ข้อ")),
        ("ถามนิดนึงค่ะ OIT มีกี่ข้อ", ("ถาม", "OIT มีกี่ข้อ")),
        ("ส่ง\nO1 https://a.go.th/x ค่ะ", ("ส่ง", "O1 https://a.go.th/x")),
        ("ส่ง O1 https://a.go.th/ค่ะ", ("ส่ง", "O1 https://a.go.th/ค่ะ")),  # links trim their own
        ("คะแนน L004 IIT 90 ตั้งค่า", ("คะแนน", "L004 IIT 90 ตั้งค่า")),  # ค่า is a word here
        # words that change the meaning are not particles: not a command
        ("ส่งด้วยนะคะ", ("", "ส่งด้วยนะคะ")),
        ("ตรวจหน่อยค่ะ", ("", "ตรวจหน่อยค่ะ")),
        ("สรุปหน่อยครับ", ("", "สรุปหน่อยครับ")),
        ("สรุปคือ…", ("", "สรุปคือ…")),
        ("ส่งแล้วนะคะ", ("", "ส่งแล้วนะคะ")),
        ("ยกเลิกประชุมพรุ่งนี้นะคะ", ("", "ยกเลิกประชุมพรุ่งนี้นะคะ")),
        ("ตรวจสอบแล้วค่ะ", ("", "ตรวจสอบแล้วค่ะ")),
        ("ช่วยเหลือหน่อยได้ไหม", ("", "ช่วยเหลือหน่อยได้ไหม")),
        ("ส่งข้อ 5 แล้วนะคะ", ("", "ส่งข้อ 5 แล้วนะคะ")),
        ("รับทราบค่ะ", ("", "รับทราบค่ะ")),
        ("", ("", "")),
    ],
)
def test_split_command_table(text, expected):
    assert split_command(text, KEYWORDS) == expected


def test_split_command_is_linear_on_long_particle_runs():
    """A message of thousands of particles is read once, not once per particle."""
    assert split_command("สถานะ" + " ค่ะ" * 2000, KEYWORDS) == ("สถานะ", "")
    assert split_command("สถานะ" + "ค่ะ" * 2000, KEYWORDS) == ("สถานะ", "")
    assert split_command("ยกเลิกข้อ" + " ๒" * 2000 + "แล้ว", KEYWORDS)[0] == ""


@pytest.fixture
def say(runner, post_events, worker, fake_line):
    """Send one text as a user in a chat; returns the messages of the bot's reply there."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"]).exit_code == 0

    def send(text, group_id=LOCAL, user_id="Uadmin01", **kw):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id, **kw))
        worker.run_once()
        return [m for r in fake_line.state.sent[before:] if r["to"] is None for m in r["messages"]]

    return send


def shown(messages):
    return "\n".join(m.get("text") or m.get("altText") for m in messages)


@pytest.mark.parametrize(
    "typed, bare, user_id, group_id",
    [
        ("ช่วยเหลือค่ะ", "ช่วยเหลือ", "Uadmin01", LOCAL),
        ("สถานะค่ะ", "สถานะ", "Uadmin01", LOCAL),
        ("สถานะ ค่ะ", "สถานะ", "Uadmin01", LOCAL),
        ("กำหนดการค่ะ", "กำหนดการ", "Uadmin01", LOCAL),
        ("ฉันคือใครคะ", "ฉันคือใคร", "Uadmin01", LOCAL),
        ("รอตรวจค่ะ", "รอตรวจ", COORDINATOR, COORDS),
        ("ช่วยเหลือค่ะ", "ช่วยเหลือ", "Uadmin01", None),
    ],
)
def test_a_keyword_with_polite_particles_is_the_command(say, typed, bare, user_id, group_id):
    polite = shown(say(typed, group_id=group_id, user_id=user_id))
    assert polite and polite == shown(say(bare, group_id=group_id, user_id=user_id))
    assert "ยังไม่เข้าใจ" not in polite and "ไม่พบหน่วยงาน" not in polite


def test_registration_with_a_particle_registers_for_the_agency_named_after_it(say):
    reply = shown(say("ลงทะเบียนค่ะ อบต.ไม้ดัด", user_id="Unewadmin"))
    assert "องค์การบริหารส่วนตำบลไม้ดัด" in reply and "รอผู้ประสานงาน" in reply


def test_cancel_glued_to_an_item_code_withdraws_it(say):
    assert "บันทึก O2" in shown(say(f"O2 {SITE}/executives"))
    assert "ถอนลิงก์ O2" in shown(say("ยกเลิกข้อ 2 ค่ะ"))


def test_a_softened_question_is_a_question_to_the_bot(say):
    reply = say("ถามหน่อยค่ะ อิต้า ปีนี้ส่งถึงวันไหน", user_id="Uofficer")
    assert reply and "วิธีใช้" not in shown(reply)


@pytest.mark.parametrize(
    "chatter",
    [
        "ส่งด้วยนะคะ",
        "ตรวจหน่อยค่ะ",
        "สรุปหน่อยครับ",
        "สรุปคือ… ส่งพรุ่งนี้",
        "ส่งแล้วนะคะ",
        "ยกเลิกประชุมพรุ่งนี้นะคะ",
        "ตรวจสอบแล้วค่ะ",
        "ส่งข้อ 5 แล้วนะคะ",
    ],
)
@pytest.mark.parametrize("user_id", ["Uadmin01", COORDINATOR, "Uofficer"])
def test_words_that_change_the_meaning_stay_silent_in_groups(say, chatter, user_id):
    assert say(chatter, user_id=user_id) == []


def test_a_bare_mention_of_the_bot_gets_a_one_line_hint(say):
    [hint] = say("", mention_self=True, user_id="Uofficer")
    assert "\n" not in hint["text"] and "@ITA Bot" in hint["text"] and "ช่วยเหลือ" in hint["text"]
    [hint] = say("ครับ", mention_self=True, user_id="Uofficer")
    assert "ช่วยเหลือ" in hint["text"]
