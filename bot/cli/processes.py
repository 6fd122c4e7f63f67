"""Operator commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import json
import signal
import sys
import threading

import click
from flask import Flask, current_app

from bot.db import get_db
from models.base import utcnow


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
    from bot.worker import Worker

    worker = Worker(current_app._get_current_object())
    if once:
        click.echo(f"processed {worker.run_once()} item(s)", err=True)
        return
    worker.run_forever(stop_on_signals())


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on standard output.")
def stats_command(as_json: bool):
    """Queue sizes and this month's message use."""
    from bot import stats

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
    from bot.privacy import purge_expired

    with get_db().session() as session:
        deleted = purge_expired(session, current_app.config["INBOX_RETENTION_DAYS"])
    click.echo(json.dumps(deleted), err=True)


@click.command("fake-line")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=None, type=int)
@click.option("--webhook-url", default="http://127.0.0.1:8000/callback")
def fake_line_command(host: str, port: int | None, webhook_url: str):
    """Run the local stand-in of the LINE API (for people without a LINE account, and tests)."""
    from urllib.parse import urlparse

    from bot.dev.fake_line import serve_fake_line

    cfg = current_app.config
    port = port or urlparse(cfg["LINE_API_BASE_URL"]).port or 8001
    serve_fake_line(
        host, port, webhook_url, cfg["LINE_CHANNEL_SECRET"], cfg["LINE_CHANNEL_ACCESS_TOKEN"]
    )


@click.command("chat")
@click.option("--group", default=None, help="Group name; without it, a one-to-one chat.")
@click.option("--user", default="ผู้ทดลอง", help="Your display name.")
@click.option("--bot-url", default="http://127.0.0.1:8000")
def chat_command(group: str | None, user: str, bot_url: str):
    """Chat with the running bot from the terminal, through the local LINE stand-in."""
    from bot.dev.chat import run_chat

    cfg = current_app.config
    if not cfg["LOCAL_LINE"]:
        raise click.ClickException("chat works only with the local stand-in (no LINE credentials)")
    sys.exit(run_chat(bot_url, cfg["LINE_API_BASE_URL"], cfg["LINE_CHANNEL_SECRET"], group, user))


@click.command("serve")
@click.option("--port", default=8000, type=int, envvar="PORT", show_default=True)
def serve_command(port: int):
    """Run web, worker and clock (and the LINE stand-in without credentials) for `make run`."""
    from bot.dev.serve import run_all

    sys.exit(run_all(current_app.config, port))


def init_app(app: Flask) -> None:
    from scheduler.clock import clock_command

    for command in (
        init_db_command,
        worker_command,
        stats_command,
        purge_command,
        fake_line_command,
        chat_command,
        serve_command,
        clock_command,
    ):
        app.cli.add_command(command)
