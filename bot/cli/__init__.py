"""The operator CLI, `flask --app wsgi <command>`: one module per noun."""

from __future__ import annotations

from flask import Flask

from bot.cli import dev, faq, notices, oit, processes, registry, year


def init_app(app: Flask) -> None:
    """Register every noun's commands; the order is that of init-db's loads and of stats' keys."""
    for module in (processes, registry, year, oit, faq, notices, dev):
        module.init_app(app)
