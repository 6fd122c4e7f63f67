"""Reminders under stress: a broken province, held notices that grow old or long, quiet hours,
and group sizes the bot has not asked LINE for yet."""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from sqlalchemy import select

from bot.dev.chat import chat_ids
from models.line_text import units
from models.notices import HeldNotice, held
from models.notices.candidates import BANGKOK
from models.queues import OutboxMessage
from models.registry import Group
from scheduler.jobs import TASKS
from tests.notices.test_notifications import COORDS, LOCAL, REGIONAL, demo  # noqa: F401

OTHER = "อ่างทอง"
OTHER_GROUPS = {kind: chat_ids(f"ITA {kind} {OTHER}", "")[0]
                for kind in ("regional", "local", "coordinators")}  # fmt: skip


def utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(tzinfo=None)


def run_job(app, at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False), app.app_context():
        TASKS["send_notices"](at.isoformat())


def queued(db) -> dict[str, OutboxMessage]:
    with db.session() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.notification_key.is_not(None))
        )
        return {row.notification_key: row for row in rows}


def add_other_province(db) -> int:
    """A second province with the demo's calendar, three groups and two agencies."""
    from models.registry import ChatSetup, Province
    from models.registry.agency_import import import_agencies, province_named
    from models.year import Phase
    from models.year.calendar import replace, show

    with db.session() as session:
        first = session.scalar(select(Province))
        other = province_named(session, OTHER, create=True)
        rows = [
            {"code": "X001", "name": f"สำนักงานจังหวัด{OTHER}", "type": "ส่วนราชการส่วนภูมิภาค"},
            {"code": "X101", "name": "อบต.โพสะ", "type": "องค์กรปกครองส่วนท้องถิ่น"},
        ]
        import_agencies(session, rows, other, actor="test")
        document = show(session, first, session.scalar(select(Phase.fiscal_year)))
        document["province"] = OTHER
        replace(session, other, document)
        for kind, group_id in OTHER_GROUPS.items():
            group = Group(line_group_id=group_id, name=f"ITA {kind} {OTHER}", member_count=5,
                          member_count_at=dt.datetime(2030, 1, 1))  # fmt: skip
            session.add(group)
            session.flush()
            session.add(ChatSetup(group_id=group.id, province_id=other.id, kind=kind))
        return other.id


# Item 17: one province's failure stays in that province.


def test_a_province_that_fails_does_not_stop_the_others(demo, db, monkeypatch, caplog):
    from models.notices import text as notice_text

    broken = add_other_province(db)
    real = notice_text.active_framework

    def framework(session, province, today, *args):
        return None if province.id == broken else real(session, province, today, *args)

    monkeypatch.setattr(notice_text, "active_framework", framework)
    at = dt.datetime(2027, 2, 1, 9, tzinfo=BANGKOK)  # phase 1 summaries in both provinces
    run_job(demo, at)
    run_job(demo, at)  # a catch-up: the failure notice still goes once
    rows = queued(db)
    assert any(k.startswith("phase_summary:") and r.to == COORDS for k, r in rows.items())
    assert not any(r.to in OTHER_GROUPS.values() and not k.startswith("notice_failure")
                   for k, r in rows.items())  # fmt: skip
    failures = [r for k, r in rows.items() if k.startswith("notice_failure")]
    assert [r.to for r in failures] == [OTHER_GROUPS["coordinators"]]
    text = json.loads(failures[0].messages)[0]["text"]
    assert f"จังหวัด{OTHER}" in text and "ไม่สำเร็จ" in text
    logged = [r for r in caplog.records if "province" in r.getMessage()]
    assert logged and all("ระยะที่" not in r.getMessage() for r in logged)


def test_a_province_whose_calendar_cannot_be_read_is_left_out_of_the_plan(demo, db, monkeypatch):
    from models.notices import candidates as notifications

    broken = add_other_province(db)
    real = notifications.candidates

    def candidates(session, province, year):
        if province.id == broken:
            raise ValueError("a damaged calendar")
        return real(session, province, year)

    monkeypatch.setattr(notifications, "candidates", candidates)
    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)
    run_job(demo, at)
    rows = queued(db)
    assert {r.to for k, r in rows.items() if k.startswith("reminder:")} == {REGIONAL, LOCAL}
    failures = [r.to for k, r in rows.items() if k.startswith("notice_failure")]
    assert failures == [OTHER_GROUPS["coordinators"]]


# Item 18 (a): a held notice always fits in one LINE text.


def test_held_notices_are_cut_to_fit_one_text(db):
    now = dt.datetime(2027, 1, 28, 2)
    lines = [f"• A{i:03d} องค์การบริหารส่วนตำบลตัวอย่าง 🙂🙂 ยังไม่ส่ง 3 ข้อ" for i in range(400)]
    with db.session() as session:
        held.hold(session, "k:new", "Cg", "\n".join(lines), now)
        session.add(HeldNotice(key="k:old", group_id="Cg", text="🙂" * 9000, created_at=now))
    with db.session() as session:
        texts = held.take(session, "Cg", now)
    assert len(texts) == 2
    assert all(units(text) <= 4500 for text in texts), "room left for the header and more"
    assert texts[0].splitlines()[0] == lines[0] and "และอีก" in texts[0].splitlines()[-1]


# Item 18 (b): a held countdown never arrives as if its deadline were still ahead.


