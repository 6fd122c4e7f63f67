"""Engine, sessions and migrations; one Database per app, reached through current_app."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from models.base import MIGRATIONS_DIR


class Database:
    """What a process needs to talk to the database."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Create or migrate the schema to the newest revision (idempotent)."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")


def _make_engine(url: str) -> Engine:
    # hide_parameters: a failed statement's message (logged, stored as an error) would quote
    # its bound values, which include what people wrote.
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Take over transaction control so every transaction can start with BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    gate = _WriterGate(Path(url.removeprefix("sqlite:///") + ".lock"))

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection):
        # A writer takes the lock up front, so two writers queue instead of deadlocking.
        gate.acquire()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            gate.release()
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(connection):
        gate.release()

    return engine


class _WriterGate:
    """Queue SQLite writers of every process on a lock file.

    SQLite's own busy handler sleeps in steps of 1, 2, 5, 10… ms when the database is locked;
    waiting on an flock instead wakes a writer the moment the previous one commits.
    """

    def __init__(self, path: Path):
        self.path, self.fd = path, None
        self.local = threading.local()
        self.threads = threading.Lock()

    def acquire(self) -> None:
        if getattr(self.local, "held", False):
            return
        self.threads.acquire()
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        self.local.held = True

    def release(self) -> None:
        if getattr(self.local, "held", False):
            self.local.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.threads.release()


def init_app(app: Flask) -> None:
    app.extensions["db"] = Database(app.config["DATABASE_URL"])


def get_db() -> Database:
    return current_app.extensions["db"]
