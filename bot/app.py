"""The app factory, in the style of Flask's tutorial: each subsystem registers with init_app."""

from __future__ import annotations

import logging
import os

from flask import Flask

from bot import cli, config, db, reports, web, webhook
from handlers import build_router


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web app; the worker, clock and CLI run inside the same app context."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(message)s")
    config.settle_line(app.config)  # on the final settings: raises ConfigError, stops start-up

    db.init_app(app)

    app.extensions["router"] = build_router()
    webhook.init_app(app)
    cli.init_app(app)
    reports.init_app(app)
    web.init_app(app)
    return app
