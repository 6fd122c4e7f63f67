"""A whole demo round with time travel: the right notices, once each, within the budget."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
import time_machine
from sqlalchemy import select

from bot.chat import chat_ids
from bot.eventfactory import text_event
from models import Group, HeldNotice, OutboxMessage
from models.budget import month_candidates
from models.demo import GROUPS
from models.notifications import BANGKOK
from models.working_days import is_working_day
from scheduler.notify import send

REGIONAL, LOCAL, COORDS = (
    chat_ids(GROUPS[k], "")[0] for k in ("regional", "local", "coordinators")
)
KIND_OF = {REGIONAL: "regional", LOCAL: "local", COORDS: "coordinators"}
SIZES = {REGIONAL: 40, LOCAL: 40, COORDS: 5}


@pytest.fixture
def demo(runner, db, fake_line, app):
    with time_machine.travel(dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC), tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with db.session() as session:
        for group in session.scalars(select(Group)):
            group.member_count = SIZES[group.line_group_id]
            group.member_count_at = dt.datetime(2030, 1, 1)  # fresh for the whole round
    for group_id, size in SIZES.items():
        fake_line.state.set_member_count(group_id, size)
    return app


def moments(db, start, end):
    with db.session() as session:
        found, cursor = set(), start
        while cursor < end:
            found |= {c.at for c in month_candidates(session, cursor) if start <= c.at < end}
            cursor = (cursor.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return sorted(found)


def run_round(db, worker, app, start, end):
    for at in moments(db, start, end):
        with time_machine.travel(at, tick=False):
            with db.session() as session:
                send(session, at, app.config, at.astimezone(dt.UTC).replace(tzinfo=None))
            worker.run_once()


def sent_notices(db):
    with db.session() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.notification_key.is_not(None))
        ).all()
        return [(r.notification_key, r.to, r.sent_at, r.status, r.recipients) for r in rows]


# Worked out by hand from the demo calendar (phases end 31 Jan, 31 Mar, 25 Apr; ITAS closes OIT
# on 30 Apr), the 2027 holidays, 09:00 on working days, and 300 messages a month for two
# 40-member agency groups and a 5-member coordinators' group. Leads falling on a weekend move
# to the previous working day; two leads on one day keep the more important one. When a month
# cannot afford every lead, the day before, the day itself, 3 days, then 7 days are kept, in
# that order, group by group; the rest is held for replies and coordinators are told once.
AGENCY_GROUPS = ("regional", "local")


def both(day: str, key: str) -> list[tuple]:
    return [(day, kind, key) for kind in AGENCY_GROUPS]


EXPECTED_PUSHES = sorted(
    both("01-22", "reminder:phase:1:7") + both("01-28", "reminder:phase:1:3")
    + both("01-29", "reminder:phase:1:1")
    + [("02-01", "coordinators", "phase_summary:phase:1:-1")]
    + [("03-24", "local", "reminder:phase:2:7"), ("03-24", "coordinators", "held_warning")]
    + both("03-26", "reminder:phase:2:3") + both("03-30", "reminder:phase:2:1")
    + both("03-31", "reminder:phase:2:0")
    + [("04-01", "coordinators", "phase_summary:phase:2:-1")]
    + [("04-16", "coordinators", "held_warning"), ("04-22", "local", "reminder:phase:3:3")]
    + both("04-23", "reminder:phase:3:1")
    + [("04-26", "coordinators", "phase_summary:phase:3:-1")]
    + both("04-29", "milestone:milestone:oit_entry:1")
    + both("04-30", "milestone:milestone:oit_entry:0")
)  # fmt: skip


def _short(key: str, to: str, at: dt.datetime) -> tuple:
    day = at.strftime("%m-%d")
    if key.startswith("held_warning"):
        return (day, KIND_OF[to], "held_warning")
    kind, subject, number, lead = key.split(":")[:4]
    return (day, KIND_OF[to], f"{kind}:{subject}:{number}:{lead}")


def test_a_whole_round_sends_the_expected_notices_once_within_the_budget(
    demo, db, worker, fake_line
):
    start = dt.datetime(2027, 1, 1, tzinfo=BANGKOK)
    run_round(db, worker, demo, start, dt.datetime(2027, 5, 1, tzinfo=BANGKOK))
    rows = sent_notices(db)
    assert all(status == "sent" for *_, status, _ in rows)
    sent_at = [(key, to, (at + dt.timedelta(hours=7))) for key, to, at, *_ in rows]
    assert sorted(_short(k, t, a) for k, t, a in sent_at) == EXPECTED_PUSHES
    assert all(is_working_day(a.date()) and 8 <= a.hour < 18 for _, _, a in sent_at)
    per_month = Counter()
    for _, _, at, _, recipients in rows:
        per_month[(at + dt.timedelta(hours=7)).month] += recipients
    assert max(per_month.values()) <= 300, per_month
    with db.session() as session:
        held = sorted(k.split(":")[3] + ":" + k.split(":")[1] + k.split(":")[2]
                      for k in session.scalars(select(HeldNotice.key)))  # fmt: skip
    assert held == sorted(["7:phase2", "3:phase3", "7:phase3", "7:phase3"]
                          + ["3:milestoneoit_entry", "7:milestoneoit_entry"] * 2)  # fmt: skip


def test_a_restart_and_a_second_clock_change_nothing(demo, db, worker):
    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)
    for _ in range(3):  # the job, a restart catching up, a second clock
        with time_machine.travel(at, tick=False), db.session() as session:
            send(session, at, demo.config, at.astimezone(dt.UTC).replace(tzinfo=None))
    assert len(sent_notices(db)) == 2


def test_a_held_notice_rides_on_the_next_reply_in_that_group(
    demo, db, worker, fake_line, post_events
):
    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 50  # one 40-member push a month
    run_round(db, worker, demo, dt.datetime(2027, 1, 1, tzinfo=BANGKOK),
              dt.datetime(2027, 2, 1, tzinfo=BANGKOK))  # fmt: skip
    pushes = [r for r in sent_notices(db) if not r[0].startswith("held_warning")]
    assert len(pushes) == 1 and pushes[0][0].startswith("reminder:phase:1:1:")
    warnings = [r for r in sent_notices(db) if r[0].startswith("held_warning")]
    assert len(warnings) == 1 and warnings[0][1] == COORDS, "coordinators are told once"
    post_events(text_event("ช่วยเหลือ", group_id=LOCAL, user_id="Uofficer"))
    worker.run_once()
    reply = fake_line.state.sent[-1]
    assert reply["kind"] == "reply" and any(
        "ข่าวจากบอท" in m.get("text", "") for m in reply["messages"]
    )


def test_nothing_goes_to_a_group_whose_agencies_are_all_done(demo, db, runner):
    from models import Agency, Province
    from models.frameworks import active_framework
    from models.oit_records import items_of, record

    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)
    with db.session() as session:
        province = session.scalar(select(Province))
        framework = active_framework(session, province, at.date())
        for agency in session.scalars(select(Agency).where(Agency.kind == "regional")):
            for item in items_of(session, framework.id):
                record(session, agency, framework, item.code, ["https://x.go.th/a"], by="U",
                       now=dt.datetime(2027, 1, 10))  # fmt: skip
    preview = runner.invoke(args=["notifications", "preview", "--at", at.isoformat(), "--json"])
    rows = json.loads(preview.output)
    assert [r["group_kind"] for r in rows] == ["local"]
    assert rows[0]["delivery"] == "push" and rows[0]["estimated_messages"] == 40
    assert {"at", "province", "group_id", "kind", "text", "mentions"} <= set(rows[0])


def test_mentions_stay_within_line_limits():
    from models.chats import Person
    from models.notice_text import mention_messages, units

    people = [Person(line_user_id=f"U{i:032d}", display_name=f"แอดมิน {i}") for i in range(30)]
    messages = mention_messages(
        "หัวข้อ", [(f"• A{i:03d} หน่วยงาน {i}", [people[i]]) for i in range(30)]
    )
    assert [len(m.get("substitution", {})) for m in messages] == [20, 10]
    assert all(m["type"] == "textV2" for m in messages)
    crowd = [(f"• A{i:03d} " + "องค์การบริหารส่วนตำบล" * 6, [people[i % 30]]) for i in range(400)]
    messages = mention_messages("หัวข้อ", crowd)
    assert len(messages) == 5 and "…และอีก" in messages[-1]["text"]
    assert all(units(m["text"]) <= 5000 and len(m.get("substitution", {})) <= 20 for m in messages)


def test_a_deadline_moved_by_chat_replans_the_clock(demo, db):
    from apscheduler.schedulers.background import BackgroundScheduler

    from models import Phase, Province
    from models.calendar import parse_thai_date  # noqa: F401
    from scheduler.clock import apply_plan
    from scheduler.jobs import planned_jobs

    now = dt.datetime(2027, 3, 1, 10, tzinfo=BANGKOK)
    scheduler = BackgroundScheduler(timezone="Asia/Bangkok")
    with demo.app_context():
        apply_plan(demo, scheduler, planned_jobs(now), catch_up=False)
        before = {job.id for job in scheduler.get_jobs()}
        with db.session() as session:
            phase = session.scalar(select(Phase).where(Phase.number == 2))
            phase.deadline = dt.date(2027, 3, 19)
            assert session.scalar(select(Province))
        apply_plan(demo, scheduler, planned_jobs(now), catch_up=False)
        after = {job.id for job in scheduler.get_jobs()}
    assert "notices-20270330-0900" in before and "notices-20270330-0900" not in after
    assert "notices-20270318-0900" in after


def test_budget_json_shows_use_plan_forecast_and_held(demo, db, runner):
    with time_machine.travel(dt.datetime(2027, 3, 2, 3, tzinfo=dt.UTC), tick=False):
        report = json.loads(runner.invoke(args=["budget", "--json"]).output)
    assert report["month"] == "2027-03" and report["budget"] == 300 and report["used"] == 0
    deliveries = Counter(p["delivery"] for p in report["plan"])
    assert deliveries == {"push": 7, "held": 1}
    assert report["forecast"] == 280 and report["held"] == []
