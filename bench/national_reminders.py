"""One morning's reminders for a national load (target: under 5 s on SQLite).

8,300 agencies in 77 provinces, 154 agency groups, 28 items each with history, one admin
per agency (60 % of them friends of the bot, so the planner weighs one-to-one routes):
computes every notice due at 09:00 on the day before the first phase deadline,
with the month's budget plan (`notices`), then runs the clock's job itself (`send`: the plan
once, then each province read and written in a transaction of its own, outbox rows queued).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bot.app import create_app  # noqa: E402
from models.base import utcnow  # noqa: E402
from models.notices.candidates import BANGKOK  # noqa: E402
from models.notices.delivery import notices  # noqa: E402
from models.oit import Submission  # noqa: E402
from models.oit.records import items_of  # noqa: E402
from models.oit.report import report_signer  # noqa: E402
from models.registry import Agency, ChatSetup, Group, Person, Province, RoleGrant  # noqa: E402
from models.year import Phase  # noqa: E402
from models.year.frameworks import load_shipped  # noqa: E402
from scheduler.notify import send  # noqa: E402

PROVINCES, AGENCIES = 77, 8300
AT = dt.datetime(2027, 1, 29, 9, tzinfo=BANGKOK)  # the day before phase 1 ends (31 Jan is Sunday)


def build(session) -> None:
    framework = {f.fiscal_year: f for f, _ in load_shipped(session)}[2568]
    codes = [item.code for item in items_of(session, framework.id)]
    rng = random.Random(11)
    session.execute(
        insert(Province),
        [{"name": f"จังหวัด{i:02d}", "fiscal_year": 2568, "confirm_registrations": True}
         for i in range(PROVINCES)],
    )  # fmt: skip
    provinces = session.scalars(select(Province.id)).all()
    for province_id in provinces:
        session.add(Phase(province_id=province_id, fiscal_year=2568, number=1, title="ระยะที่ 1",
                          deadline=dt.date(2027, 1, 31)))  # fmt: skip
        for kind in ("regional", "local"):
            group = Group(line_group_id=f"C{province_id:04d}{kind}", member_count=40,
                          member_count_at=dt.datetime(2030, 1, 1))  # fmt: skip
            session.add(group)
            session.flush()
            session.add(ChatSetup(group_id=group.id, province_id=province_id, kind=kind))
    agencies = [
        {"province_id": provinces[i % PROVINCES], "code": f"A{i:05d}", "name": f"หน่วยงาน {i}",
         "kind": "regional" if i % 3 == 0 else "sao", "extra": "{}"}
        for i in range(AGENCIES)
    ]  # fmt: skip
    session.execute(insert(Agency), agencies)
    session.execute(insert(Person), [{"line_user_id": f"U{i:032d}", "display_name": f"แอดมิน {i}",
                                      "is_friend": i % 5 < 3}
                                     for i in range(AGENCIES)])  # fmt: skip
    agency_rows = session.execute(select(Agency.id, Agency.province_id)).all()
    people = session.scalars(select(Person.id).order_by(Person.id)).all()
    session.execute(insert(RoleGrant), [
        {"person_id": people[n], "role": "agency_admin", "province_id": p, "agency_id": a,
         "status": "active"} for n, (a, p) in enumerate(agency_rows)
    ])  # fmt: skip
    rows = []
    for agency_id, _ in agency_rows:
        for code in codes[: rng.randint(0, len(codes))]:
            at = dt.datetime(2027, 1, rng.randint(3, 27), 3)
            for version in range(rng.randint(1, 2)):
                last = version == 1 or rng.random() < 0.6
                rows.append({"agency_id": agency_id, "framework_id": framework.id,
                             "item_code": code,
                             "urls": json.dumps([f"https://a{agency_id}.go.th/{code}"]),
                             "state": "current" if last else "superseded",
                             "review": rng.choice(["pending", "approved", "fix"]),
                             "submitted_by": "U", "event_at": at, "created_at": at,
                             "ended_at": None if last else at})  # fmt: skip
                if last:
                    break
    for start in range(0, len(rows), 20000):
        session.execute(insert(Submission), rows[start : start + 20000])
    print(f"data: {PROVINCES} provinces, {AGENCIES} agencies, {2 * PROVINCES} groups, "
          f"{len(codes)} items, {len(rows)} submission rows")  # fmt: skip


def main() -> int:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/national.sqlite3"
    app = create_app({"DATABASE_URL": url, "LOCAL_LINE": False})
    database = app.extensions["db"]
    database.upgrade()
    started = time.perf_counter()
    with database.session() as session:
        build(session)
    print(
        f"built in {time.perf_counter() - started:.1f} s; database: {database.engine.dialect.name}"
    )
    with app.app_context(), database.session() as session:
        started = time.perf_counter()
        due = notices(session, AT, app.config, report_signer(app.config))
        elapsed = time.perf_counter() - started
    messages = sum(len(m) for _, m, _ in due)
    pushes = sum(1 for *_, d in due if d.delivery == "push")
    routes = Counter(d.route for *_, d in due)
    print(f"{AT:%Y-%m-%d %H:%M}: {len(due)} notices ({messages} message objects, {pushes} to push, "
          f"{len(due) - pushes} held; routes {dict(routes)}) computed in {elapsed:.2f} s "
          "(target < 5 s)")  # fmt: skip
    with app.app_context():
        started = time.perf_counter()
        queued = send(database, AT, app.config, utcnow())
        job = time.perf_counter() - started
    print(
        f"the clock's job, province by province: {queued} pushes queued in {job:.2f} s "
        "(target < 5 s)"
    )
    return 0 if elapsed < 5 and job < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
