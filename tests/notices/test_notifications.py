"""A whole demo round with time travel: the right notices, once each, within the budget."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter

import pytest
import time_machine
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import GROUPS
from bot.dev.eventfactory import text_event
from models.notices import HeldNotice, held
from models.notices.candidates import BANGKOK
from models.queues import OutboxMessage
from models.registry import Group
from models.year.working_days import is_working_day
from scheduler.jobs import TASKS
from scheduler.notify import send
from tests.notices.coverage_round import moments

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


def run_round(db, worker, app, start, end):
    for at in moments(db, start, end):
        with time_machine.travel(at, tick=False):
            send(db, at, app.config, at.astimezone(dt.UTC).replace(tzinfo=None))
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
# to the previous working day; two leads on one day keep the more important one. The demo has
# no admins, so every reminder needs its group (40 messages) and names every agency (18
# regional, 22 local). When a month cannot afford every lead, group pushes go to the notices
# that reach the most agencies per message: a later lead is expected to concern fewer agencies
# (an even pace to the deadline: 3 days before, 4/8 of those behind 7 days before), so in March
# the 7-, 3- and 1-day leads go and the day itself is held; in April phase 3's 7- and 3-day
# leads, then the 22 อปท. first (phase 3's day before, ITAS's 7 days). The rest is held for
# replies, and coordinators are told once, the first day something is held.
AGENCY_GROUPS = ("regional", "local")


def both(day: str, key: str) -> list[tuple]:
    return [(day, kind, key) for kind in AGENCY_GROUPS]


def coordinators(kind: str, *days: str) -> list[tuple]:
    return [(day, "coordinators", kind) for day in days]


EXPECTED_PUSHES = sorted(
    both("01-22", "reminder:phase:1:7") + both("01-28", "reminder:phase:1:3")
    + both("01-29", "reminder:phase:1:1")
    + both("03-24", "reminder:phase:2:7") + both("03-26", "reminder:phase:2:3")
    + both("03-30", "reminder:phase:2:1")
    + both("04-16", "reminder:phase:3:7") + both("04-22", "reminder:phase:3:3")
    + [("04-23", "local", "reminder:phase:3:1"),
       ("04-23", "local", "milestone:milestone:oit_entry:7")]
    + coordinators("phase_summary:phase:1:-1", "02-01")
    + coordinators("phase_summary:phase:2:-1", "04-01")
    + coordinators("phase_summary:phase:3:-1", "04-26")
    # The first working day of each month (1 Jan is a holiday; 3 and 4 May too) ...
    + coordinators("monthly_report", "01-04", "02-01", "03-01", "04-01", "05-05")
    # ... and of each other week (22 Feb, 6 Apr and 13 Apr are holidays).
    + coordinators("weekly_digest", "01-11", "01-18", "01-25", "02-08", "02-15", "02-23",
                   "03-08", "03-15", "03-22", "03-29", "04-05", "04-12", "04-19", "04-26")
    + coordinators("held_warning", "03-31", "04-23")
)  # fmt: skip


def _short(key: str, to: str, at: dt.datetime) -> tuple:
    day = at.strftime("%m-%d")
    if key.startswith(("held_warning", "weekly_digest", "monthly_report")):
        return (day, KIND_OF[to], key.split(":")[0])
    kind, subject, number, lead = key.split(":")[:4]
    return (day, KIND_OF[to], f"{kind}:{subject}:{number}:{lead}")


def test_a_whole_round_sends_the_expected_notices_once_within_the_budget(
    demo, db, worker, fake_line
):
    start = dt.datetime(2027, 1, 1, tzinfo=BANGKOK)
    run_round(db, worker, demo, start, dt.datetime(2027, 5, 10, tzinfo=BANGKOK))
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
    assert held == sorted(["0:phase2"] * 2 + ["1:phase3", "7:milestoneoit_entry"]
                          + ["3:milestoneoit_entry", "1:milestoneoit_entry",
                             "0:milestoneoit_entry"] * 2)  # fmt: skip


def test_a_restart_and_a_second_clock_change_nothing(demo, db, worker):
    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)
    for _ in range(3):  # the job, a restart catching up, a second clock
        with time_machine.travel(at, tick=False):
            send(db, at, demo.config, at.astimezone(dt.UTC).replace(tzinfo=None))
    assert len(sent_notices(db)) == 2


def test_a_held_notice_rides_on_the_next_reply_in_that_group(
    demo, db, worker, fake_line, post_events
):
    # January's coordinator notices (a report, three digests) and the warning cost 25 of 70:
    # room for one 40-member push, which goes where it reaches the most agencies: the 22 อปท.,
    # 7 days before (later leads are expected to concern fewer of them).
    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 70
    run_round(db, worker, demo, dt.datetime(2027, 1, 1, tzinfo=BANGKOK),
              dt.datetime(2027, 2, 1, tzinfo=BANGKOK))  # fmt: skip
    pushes = [r for r in sent_notices(db) if r[0].startswith("reminder")]
    assert len(pushes) == 1 and pushes[0][0].startswith(f"reminder:phase:1:7:{LOCAL}:")
    warnings = [r for r in sent_notices(db) if r[0].startswith("held_warning")]
    assert len(warnings) == 1 and warnings[0][1] == COORDS, "coordinators are told once"
    post_events(text_event("ช่วยเหลือ", group_id=LOCAL, user_id="Uofficer"))
    worker.run_once()
    reply = fake_line.state.sent[-1]
    assert reply["kind"] == "reply" and any(
        "ข่าวจากบอท" in m.get("text", "") for m in reply["messages"]
    )


def test_nothing_goes_to_a_group_whose_agencies_are_all_done(demo, db, runner):
    from models.oit.records import items_of, record
    from models.registry import Agency, Province
    from models.year.frameworks import active_framework

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
    feb = runner.invoke(args=["notifications", "preview", "--at", "2027-02-01T09:00", "--json"])
    summary = next(r for r in json.loads(feb.output) if r["kind"] == "phase_summary")
    assert "ส่งครบตรงเวลา 18 · ส่งครบแต่ล่าช้า 0 · ยังไม่ครบ 22 หน่วยงาน" in summary["text"]


def test_mentions_stay_within_line_limits():
    from models.notices.text import mention_messages, units
    from models.registry.chats import Person

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

    from models.registry import Province
    from models.year import Phase
    from models.year.calendar import parse_thai_date  # noqa: F401
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
    assert deliveries == {
        "push": 10,
        "held": 2,
    }  # four digests, six reminders; the 7-day lead waits
    assert report["forecast"] == 4 * 5 + 6 * 40 and report["held"] == []


def test_monthly_report_link_and_cli_serve_the_same_matrix(demo, db, runner, client, tmp_path):
    from openpyxl import load_workbook

    from bot.reports import report_url

    out = tmp_path / "report.xlsx"
    # the current month (a month not yet come is refused), as it stands today
    result = runner.invoke(args=["report", "--province", "สิงห์บุรี", "--month", "2026-11",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    regional, local = book.worksheets[1], book.worksheets[2]
    assert regional.cell(2, 4).value == "O1" and regional.max_row + local.max_row >= 44
    with demo.app_context():
        url = report_url(demo, 1, "2026-11")
    answer = client.get(url.split("127.0.0.1:8000")[1])
    assert answer.status_code == 200
    served = load_workbook(io.BytesIO(answer.data))
    assert [[list(r) for r in s.iter_rows(values_only=True)] for s in served.worksheets] == [
        [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets
    ]
    assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/reports/not-a-token").status_code == 404
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        assert client.get(url.split("127.0.0.1:8000")[1]).status_code == 410
    bad = runner.invoke(args=["report", "--province", "สิงห์บุรี", "--month", "2027-13",
                              "--out", str(out)])  # fmt: skip
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_links_are_rechecked_before_each_phase_deadline_once(demo, db, runner):
    from models.oit import LinkCheck
    from tests.oit.test_oit_chat import SITE

    runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"])
    from models.oit.records import record
    from models.registry import Agency, Province
    from models.year.frameworks import active_framework

    with db.session() as session:
        agency = session.scalar(select(Agency).where(Agency.code == "L004"))
        framework = active_framework(session, session.scalar(select(Province)),
                                     dt.date(2027, 1, 10))  # fmt: skip
        record(session, agency, framework, "O1", [f"{SITE}/a"], by="U", now=dt.datetime(2027, 1, 5))
    at = dt.datetime(2027, 1, 27, 6, tzinfo=BANGKOK)  # 31 Jan minus 4 days, before office hours
    for _ in range(2):
        send(db, at, demo.config, dt.datetime(2027, 1, 26, 23))
    with db.session() as session:
        assert len(session.scalars(select(LinkCheck)).all()) == 2  # the first check, one re-check


def test_respondent_counts_by_chat_and_the_iit_eit_reminder(
    demo, db, runner, post_events, worker, fake_line
):
    runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"])
    from tests.oit.test_oit_chat import COORDINATOR

    def say(text, group_id=LOCAL, user_id="Uadmin01"):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id))
        worker.run_once()
        return [m.get("text", "") for r in fake_line.state.sent[before:] for m in r["messages"]]

    assert "IIT 13/20 ขาดอีก 7 คน" in say("IIT 13/20")[0]
    assert "EIT 100/100 ครบเป้าแล้ว" in say("EIT ๑๐๐/๑๐๐")[0]
    assert "IIT 20/20 ครบเป้าแล้ว" in say("IIT 20/20 L005 EIT 5/90", COORDS, COORDINATOR)[0]
    assert "เฉพาะแอดมิน" in say("IIT 3/20 L006", user_id="Uofficer")[0]
    assert say("IIT ตอบครบแล้วนะ") == [], "talk about IIT is not a report"
    at = dt.datetime(2027, 5, 28, 9, tzinfo=BANGKOK)  # the iit_eit window closes on 31 May
    rows = json.loads(runner.invoke(args=["notifications", "preview", "--at", at.isoformat(),
                                          "--json"]).output)  # fmt: skip
    local = next(r for r in rows if r["group_kind"] == "local")
    assert "L004 องค์การบริหารส่วนตำบลบางระจัน: IIT 13/20" in local["text"]
    assert "L005 เทศบาลตำบลอินทร์บุรี: EIT 5/90" in local["text"]
    assert "L006 องค์การบริหารส่วนตำบลอินทร์บุรี: IIT ยังไม่แจ้งจำนวน · EIT ยังไม่แจ้งจำนวน" in local["text"]
    assert "IIT/EIT ปิดรับอีก 3 วัน" in local["text"] and local["mentions"]


def test_a_province_chooses_its_reminder_days(demo, db, post_events, worker, fake_line):
    from tests.oit.test_oit_chat import COORDINATOR

    post_events(text_event("วันแจ้งเตือน 3, 1", group_id=COORDS, user_id=COORDINATOR))
    worker.run_once()
    assert "แจ้งเตือนก่อนกำหนด 3,1 วัน" in fake_line.state.sent[-1]["messages"][0]["text"]
    january = moments(db, dt.datetime(2027, 1, 20, tzinfo=BANGKOK),
                      dt.datetime(2027, 1, 31, tzinfo=BANGKOK))  # fmt: skip
    sent_at_nine = [m.strftime("%m-%d") for m in january if m.hour == 9]
    assert sent_at_nine == ["01-25", "01-28", "01-29"]  # the digest, 3 days, 1 day


def test_the_planner_asks_line_for_group_sizes_it_does_not_know(demo, db, fake_line):
    with db.session() as session:
        for group in session.scalars(select(Group)):
            group.member_count = group.member_count_at = None
    fake_line.state.set_member_count(LOCAL, 12)
    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)
    with time_machine.travel(at, tick=False), demo.app_context():
        TASKS["send_notices"](at.isoformat())
    with db.session() as session:
        sizes = dict(session.execute(select(Group.line_group_id, Group.member_count)).all())
    assert sizes[LOCAL] == 12 and sizes[REGIONAL] == 40 and sizes[COORDS] == 5


def test_held_news_without_a_deadline_rides_on_the_next_reminder_pushed_to_the_group(
    demo, db, worker, fake_line
):
    """An outcome held for a group (its admin is not a friend of the bot) reaches the group
    with the next reminder; held countdowns stay behind (the fresh reminder replaces them)."""
    with db.session() as session:
        now = dt.datetime(2027, 1, 20, 3)
        held.hold(session, "outcome:test", LOCAL, "ถึง สมชาย: ✏️ O5 ต้องแก้ไข", now)
        held.hold(session, "reminder:old", LOCAL, "เหลือ 7 วัน", now,
                  due_at=dt.datetime(2027, 2, 28))  # fmt: skip
    run_round(db, worker, demo, dt.datetime(2027, 1, 21, tzinfo=BANGKOK),
              dt.datetime(2027, 2, 1, tzinfo=BANGKOK))  # fmt: skip
    pushed = [m.get("text", "") for r in fake_line.state.sent
              if r["kind"] == "push" and r["to"] == LOCAL for m in r["messages"]]  # fmt: skip
    assert sum("O5 ต้องแก้ไข" in text for text in pushed) == 1
    assert not any("เหลือ 7 วัน" in text for text in pushed)


def test_after_line_says_the_month_is_over_reminders_are_held_with_their_deadlines(demo, db):
    from models.notices import quota
    from models.registry import AuditEntry

    at = dt.datetime(2027, 1, 28, 9, tzinfo=BANGKOK)  # the 3-day reminder before 31 January
    now = at.astimezone(dt.UTC).replace(tzinfo=None)
    with db.session() as session:
        session.add(AuditEntry(actor="line", action=quota.STOPPED, detail=quota.month_of(now)))
    with time_machine.travel(at, tick=False):
        send(db, at, demo.config, now)
    with db.session() as session:
        assert session.scalars(select(OutboxMessage)).all() == []
        rows = session.scalars(select(HeldNotice)).all()
    assert rows and all(row.due_at is not None for row in rows)
