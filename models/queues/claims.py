"""Leased claims on queue tables: SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session


def claim(session: Session, model, owner: str, now: datetime, lease: int, limit: int) -> list[int]:
    """Lease up to `limit` due pending rows to `owner` for `lease` seconds; returns their ids."""
    query = (
        select(model.id)
        .where(
            model.status == "pending",
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
        model.id == row_id, model.lease_owner == owner, model.status == "pending"
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        return None
    row.lease_until = now + timedelta(seconds=lease)
    return row
