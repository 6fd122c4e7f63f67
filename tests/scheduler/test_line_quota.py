"""The clock reads LINE's quota figures once a day, before the morning's notices."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import time_machine
from sqlalchemy import func, select

from bot.line_client import LineClient
from models.notices import quota
from models.registry import AuditEntry
from scheduler.jobs import STATIC_JOBS, TASKS, planned_jobs

MORNING = dt.datetime(2027, 1, 20, 8, 40, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_the_job_runs_daily_before_the_notices(app):
    [job] = [j for j in STATIC_JOBS if j.func == "read_line_quota"]
    assert job.id == "line-quota" and job.trigger == "cron"
    assert (job.trigger_args["hour"], job.trigger_args["minute"]) < (9, 0)
    assert job.id in {j.id for j in planned_jobs()}


def test_the_job_records_what_line_counted(app, db, fake_line):
    fake_line.state.set_member_count("Cgroup", 31)
    client = LineClient("test-token", fake_line.base_url, 2.0)
    client.push("Cgroup", [{"type": "text", "text": "แจ้งเตือน"}], retry_key=str(uuid.uuid4()))
    fake_line.state.add_usage(5)
    fake_line.state.quota_limit = 500
    with time_machine.travel(MORNING, tick=False):
        TASKS["read_line_quota"]()
    with db.session() as session:
        assert quota.line_figures(session, "2027-01") == {
            "limit": 500,
            "used": 36,
            "at": "2027-01-20T01:40:00+00:00",
        }


def test_no_limit_is_recorded_as_none(app, db, fake_line):
    fake_line.state.quota_limit = None
    with time_machine.travel(MORNING, tick=False):
        TASKS["read_line_quota"]()
    with db.session() as session:
        assert quota.line_figures(session, "2027-01")["limit"] is None


def test_a_line_failure_is_logged_and_nothing_is_recorded(app, db, fake_line, caplog):
    fake_line.state.fail_next("quota", status=503)
    with caplog.at_level(logging.WARNING, logger="scheduler.jobs"):
        TASKS["read_line_quota"]()
    assert "quota figures unavailable: 503" in caplog.text
    with db.session() as session:
        count = select(func.count()).where(AuditEntry.action == quota.FIGURES)
        assert session.scalar(count) == 0
