"""Alembic environment: uses the app's connection when given one, else DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

import models  # registers every table
from models.base import normalise_database_url

target_metadata = models.base.Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = normalise_database_url(os.environ.get("DATABASE_URL", "sqlite:///instance/ita.sqlite3"))
    with create_engine(url, hide_parameters=True).connect() as connection, connection.begin():
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
