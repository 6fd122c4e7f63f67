"""Display names come from LINE's profile API, refreshed weekly, never from what people type."""

from __future__ import annotations

import datetime as dt
import logging

import time_machine
from sqlalchemy import select

from bot import profiles
from bot.dev.eventfactory import text_event
from bot.line_client import LineError
from bot.worker import Worker
from models.registry import Person


def _name(db, user_id):
    with db.session() as session:
        return session.scalar(select(Person.display_name).where(Person.line_user_id == user_id))


def _profile_calls(fake_line, user_id):
    return [path for _, path in fake_line.state.requests if path.endswith(f"/{user_id}")]


def test_group_member_name_is_fetched_before_the_first_reply(fake_line, post_events, worker, db):
    fake_line.state.set_profile("Uname01", "สมหญิง รักดี")
    post_events(text_event("ผมชื่อ นายกอไก่ นะครับ", group_id="Cg1", user_id="Uname01"))
    worker.run_once()
    assert _name(db, "Uname01") == "สมหญิง รักดี"
    assert _profile_calls(fake_line, "Uname01") == [
        "/v2/bot/group/Cg1/member/Uname01",
        "/v2/bot/profile/Uname01",  # one more call: is the sender a friend of the bot?
    ]


def test_one_to_one_uses_the_friend_profile(fake_line, post_events, worker, db):
    fake_line.state.set_profile("Uname02", "ผอ.กองคลัง")
    fake_line.state.set_friend("Uname02", True)
    post_events(text_event("สวัสดี", user_id="Uname02"))
    worker.run_once()
    assert _name(db, "Uname02") == "ผอ.กองคลัง"
    assert _profile_calls(fake_line, "Uname02") == ["/v2/bot/profile/Uname02"]


def test_name_is_refreshed_after_a_week_not_before(fake_line, post_events, worker, db):
    start = dt.datetime(2027, 1, 4, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        fake_line.state.set_profile("Uname03", "ชื่อเดิม")
        post_events(text_event("ข้อความแรก", group_id="Cg1", user_id="Uname03"))
        worker.run_once()
    fake_line.state.set_profile("Uname03", "ชื่อใหม่")
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        post_events(text_event("ข้อความสอง", group_id="Cg1", user_id="Uname03"))
        worker.run_once()
    assert _name(db, "Uname03") == "ชื่อเดิม"
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        post_events(text_event("ข้อความสาม", group_id="Cg1", user_id="Uname03"))
        worker.run_once()
    assert _name(db, "Uname03") == "ชื่อใหม่"
    assert len(_profile_calls(fake_line, "Uname03")) == 4  # each look-up: name, friendship


class RefusingClient:
    def __init__(self):
        self.calls = 0

    def group_member_name(self, group_id, user_id):
        self.calls += 1
        raise LineError(404, "Not found", False)

    def friend_name(self, user_id):
        raise LineError(500, "down", True)

    def basic_id(self):
        raise LineError(500, "down", True)


def test_a_refused_profile_leaves_no_name_and_retries_an_hour_later(app, db, post_events):
    client, now = RefusingClient(), dt.datetime(2027, 1, 4, 3, 0, tzinfo=dt.UTC)
    worker = Worker(app, client)

    def chat_at(moment):
        with time_machine.travel(moment, tick=False):
            post_events(text_event("x", group_id="Cg1", user_id="Uname04"))
            worker.run_once()

    chat_at(now)
    chat_at(now + dt.timedelta(minutes=30))
    assert client.calls == 1 and _name(db, "Uname04") is None
    chat_at(now + dt.timedelta(minutes=61))
    assert client.calls == 2


def test_names_cannot_carry_control_characters():
    assert profiles.clean_name("สม\u202eชาย\n\tใจดี" + "ก" * 300)[:10] == "สมชาย ใจดี"
    assert len(profiles.clean_name("ก" * 300)) == 200


def _friend(db, user_id):
    with db.session() as session:
        return session.scalar(select(Person.is_friend).where(Person.line_user_id == user_id))


def test_the_weekly_refresh_records_friendship(fake_line, post_events, worker, db):
    start = dt.datetime(2027, 1, 4, 3, 0, tzinfo=dt.UTC)
    fake_line.state.set_friend("Ufr01", False)
    with time_machine.travel(start, tick=False):
        post_events(text_event("สวัสดี", group_id="Cg1", user_id="Ufr01"))
        worker.run_once()
    assert _friend(db, "Ufr01") is False and _name(db, "Ufr01")  # the name still came
    fake_line.state.set_friend("Ufr01", True)  # added the bot; its follow event was lost
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        post_events(text_event("ยังไม่ถึงสัปดาห์", group_id="Cg1", user_id="Ufr01"))
        worker.run_once()
    assert _friend(db, "Ufr01") is False
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        post_events(text_event("ครบสัปดาห์", group_id="Cg1", user_id="Ufr01"))
        worker.run_once()
    assert _friend(db, "Ufr01") is True


def test_one_to_one_one_call_gives_name_and_friendship(fake_line, post_events, worker, db):
    fake_line.state.set_profile("Ufr02", "คุณเพื่อน")
    fake_line.state.set_friend("Ufr02", True)
    post_events(text_event("สวัสดี", user_id="Ufr02"))
    worker.run_once()
    assert _name(db, "Ufr02") == "คุณเพื่อน" and _friend(db, "Ufr02") is True
    assert _profile_calls(fake_line, "Ufr02") == ["/v2/bot/profile/Ufr02"]


def test_a_failed_friend_check_changes_nothing_and_the_event_is_answered(
    fake_line, post_events, worker, db, caplog
):
    caplog.set_level(logging.INFO, logger="bot.profiles")
    start = dt.datetime(2027, 1, 4, 3, 0, tzinfo=dt.UTC)
    fake_line.state.set_profile("Ufr03", "สมศรี")
    fake_line.state.set_friend("Ufr03", True)
    with time_machine.travel(start, tick=False):
        post_events(text_event("สวัสดี", group_id="Cg1", user_id="Ufr03"))
        worker.run_once()
    assert _friend(db, "Ufr03") is True
    fake_line.state.fail_next("profile", status=500)
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        post_events(text_event("ช่วยเหลือ", group_id="Cg1", user_id="Ufr03"))
        worker.run_once()
    assert _name(db, "Ufr03") == "สมศรี" and _friend(db, "Ufr03") is True
    assert [r["kind"] for r in fake_line.state.sent] == ["reply"]
    assert "friend profile not available: 500" in caplog.text
