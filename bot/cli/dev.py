"""Developer commands: the local LINE stand-in, the terminal chat, `make run`, the demo province."""

from __future__ import annotations

import sys
from urllib.parse import urlparse

import click
from flask import Flask, current_app

from bot.cli.options import today
from bot.db import get_db
from bot.dev.chat import run_chat
from bot.dev.demo import seed_demo
from bot.dev.fake_line import serve_fake_line
from bot.dev.serve import run_all


@click.command("fake-line")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=None, type=int)
@click.option("--webhook-url", default="http://127.0.0.1:8000/callback")
def fake_line_command(host: str, port: int | None, webhook_url: str):
    """Run the local stand-in of the LINE API (for people without a LINE account, and tests)."""
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
    cfg = current_app.config
    if not cfg["LOCAL_LINE"]:
        raise click.ClickException("chat works only with the local stand-in (no LINE credentials)")
    sys.exit(run_chat(bot_url, cfg["LINE_API_BASE_URL"], cfg["LINE_CHANNEL_SECRET"], group, user))


@click.command("serve")
@click.option("--port", default=8000, type=int, envvar="PORT", show_default=True)
def serve_command(port: int):
    """Run web, worker and clock (and the LINE stand-in without credentials) for `make run`."""
    sys.exit(run_all(current_app.config, port))


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo province (agencies, groups, calendar for the current fiscal year)."""
    with get_db().session() as session:
        summary = seed_demo(session, today())
    click.echo(summary, err=True)


def init_app(app: Flask) -> None:
    for command in (fake_line_command, chat_command, serve_command, seed_demo_command):
        app.cli.add_command(command)
