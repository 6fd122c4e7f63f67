"""The clock: jobs as data with fixed ids, and only one leader at a time."""

from __future__ import annotations

import threading
from datetime import timedelta

import time_machine

from models.base import utcnow
from scheduler.clock import build_scheduler, run_clock
from scheduler.jobs import TASKS, planned_jobs
from scheduler.leader import LeaderLock


def test_every_planned_job_has_a_fixed_id_and_a_known_task(app):
    jobs = planned_jobs()
    assert len({job.id for job in jobs}) == len(jobs)
    assert all(job.func in TASKS for job in jobs)
    assert "retention-purge" in {job.id for job in jobs}


def test_scheduler_runs_in_bangkok_time_and_replaces_jobs_by_id(app):
    scheduler = build_scheduler(app, lambda: None)
    assert str(scheduler.timezone) == "Asia/Bangkok"
    ids = [job.id for job in scheduler.get_jobs()]
    assert len(ids) == len(set(ids)) and "leader-renew" in ids


def test_only_one_leader_and_the_lead_passes_when_released(db):
    first, second = LeaderLock(db, "one"), LeaderLock(db, "two")
    assert first.acquire() and first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_dead_leader_lease_expires_on_sqlite(db):
    if not db.is_sqlite:
        return  # on PostgreSQL the lock ends with the connection (covered above)
    first, second = LeaderLock(db, "one"), LeaderLock(db, "two")
    assert first.acquire()
    with time_machine.travel(utcnow() + timedelta(seconds=31), tick=False):
        assert second.acquire()


def test_run_clock_leads_writes_heartbeat_and_stops(app, client):
    stop = threading.Event()
    thread = threading.Thread(target=run_clock, args=(app, stop), daemon=True)
    thread.start()
    for _ in range(100):
        if "clock" in client.get("/healthz").get_json()["heartbeats"]:
            break
        threading.Event().wait(0.05)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert "clock" in client.get("/healthz").get_json()["heartbeats"]


def test_routine_jobs_log_at_debug_and_real_jobs_at_info(app, caplog):
    """leader-renew every 10 s and replan every minute wrote 833 INFO lines in 27 minutes."""
    import logging

    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="scheduler.clock")
    scheduler = build_scheduler(app, lambda: None)
    caplog.clear()
    for job_id in ("leader-renew", "replan", "retention-purge"):
        scheduler.get_job(job_id).func()  # replan re-adds jobs: APScheduler logs each at INFO
    # APScheduler's executor logs "Running job …" and "… executed successfully" at INFO
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    loud = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert not [r for r in loud if r.name.startswith("apscheduler")]
    clock = [r.getMessage() for r in loud if r.name == "scheduler.clock"]
    assert len(clock) == 1 and "retention-purge" in clock[0]
    quiet = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert "leader-renew" in quiet and "replan" in quiet
