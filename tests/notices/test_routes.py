"""The cheapest route per notice: one-to-one to admins who are friends, the group when it must,
held when the month cannot pay; the province's roll-call policy; what budget --json shows."""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from sqlalchemy import select

from bot.dev.eventfactory import text_event
from models.notices import HeldNotice
from models.notices.candidates import BANGKOK
from models.queues import OutboxMessage
from models.registry import Province
from scheduler.notify import send
from tests.notices.coverage_round import add_admins, set_behind
from tests.notices.test_notifications import COORDS, LOCAL, REGIONAL, demo  # noqa: F401
from tests.oit.test_oit_chat import COORDINATOR

AT = dt.datetime(2027, 3, 26, 9, tzinfo=BANGKOK)  # 3 days before phase 2 ends (31 March)


def user(code: str) -> str:
    return f"U{code:0>32}"


def queued(db) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.execute(select(OutboxMessage.notification_key, OutboxMessage.to)).all()
    return sorted((key.split(":2027-03-26")[0].split(":")[0], to) for key, to in rows)


# Worked out by hand. Admins: one per agency, the first three of every five friends. On 26 March
# the first 4 agencies of each group still miss an item: R001–R004 and the first four อปท.; in
# each group three have a friend admin (3 messages one-to-one) and one does not. With a budget of
# 60: 5 reserved for the coordinators' warning and 5 for the digest of 29 March; the 1-day and
# 0-day leads are expected to concern 1/3 and 1/6 of today's agencies (1 message each per group
# one-to-one); today's 3-day notices, 3 each: 20 spent. Turning a 3-day notice into a group push
# adds 37 and reaches one more agency: it fits once (57), for the group whose id sorts first (a
# tie), the อปท.; the regional notice goes to its three friends and waits for the group's next
# reply for R004, and coordinators are told once that notices are held.
def test_one_small_province_gets_exactly_the_pushes_worked_out_by_hand(
    demo,
    db,
    worker,
    fake_line,  # noqa: F811
):
    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 60
    add_admins(db, 0.6)
    set_behind(db, 0.2, AT.date())
    with time_machine.travel(AT, tick=False):
        send(db, AT, demo.config, AT.astimezone(dt.UTC).replace(tzinfo=None))
    assert queued(db) == sorted([
        ("reminder", LOCAL), ("held_warning", COORDS),
        ("reminder", user("R001")), ("reminder", user("R002")), ("reminder", user("R003")),
    ])  # fmt: skip
    with db.session() as session:
        texts = {row.to: json.loads(row.messages)[0]["text"]
                 for row in session.scalars(select(OutboxMessage))}  # fmt: skip
        held = session.scalars(select(HeldNotice.key)).all()
    assert "สำนักงานจังหวัดสิงห์บุรี: ยังไม่ส่ง" in texts[user("R001")]
    assert "ครบกำหนดอีก 5 วัน" in texts[user("R001")]
    assert "สาธารณสุข" not in texts[user("R001")] and "เกษตร" not in texts[user("R001")]
    assert held == [f"reminder:phase:2:3:{REGIONAL}:2027-03-26"]
    with time_machine.travel(AT, tick=False):
        worker.run_once()
    pushed = sorted(r["to"] for r in fake_line.state.sent if r["kind"] == "push")
    assert pushed == sorted([LOCAL, COORDS, user("R001"), user("R002"), user("R003")])


def test_budget_json_shows_routes_recipients_and_any_month(demo, db, runner):  # noqa: F811
    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 60
    add_admins(db, 0.6)
    set_behind(db, 0.2, AT.date())
    with time_machine.travel(AT - dt.timedelta(hours=1), tick=False):
        report = json.loads(runner.invoke(args=["budget", "--json"]).output)
        april = json.loads(runner.invoke(args=["budget", "--json", "--month", "2027-04"]).output)
        bad = runner.invoke(args=["budget", "--month", "มีนา"])
    today = {p["group_id"]: p for p in report["plan"] if p["at"].startswith("2027-03-26")}
    assert today[LOCAL]["route"] == "group" and today[LOCAL]["recipients"] == [LOCAL]
    assert today[REGIONAL]["route"] == "one_to_one"
    assert today[REGIONAL]["recipients"] == [user("R001"), user("R002"), user("R003")]
    assert today[REGIONAL]["estimated_messages"] == 3
    later = [p for p in report["plan"] if p["kind"] == "reminder" and p["at"] > "2027-03-27"]
    assert [(p["route"], p["estimated_messages"]) for p in later] == [("one_to_one", 1)] * 4
    assert april["month"] == "2027-04" and april["plan"]
    assert {p["route"] for p in april["plan"]} <= {"group", "one_to_one", "held"}
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_preview_json_says_the_route_and_recipients(demo, db, runner):  # noqa: F811
    add_admins(db, 1.0)
    set_behind(db, 0.2, AT.date())
    with time_machine.travel(AT - dt.timedelta(hours=1), tick=False):
        out = runner.invoke(args=["notifications", "preview", "--at", AT.isoformat(), "--json",
                                  "--offline"]).output  # fmt: skip
    rows = {r["group_id"]: r for r in json.loads(out) if r["kind"] == "reminder"}
    assert rows[REGIONAL]["route"] == "one_to_one" and rows[REGIONAL]["estimated_messages"] == 4
    assert rows[REGIONAL]["recipients"] == [user(f"R00{i}") for i in range(1, 5)]


