"""Only one clock may run jobs: a PostgreSQL advisory lock, or a lease row on SQLite."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.db import Database
from models.base import utcnow
from models.queues import Lease

LOCK_KEY = 727_000_001  # any fixed 64-bit number shared by every clock of this deployment


class LeaderLock:
    def __init__(self, database: Database, owner: str, name: str = "clock", ttl: int = 30):
        self.db, self.owner, self.name, self.ttl = database, owner, name, ttl
        self._connection = None

    def acquire(self) -> bool:
        """Try once; True when this process is (still) the leader."""
        if self.db.is_sqlite:
            return self._take_lease()
        if self._connection is None:
            self._connection = self.db.engine.connect()
            self._connection.execution_options(isolation_level="AUTOCOMMIT")
            got = self._connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            ).scalar()
            if not got:
                self.release()
            return bool(got)
        try:  # the lock lives as long as the connection that took it
            self._connection.execute(text("SELECT 1"))
            return True
        except OperationalError:
            self._connection = None
            return False

    def _take_lease(self) -> bool:
        now = utcnow()
        until = now + timedelta(seconds=self.ttl)
        with self.db.session() as session:
            taken = session.execute(
                update(Lease)
                .where(Lease.name == self.name, (Lease.owner == self.owner) | (Lease.until < now))
                .values(owner=self.owner, until=until)
            ).rowcount
            if taken:
                return True
            if session.scalar(select(Lease.name).where(Lease.name == self.name)) is not None:
                return False
            try:
                with session.begin_nested():
                    session.add(Lease(name=self.name, owner=self.owner, until=until))
            except IntegrityError:
                return False
            return True

    def release(self) -> None:
        if self._connection is not None:
            try:  # unlock, then drop the connection rather than pool it
                self._connection.execute(text("SELECT pg_advisory_unlock_all()"))
                self._connection.invalidate()
            except OperationalError:
                pass
            finally:
                self._connection = None
        elif self.db.is_sqlite:
            with self.db.session() as session:
                session.execute(
                    update(Lease)
                    .where(Lease.name == self.name, Lease.owner == self.owner)
                    .values(until=utcnow())
                )
