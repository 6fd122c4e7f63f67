"""Joining, leaving and friendship events, through the signed webhook and the stand-in."""

from __future__ import annotations

from sqlalchemy import select

from bot.dev.eventfactory import base_event
from models.registry import Group, Person


def sent_texts(fake_line) -> list[str]:
    return [m["text"] for record in fake_line.state.sent for m in record["messages"]]


def test_join_welcomes_and_says_how_to_set_up(post_events, worker, fake_line):
    post_events(base_event("join", group_id="Cnew", user_id=None))
    worker.run_once()
    [text] = sent_texts(fake_line)
    assert "ตั้งค่ากลุ่ม" in text and "ช่วยเหลือ" in text


def test_leave_marks_the_group_inactive_and_keeps_it(post_events, worker, db, fake_line):
    post_events(base_event("join", group_id="Cbye", user_id=None))
    worker.run_once()
    post_events(base_event("leave", group_id="Cbye", user_id=None))
    worker.run_once()
    with db.session() as session:
        group = session.scalar(select(Group).where(Group.line_group_id == "Cbye"))
        assert group is not None and group.active is False and group.left_at is not None
    post_events(base_event("join", group_id="Cbye", user_id=None))
    worker.run_once()
    with db.session() as session:
        assert session.scalar(select(Group.active).where(Group.line_group_id == "Cbye")) is True


def test_member_joined_gets_one_greeting_member_left_gets_none(post_events, worker, fake_line):
    joined = {"members": [{"type": "user", "userId": "Ua"}, {"type": "user", "userId": "Ub"}]}
    post_events(base_event("memberJoined", group_id="Cg", user_id=None, joined=joined))
    post_events(base_event("memberLeft", group_id="Cg", user_id=None, left=joined))
    worker.run_once()
    texts = sent_texts(fake_line)
    assert len(texts) == 1 and "ยินดีต้อนรับ" in texts[0]


def test_follow_and_unfollow_track_friendship(post_events, worker, db, fake_line):
    post_events(base_event("follow", user_id="Ufriend", follow={"isUnblocked": False}))
    worker.run_once()
    with db.session() as session:
        assert session.scalar(select(Person.is_friend).where(Person.line_user_id == "Ufriend"))
    post_events(base_event("unfollow", user_id="Ufriend"))
    worker.run_once()
    with db.session() as session:
        assert not session.scalar(select(Person.is_friend).where(Person.line_user_id == "Ufriend"))
    assert len(fake_line.state.sent) == 1
