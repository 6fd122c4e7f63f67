"""Help for this person here (issue 13 item 11): one screen by default, by role and chat;
one command's usage on request; every command on request."""

from __future__ import annotations

import pytest

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from handlers import build_router
from handlers.permissions import COORDINATOR_ONLY, in_group, known_person
from handlers.replies import Reply
from handlers.router import Router

LOCAL, REGIONAL = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["regional"], "")[0]
COORDS = chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
ROUTER = build_router()
EVERYONE = {"ลงทะเบียน", "ฉันคือใคร", "กำหนดการ", "สถานะ", "ถาม"}
ADMIN_ONLY = {"ส่ง", "ยกเลิก"}
COORDINATOR_COMMANDS = {
    c.keywords[0] for c in ROUTER.commands if any(m.__name__ == "coordinator" for m in c.middleware)
}
SCREEN = 700


@pytest.fixture
def say(demo_chat):
    """Send one text as a user in a chat; returns the texts the bot sent for it."""
    return lambda *args, **kw: [m["text"] for _, m in demo_chat(*args, **kw)]


def words(text: str) -> set[str]:
    """The whitespace-separated words of a help text, bullets and separators left out."""
    return set(text.replace("·", " ").replace("•", " ").replace("—", " ").split())


@pytest.mark.parametrize(
    "who, where, can, cannot",
    [
        ("Uofficer", LOCAL, EVERYONE, ADMIN_ONLY | COORDINATOR_COMMANDS | {"ตั้งค่ากลุ่ม"}),
        ("Uofficer", None, EVERYONE, ADMIN_ONLY | COORDINATOR_COMMANDS | {"ตั้งค่ากลุ่ม"}),
        ("Uadmin01", LOCAL, EVERYONE | ADMIN_ONLY | {"คะแนน"}, COORDINATOR_COMMANDS),
        ("Uadmin01", None, EVERYONE | ADMIN_ONLY | {"คะแนน"}, COORDINATOR_COMMANDS),
        (COORDINATOR, COORDS, COORDINATOR_COMMANDS | {"ตั้งค่ากลุ่ม", "คะแนน"}, ADMIN_ONLY),
        (COORDINATOR, REGIONAL, COORDINATOR_COMMANDS | {"ตั้งค่ากลุ่ม"}, ADMIN_ONLY),
        (COORDINATOR, None, COORDINATOR_COMMANDS, ADMIN_ONLY | {"ตั้งค่ากลุ่ม"}),
    ],
    ids=[
        "member-local",
        "member-direct",
        "admin-local",
        "admin-direct",
        "coordinator-coordinators",
        "coordinator-regional",
        "coordinator-direct",
    ],
)
def test_help_shows_what_this_person_can_do_here_on_one_screen(say, who, where, can, cannot):
    [text] = say("ช่วยเหลือ", group_id=where, user_id=who)
    assert len(text) <= SCREEN, len(text)
    assert can <= words(text), can - words(text)
    assert not cannot & words(text), cannot & words(text)
    assert "ช่วยเหลือ ทั้งหมด" in text


def test_a_coordinator_who_is_also_an_admin_still_gets_one_screen(say, runner):
    assert runner.invoke(args=["agencies", "bind-user", COORDINATOR, "L004"]).exit_code == 0
    for where in (LOCAL, COORDS, None):
        [text] = say("ช่วยเหลือ", group_id=where, user_id=COORDINATOR)
        assert len(text) <= SCREEN, len(text)
        assert words(text) >= (COORDINATOR_COMMANDS | ADMIN_ONLY) and "O1 https://…" in text


def test_help_names_the_place(say):
    assert "อปท." in say("ช่วยเหลือ", LOCAL, "Uofficer")[0]
    assert "ส่วนภูมิภาค" in say("ช่วยเหลือ", REGIONAL, "Uofficer")[0]
    assert "ผู้ประสานงาน" in say("ช่วยเหลือ", COORDS, COORDINATOR)[0].splitlines()[0]
    assert "แชตส่วนตัว" in say("ช่วยเหลือ", None, "Uofficer")[0]


def test_an_admin_sees_how_to_send_a_link(say):
    assert "O1 https://" in say("ช่วยเหลือ")[0]


def test_help_for_one_command_shows_its_usage_only(say):
    [text] = say("ช่วยเหลือ ตรวจ", COORDS, COORDINATOR)
    review = ROUTER.find_command("ตรวจ")
    assert review.help in text and review.usage in text
    assert "รอตรวจ" not in words(text) and "อนุมัติ" not in words(text)
    assert say("ช่วยเหลือ ส่งค่ะ")[0].count("O1 https://") >= 1


def test_help_for_an_unknown_command_points_to_the_full_list(say):
    [text] = say("ช่วยเหลือ บินไปดวงจันทร์")
    assert "ไม่พบคำสั่ง" in text and "ช่วยเหลือ ทั้งหมด" in text


def test_the_full_list_names_every_command(say):
    text = "\n".join(say("ช่วยเหลือ ทั้งหมด", user_id="Uofficer"))
    assert {c.keywords[0] for c in ROUTER.commands} <= words(text)


def test_who_sees_what_comes_from_the_middleware():
    """A command guarded by the coordinator middleware is a coordinator's, with no list to keep."""
    from handlers.help import ADMIN, MEMBER, commands_for
    from handlers.help import COORDINATOR as COORDINATOR_ROLE

    router = Router()

    def plain(ctx, args):
        """คำสั่งของทุกคน"""
        return Reply.text("ok")

    def guarded(ctx, args):
        """คำสั่งที่ไม่มีป้ายบอกบทบาท"""
        return Reply.text("ok")

    def grouped(ctx, args):
        """คำสั่งในกลุ่ม"""
        return Reply.text("ok")

    def tagged(ctx, args):
        """คำสั่งของแอดมิน (แอดมินหน่วยงาน)"""
        return Reply.text("ok")

    router.command("ทุกคน")(plain)
    router.command("แอดมิน")(tagged)
    router.command("คุมไว้", middleware=COORDINATOR_ONLY)(guarded)
    router.command("ในกลุ่ม", middleware=(in_group, known_person))(grouped)

    def keywords(role, group):
        return [c.keywords[0] for c in commands_for(router, role, in_group=group)]

    assert keywords(MEMBER, True) == ["ทุกคน", "ในกลุ่ม"]
    assert keywords(MEMBER, False) == ["ทุกคน"]
    assert keywords(ADMIN, False) == ["แอดมิน"]
    assert keywords(COORDINATOR_ROLE, True) == ["คุมไว้"]
    assert keywords(COORDINATOR_ROLE, False) == ["คุมไว้"]
