"""Who may change what a group is for: nobody takes another province's group by chat."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import text_event
from models.registry import ChatSetup, Group, Province, roles
from models.registry.agency_import import province_named

COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
OTHER = "U" + "7" * 32  # a coordinator of another province only
KIND_WORD = {"regional": "ภูมิภาค", "local": "ท้องถิ่น", "coordinators": "ผู้ประสานงาน"}


@pytest.fixture
def say(runner, post_events, worker, fake_line, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with db.session() as session:
        province_named(session, "อ่างทอง", create=True)
    grant = runner.invoke(args=["roles", "grant", OTHER, "coordinator", "--province", "อ่างทอง"])
    assert grant.exit_code == 0

    def send(text, group_id, user_id):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id))
        worker.run_once()
        return [m["text"] for r in fake_line.state.sent[before:] for m in r["messages"]]

    return send


def setup_of(db, line_group_id):
    with db.session() as session:
        row = session.execute(
            select(ChatSetup.kind, Province.name)
            .join(Group, Group.id == ChatSetup.group_id)
            .join(Province, Province.id == ChatSetup.province_id)
            .where(Group.line_group_id == line_group_id)
        ).one_or_none()
        return tuple(row) if row else None


@pytest.mark.parametrize("kind", ["regional", "local", "coordinators"])
def test_a_coordinator_of_another_province_cannot_take_a_group(say, db, kind):
    group = chat_ids(GROUPS[kind], "")[0]
    before = setup_of(db, group)
    assert before == (kind, "สิงห์บุรี")
    for target in ("ภูมิภาค", "ท้องถิ่น", "ผู้ประสานงาน"):
        [answer] = say(f"ตั้งค่ากลุ่ม {target} อ่างทอง ยืนยัน", group, OTHER)
        assert "ขออภัย" in answer and "สิงห์บุรี" in answer
    assert setup_of(db, group) == before
    # the rightful coordinators still run the group
    assert "ขออภัย" not in say("รอตรวจ", group, COORDINATOR)[0]


@pytest.mark.parametrize("kind", ["regional", "local", "coordinators"])
def test_moving_a_group_needs_both_provinces(say, db, kind):
    group = chat_ids(GROUPS[kind], "")[0]
    [answer] = say(f"ตั้งค่ากลุ่ม {KIND_WORD[kind]} อ่างทอง ยืนยัน", group, COORDINATOR)
    assert "ขออภัย" in answer and "อ่างทอง" in answer
    assert setup_of(db, group) == (kind, "สิงห์บุรี")
    with db.session() as session:  # make the demo coordinator coordinate both
        person = roles.person(session, COORDINATOR)
        province = session.scalar(select(Province).where(Province.name == "อ่างทอง"))
        roles.grant(session, person, roles.COORDINATOR, province)
    [answer] = say(f"ตั้งค่ากลุ่ม {KIND_WORD[kind]} อ่างทอง ยืนยัน", group, COORDINATOR)
    assert "ตั้งค่าเรียบร้อย" in answer
    assert setup_of(db, group) == (kind, "อ่างทอง")


def test_a_new_group_is_set_up_by_a_coordinator_of_its_province(say, db):
    assert "ตั้งค่าเรียบร้อย" in say("ตั้งค่ากลุ่ม ท้องถิ่น อ่างทอง", "Cnew", OTHER)[0]
    assert "ขออภัย" in say("ตั้งค่ากลุ่ม ท้องถิ่น สิงห์บุรี ยืนยัน", "Cnew", COORDINATOR)[0]
    assert setup_of(db, "Cnew") == ("local", "อ่างทอง")


def test_operator_lists_and_sets_groups(say, runner, db):
    group = chat_ids(GROUPS["local"], "")[0]
    listed = runner.invoke(args=["groups", "list", "--province", "สิงห์บุรี"])
    assert listed.exit_code == 0 and group in listed.output
    assert "local จังหวัดสิงห์บุรี" in listed.output
    moved = runner.invoke(
        args=["groups", "set", group, "--province", "อ่างทอง", "--kind", "regional"]
    )
    assert moved.exit_code == 0, moved.output
    assert setup_of(db, group) == ("regional", "อ่างทอง")
    assert group not in runner.invoke(args=["groups", "list", "--province", "สิงห์บุรี"]).output
    assert runner.invoke(args=["groups", "set", group, "--province", "ไม่มี",
                               "--kind", "local"]).exit_code != 0  # fmt: skip


def test_a_group_just_set_up_has_its_size_asked_of_line(say, db, fake_line):
    fake_line.state.set_member_count("Cnew", 17)
    say("ตั้งค่ากลุ่ม ท้องถิ่น อ่างทอง", "Cnew", OTHER)
    with db.session() as session:
        group = session.scalar(select(Group).where(Group.line_group_id == "Cnew"))
        assert group.member_count == 17 and group.member_count_at is not None


def test_operator_cannot_set_up_a_group_the_bot_is_not_in(say, runner, db):
    result = runner.invoke(
        args=["groups", "set", "Ctypo", "--province", "อ่างทอง", "--kind", "local"]
    )
    assert result.exit_code != 0 and "groups list" in result.output
    assert setup_of(db, "Ctypo") is None
