"""The operator CLI, `flask --app wsgi <command>`: one module per noun."""

from __future__ import annotations

from flask import Flask

from bot.cli import faq, notices, oit, processes, registry


def init_app(app: Flask) -> None:
    """Register every noun's commands on the app."""
    for module in (processes, registry, oit, faq, notices):
        module.init_app(app)
