"""`flask --app wsgi clock`: APScheduler in Asia/Bangkok, one leader at a time."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app

from bot.worker import beat
from scheduler.jobs import TASKS, planned_jobs
from scheduler.leader import LeaderLock

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 6 * 3600  # a clock down for a few hours still catches up, once
RENEW_SECONDS = 10


def _in_app(app: Flask, func):
    def run():
        with app.app_context():
            func()

    run.__name__ = func.__name__
    return run


def build_scheduler(app: Flask, on_lost_lead) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone="Asia/Bangkok",
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    for spec in planned_jobs():
        scheduler.add_job(
            _in_app(app, TASKS[spec.func]),
            spec.trigger,
            id=spec.id,
            replace_existing=True,
            **spec.trigger_args,
        )
    scheduler.add_job(
        _in_app(app, on_lost_lead),
        "interval",
        seconds=RENEW_SECONDS,
        id="leader-renew",
        replace_existing=True,
    )
    return scheduler


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


@click.command("clock")
def clock_command():
    """Run the scheduler (one leader; a second clock stays idle)."""
    from bot.cli import stop_on_signals

    run_clock(current_app._get_current_object(), stop_on_signals())
