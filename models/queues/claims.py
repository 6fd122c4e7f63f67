"""Leased claims on queue tables: SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from models.queues.leases import PENDING


def owner_id(prefix: str = "") -> str:
    """Who holds a lease: host, process and a random tail, so two processes never share one."""
    return f"{prefix}{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def claim(session: Session, model, owner: str, now: datetime, lease: int, limit: int) -> list[int]:
    """Lease up to `limit` due pending rows to `owner` for `lease` seconds; returns their ids."""
    query = (
        select(model.id)
        .where(
            model.status == PENDING,
            model.next_attempt_at <= now,
            or_(model.lease_until.is_(None), model.lease_until < now),
        )
        .order_by(model.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease))
        )
    return ids


def hold(session: Session, model, row_id: int, owner: str, now: datetime, lease: int):
    """Lock one row this owner still leases and renew its lease; None if the lease was lost.

    Rows of a batch whose lease runs out before their turn may pass to another worker; the
    owner check here is what keeps that from processing a row twice.
    """
    query = select(model).where(
        model.id == row_id, model.lease_owner == owner, model.status == PENDING
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        return None
    row.lease_until = now + timedelta(seconds=lease)
    return row


class ClaimLoop:
    """One queue as its worker works it: claim a due batch at once, then hold each row afresh
    while it is processed, so no two workers ever process the same row."""

    def __init__(self, database, model, owner: str, lease: int):
        self.database, self.model, self.owner, self.lease = database, model, owner, lease

    def hold(self, session: Session, row_id: int, now: datetime):
        """The row, locked and leased again for this owner; None if its lease passed on."""
        return hold(session, self.model, row_id, self.owner, now, self.lease)

    def run_batch(
        self,
        now: datetime,
        limit: int,
        process: Callable[[int], None],
        on_error: Callable[[int, Exception], None] | None = None,
    ) -> int:
        """Claim up to `limit` rows due at `now` in one short transaction, then process each by
        id; returns how many were claimed. With `on_error`, a row that raises costs that row,
        never the rest of the batch; without it the error ends the batch."""
        with self.database.session() as session:
            ids = claim(session, self.model, self.owner, now, self.lease, limit)
        for row_id in ids:
            if on_error is None:
                process(row_id)
                continue
            try:
                process(row_id)
            except Exception as error:
                on_error(row_id, error)
        return len(ids)