def test_a_held_countdown_is_dropped_after_its_deadline_and_marked_on_the_day(demo, db):
    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 70  # the 3-day reminders cannot be pushed
    run_job(demo, dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK))
    with db.session() as session:
        keys = set(session.scalars(select(HeldNotice.key)))
    assert {k.split(":")[3] for k in keys if k.startswith("reminder:")} == {"3"}
    with db.session() as session:  # 1 Feb: the 31 January deadline has passed
        assert held.take(session, LOCAL, utc(dt.datetime(2027, 2, 1, 10, tzinfo=BANGKOK))) == []
    with db.session() as session:  # 31 Jan: the deadline is today
        texts = held.take(session, REGIONAL, utc(dt.datetime(2027, 1, 31, 10, tzinfo=BANGKOK)))
    assert len(texts) == 1
    assert texts[0].startswith("⏰ วันนี้ครบกำหนดแล้ว (31 ม.ค. 2570)")
    assert "แจ้งไว้เมื่อ 28 ม.ค. 2570" in texts[0].splitlines()[0]
    with db.session() as session:
        left = session.scalars(select(HeldNotice).where(HeldNotice.delivered_at.is_(None))).all()
    assert left == [], "a dropped notice is not listed as held any more"


def test_a_held_notice_taken_a_later_day_says_when_it_was_written(db):
    now = dt.datetime(2027, 1, 22, 2)
    due = dt.datetime(2027, 1, 31, 17)  # 1 Feb 00:00 in Bangkok
    with db.session() as session:
        held.hold(session, "k", "Cg", "⏰ ครบกำหนดอีก 7 วัน", now, due_at=due)
    with db.session() as session:
        texts = held.take(session, "Cg", dt.datetime(2027, 1, 25, 3))
    assert texts == ["🕘 แจ้งไว้เมื่อ 22 ม.ค. 2570\n⏰ ครบกำหนดอีก 7 วัน"]


# Item 18 (c): what the planner counts is sent, at the first moment quiet hours allow.


def test_a_notice_due_in_quiet_hours_waits_for_the_next_allowed_moment(demo, db, worker, fake_line):
    demo.config["QUIET_HOURS_END"] = 10  # no pushes before 10:00: the 09:00 notices must wait
    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)
    run_job(demo, at)
    reminders = {k: r for k, r in queued(db).items() if k.startswith("reminder:")}
    assert {r.to for r in reminders.values()} == {REGIONAL, LOCAL}
    with time_machine.travel(at + dt.timedelta(minutes=30), tick=False):
        worker.run_once()
    assert not [s for s in fake_line.state.sent if s["kind"] == "push"]
    with time_machine.travel(at + dt.timedelta(hours=1, minutes=1), tick=False):
        worker.run_once()
    assert {s["to"] for s in fake_line.state.sent if s["kind"] == "push"} == {REGIONAL, LOCAL}


# Item 21: sizes the bot has not asked for are asked for, or shown as assumed.


def forget_size(db, group_id: str) -> None:
    with db.session() as session:
        group = session.scalar(select(Group).where(Group.line_group_id == group_id))
        group.member_count = group.member_count_at = None


def asked(fake_line, group_id: str) -> bool:
    return ("GET", f"/v2/bot/group/{group_id}/members/count") in fake_line.state.requests


def test_preview_asks_line_for_a_size_it_does_not_know(demo, db, runner, fake_line):
    forget_size(db, LOCAL)
    fake_line.state.set_member_count(LOCAL, 12)
    result = runner.invoke(args=["notifications", "preview", "--at", "2027-01-28T09:00", "--json"])
    assert result.exit_code == 0, result.output
    local = next(r for r in json.loads(result.output) if r["group_id"] == LOCAL)
    assert asked(fake_line, LOCAL) and local["estimated_messages"] == 12
    assert local["size_assumed"] is False
    with db.session() as session:
        assert session.scalar(select(Group.member_count).where(Group.line_group_id == LOCAL)) == 12


def test_preview_offline_does_not_ask_and_says_which_sizes_are_assumed(demo, db, runner, fake_line):
    forget_size(db, LOCAL)
    args = ["notifications", "preview", "--at", "2027-01-28T09:00", "--offline"]
    rows = json.loads(runner.invoke(args=[*args, "--json"]).output)
    text = runner.invoke(args=args).output
    assert not asked(fake_line, LOCAL)
    local = next(r for r in rows if r["group_id"] == LOCAL)
    assert local["estimated_messages"] == 40 and local["size_assumed"] is True
    assert all(not r["size_assumed"] for r in rows if r["group_id"] != LOCAL)
    assert "ITA อปท. สิงห์บุรี" in text.split("ยังไม่ทราบจำนวนสมาชิก")[1]


def test_budget_shows_which_figures_are_assumed(demo, db, runner):
    forget_size(db, LOCAL)
    with time_machine.travel(dt.datetime(2027, 3, 2, 3, tzinfo=dt.UTC), tick=False):
        report = json.loads(runner.invoke(args=["budget", "--json"]).output)
        text = runner.invoke(args=["budget"]).output
    assumed = {p["group_id"] for p in report["plan"] if p["size_assumed"]}
    assert assumed == {LOCAL} and report["assumed_sizes"] == [LOCAL]
    assert "ยังไม่ทราบจำนวนสมาชิก" in text and "ITA อปท. สิงห์บุรี" in text