def test_coordinators_ask_for_a_roll_call_in_the_group(demo, db, post_events, worker, fake_line):  # noqa: F811
    def say(text: str, who: str = COORDINATOR, where: str = COORDS) -> str:
        post_events(text_event(text, group_id=where, user_id=who))
        worker.run_once()
        return fake_line.state.sent[-1]["messages"][0]["text"]

    def policy() -> str | None:
        with db.session() as session:
            return session.scalar(select(Province.roll_call_days))

    assert "เรียกชื่อในกลุ่มเสมอ: 1 วันก่อน,วันครบกำหนด" in say("ช่องทางแจ้งเตือน กลุ่ม ๑,๐ ครับ")
    assert policy() == "1,0"
    assert "เรียกชื่อในกลุ่มเสมอ" in say("กำหนดการ")
    assert "วิธีใช้" in say("ช่องทางแจ้งเตือน กลุ่ม สองวัน") and policy() == "1,0"
    assert "2 ไม่อยู่ในวันแจ้งเตือน จึงไม่มีผล" in say("ช่องทางแจ้งเตือน กลุ่ม 2")
    say("ช่องทางแจ้งเตือน ประหยัด")
    assert policy() is None
    say("ช่องทางแจ้งเตือน กลุ่ม 1", who="Ustranger", where=LOCAL)
    assert policy() is None


def test_a_roll_call_lead_goes_to_the_group_though_every_admin_is_a_friend(demo, db):  # noqa: F811
    add_admins(db, 1.0)
    set_behind(db, 0.2, AT.date())
    with db.session() as session:
        session.scalar(select(Province)).roll_call_days = "3"
    with time_machine.travel(AT, tick=False):
        send(db, AT, demo.config, AT.astimezone(dt.UTC).replace(tzinfo=None))
    assert [to for kind, to in queued(db) if kind == "reminder"] == sorted([LOCAL, REGIONAL])


def test_the_planner_takes_lines_count_when_it_is_larger(demo, db, runner):  # noqa: F811
    from models.notices import quota

    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 60
    add_admins(db, 0.6)
    set_behind(db, 0.2, AT.date())
    morning = (AT - dt.timedelta(hours=1)).astimezone(dt.UTC).replace(tzinfo=None)
    with db.session() as session:  # 40 pushed from LINE's own console, unknown to the bot ...
        quota.record_line_figures(session, morning - dt.timedelta(minutes=30), 300, 40)
        session.add(
            OutboxMessage(
                to=user("R001"),
                messages="[]",
                method="push",
                status="sent",
                recipients=3,
                sent_at=morning - dt.timedelta(minutes=10),
            )
        )
        # ... and 3 the bot pushed after LINE's reading
    with time_machine.travel(AT - dt.timedelta(hours=1), tick=False):
        report = json.loads(runner.invoke(args=["budget", "--json"]).output)
    assert (report["used"], report["line_used"], report["difference"]) == (3, 40, 40)
    today = {p["group_id"]: p["route"] for p in report["plan"] if p["at"].startswith("2027-03-26")}
    # 5 + 5 reserved for the coordinators, 3 + 40 spent: 53 before any reminder; the 1- and
    # 0-day leads take 1 each (57), the อปท.'s 3-day notice 3 (60): no room for the regional one
    assert today == {LOCAL: "one_to_one", REGIONAL: "held"}
    pushes = sum(p["estimated_messages"] for p in report["plan"] if p["delivery"] == "push")
    assert report["forecast"] == 43 + pushes <= 60


def test_a_restart_changes_nothing_and_the_next_morning_counts_the_one_to_one_pushes(
    demo,
    db,  # noqa: F811
):
    from models.notices.budget import month_candidates
    from models.notices.plan import queued_routes

    demo.config["LINE_MONTHLY_MESSAGE_BUDGET"] = 60
    add_admins(db, 0.6)
    set_behind(db, 0.2, AT.date())
    for _ in range(3):  # the job, a restart catching up, a second clock
        with time_machine.travel(AT, tick=False):
            send(db, AT, demo.config, AT.astimezone(dt.UTC).replace(tzinfo=None))
    assert len(queued(db)) == 5
    with db.session() as session:
        month = month_candidates(session, AT)
        spent = queued_routes(session, month, AT)
    regional = spent[f"reminder:phase:2:3:{REGIONAL}:2027-03-26"]
    assert (regional.route, regional.cost) == ("one_to_one", 3)
    assert spent[f"reminder:phase:2:3:{LOCAL}:2027-03-26"].cost == 40


def test_a_province_whose_agencies_cannot_be_read_still_gets_group_reminders(
    demo,
    db,
    monkeypatch,  # noqa: F811
):
    from models.notices import routes

    def broken(*args):
        raise ValueError("an agency's data cannot be read")

    add_admins(db, 1.0)
    set_behind(db, 0.2, AT.date())
    monkeypatch.setattr(routes, "concerned", broken)
    with time_machine.travel(AT, tick=False):
        send(db, AT, demo.config, AT.astimezone(dt.UTC).replace(tzinfo=None))
    assert [to for kind, to in queued(db) if kind == "reminder"] == sorted([LOCAL, REGIONAL])
