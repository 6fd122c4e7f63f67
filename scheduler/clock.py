"""The clock (`flask --app wsgi clock`, see bot.cli.processes): APScheduler in Asia/Bangkok,
one leader at a time."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from models.queues.runtime import beat
from scheduler.jobs import TASKS, planned_jobs
from scheduler.leader import LeaderLock

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 6 * 3600  # a clock down for a few hours still catches up, once
RENEW_SECONDS = 10
REPLAN_SECONDS = 60  # calendar changes by chat or CLI reach the clock within a minute
ROUTINE_JOBS = {"replan", "leader-renew"}


def quiet_scheduler_logs() -> None:
    """APScheduler logs every run and every re-added job at INFO (leader-renew alone: one line
    every 10 s); keep its warnings and errors, and log the jobs ourselves (see _in_app)."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _in_app(app: Flask, func, job_id: str):
    """Run a job in the app context; routine jobs are logged at DEBUG, the others at INFO."""
    level = logging.DEBUG if job_id in ROUTINE_JOBS else logging.INFO

    def run():
        started = time.monotonic()
        with app.app_context():
            func()
        log.log(level, "job %s done in %.1f s", job_id, time.monotonic() - started)

    run.__name__ = func.__name__
    return run


def build_scheduler(app: Flask, on_lost_lead) -> BlockingScheduler:
    quiet_scheduler_logs()
    scheduler = BlockingScheduler(
        timezone="Asia/Bangkok",
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    with app.app_context():
        apply_plan(app, scheduler, planned_jobs(), catch_up=True)
    scheduler.add_job(
        _in_app(app, lambda: apply_plan(app, scheduler, planned_jobs(), catch_up=False), "replan"),
        "interval",
        seconds=REPLAN_SECONDS,
        id="replan",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, on_lost_lead, "leader-renew"),
        "interval",
        seconds=RENEW_SECONDS,
        id="leader-renew",
        replace_existing=True,
    )
    return scheduler


def apply_plan(app: Flask, scheduler, specs, catch_up: bool) -> None:
    """Add or replace every planned job and drop planned ones that are no longer wanted
    (a calendar change moves a deadline: its old moments go, the new ones come). Moments
    already past are added only at start-up (catch_up), so that a restart within the grace
    time still sends them, once: their outbox keys are unique."""
    wanted = {spec.id for spec in specs}
    for job in scheduler.get_jobs():
        if job.id.startswith("notices-") and job.id not in wanted:
            job.remove()
    now = datetime.now(UTC)
    for spec in specs:
        run_date = spec.trigger_args.get("run_date")
        if run_date is not None and run_date <= now and not catch_up:
            continue
        task = TASKS[spec.func]
        scheduler.add_job(
            _in_app(app, lambda task=task, kwargs=spec.kwargs: task(**kwargs), spec.id),
            spec.trigger,
            id=spec.id,
            name=spec.func,
            replace_existing=True,
            **spec.trigger_args,
        )


def _shutdown_on(stop: threading.Event, scheduler: BlockingScheduler) -> None:
    stop.wait()
    if scheduler.running:
        scheduler.shutdown(wait=False)


def _lead(app: Flask, lock: LeaderLock, owner: str, stop: threading.Event) -> None:
    """Run the jobs until the lead is lost or the clock is told to stop."""
    database = app.extensions["db"]
    scheduler: BlockingScheduler

    def renew():
        with database.session() as session:
            beat(session, "clock", owner)
        if (stop.is_set() or not lock.acquire()) and scheduler.running:
            log.warning("clock %s stops leading", owner)
            scheduler.shutdown(wait=False)

    scheduler = build_scheduler(app, renew)
    threading.Thread(target=_shutdown_on, args=(stop, scheduler), daemon=True).start()
    renew()
    if not stop.is_set():
        scheduler.start()


def run_clock(app: Flask, stop: threading.Event) -> None:
    """Wait to become leader, run the jobs while leading, go back to waiting if the lead is lost."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    lock = LeaderLock(app.extensions["db"], owner)
    while not stop.is_set():
        if lock.acquire():
            log.info("clock %s leads", owner)
            _lead(app, lock, owner, stop)
        else:
            stop.wait(RENEW_SECONDS)
    lock.release()
