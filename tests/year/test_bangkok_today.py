""" "Today" is Bangkok's date for every handler: at 01:30 in Bangkok the UTC date is yesterday."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from bot.dev.eventfactory import text_event
from models.year import Phase
from models.year.calendar import thai_date

LOCAL, COORDS = chat_ids(GROUPS["local"], "")[0], chat_ids(GROUPS["coordinators"], "")[0]
COORDINATOR = chat_ids(None, DEMO_COORDINATOR)[1]
MOMENT = dt.datetime(2027, 1, 9, 18, 30, tzinfo=dt.UTC)  # 01:30 on 10 January in Bangkok
BANGKOK_TODAY = dt.date(2027, 1, 10)


def test_calendar_and_deadline_moves_count_from_the_bangkok_date(
    runner, post_events, worker, fake_line, db
):
    with time_machine.travel(MOMENT, tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        with db.session() as session:
            phases = session.scalars(select(Phase).order_by(Phase.number)).all()
            upcoming = next(p for p in phases if p.deadline > BANGKOK_TODAY)
            number, deadline = upcoming.number, upcoming.deadline
        post_events(text_event("กำหนดการ", group_id=LOCAL))
        worker.run_once()
        calendar = fake_line.state.sent[-1]["messages"][0]["text"]
        days = (deadline - BANGKOK_TODAY).days
        assert f"ภายใน {thai_date(deadline)} (อีก {days} วัน)" in calendar
        yesterday = "9/1/2570"  # still "today" in UTC
        post_events(text_event(f"เลื่อนกำหนด ระยะ {number} {yesterday}", group_id=COORDS,
                               user_id=COORDINATOR))  # fmt: skip
        worker.run_once()
        assert "ไม่ย้อนหลัง" in fake_line.state.sent[-1]["messages"][0]["text"]
        with db.session() as session:
            assert session.scalar(select(Phase.deadline).where(Phase.number == number)) == deadline
