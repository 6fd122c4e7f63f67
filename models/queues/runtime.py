"""Process liveness and leadership: heartbeats for /healthz, leases for the single clock, and the
loop every long-running process (worker, link checker) runs until it is told to stop."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow

log = logging.getLogger(__name__)


class Heartbeat(Base):
    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    owner: Mapped[str | None] = mapped_column(String(64))


class Lease(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime] = mapped_column(DateTime)


def beat(session: Session, name: str, owner: str) -> None:
    """Record that a process is alive, for /healthz."""
    row = session.get(Heartbeat, name)
    if row is None:
        session.add(Heartbeat(name=name, at=utcnow(), owner=owner))
    else:
        row.at, row.owner = utcnow(), owner


class Pulse:
    """A loop's heartbeat for /healthz, written at most once every few seconds."""

    def __init__(self, database, name: str, owner: str, every: float = 5.0):
        self.database, self.name, self.owner, self.every = database, name, owner, every
        self.last: float | None = None

    def __call__(self) -> None:
        if self.last is None or time.monotonic() - self.last >= self.every:
            with self.database.session() as session:
                beat(session, self.name, self.owner)
            self.last = time.monotonic()


def run_until(
    stop: threading.Event,
    step: Callable[[], int],
    name: str,
    idle_sleep: float,
    error_sleep: float,
    pulse: Pulse | None = None,
    logger: logging.Logger = log,
) -> None:
    """Beat and step until `stop` is set: rest `idle_sleep` when a step found nothing to do,
    and `error_sleep` after an error (the database blinked), which is logged (on the caller's
    `logger`), never raised."""
    while not stop.is_set():
        try:
            if pulse is not None:
                pulse()
            if not step():
                stop.wait(idle_sleep)
        except Exception:
            logger.exception("%s loop error", name)
            stop.wait(error_sleep)
