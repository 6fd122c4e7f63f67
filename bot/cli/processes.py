"""Operator commands for the long-running processes and the database they share."""

from __future__ import annotations

import json
import signal
import threading

import click
from flask import Flask, current_app

import scheduler.clock
from bot import stats
from bot.db import get_db
from bot.worker import Worker
from models.base import utcnow
from models.notices.retention import purge_expired


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM/SIGINT, so loops finish the row in hand and exit cleanly."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@click.command("init-db")
def init_db_command():
    """Create or migrate the database and load the shipped data files (idempotent)."""
    get_db().upgrade()
    for loader in current_app.extensions.get("data_loaders", []):
        loader()
    click.echo("ฐานข้อมูลพร้อมใช้งาน", err=True)


@click.command("worker")
@click.option("--once", is_flag=True, help="Drain what is pending, then exit.")
def worker_command(once: bool):
    """Process inbox events and send the outbox."""
    worker = Worker(current_app._get_current_object())
    if once:
        click.echo(f"processed {worker.run_once()} item(s)", err=True)
        return
    worker.run_forever(stop_on_signals())


@click.command("clock")
def clock_command():
    """Run the scheduler (one leader; a second clock stays idle)."""
    scheduler.clock.run_clock(current_app._get_current_object(), stop_on_signals())


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on standard output.")
def stats_command(as_json: bool):
    """Queue sizes and this month's message use."""
    with get_db().session() as session:
        figures = stats.collect(
            session, utcnow(), current_app.config["LINE_MONTHLY_MESSAGE_BUDGET"]
        )
        for collector in current_app.extensions.get("stats_collectors", []):
            figures.update(collector(session))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
    else:
        for key, value in figures.items():
            click.echo(f"{key}: {value}")


@click.command("purge")
def purge_command():
    """Delete processed raw events older than INBOX_RETENTION_DAYS."""
    with get_db().session() as session:
        deleted = purge_expired(session, current_app.config["INBOX_RETENTION_DAYS"])
    click.echo(json.dumps(deleted), err=True)


def init_app(app: Flask) -> None:
    for command in (init_db_command, worker_command, clock_command, stats_command, purge_command):
        app.cli.add_command(command)
