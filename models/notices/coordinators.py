"""Notices a person's message sends to the coordinators' groups, within the daily limits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.notices import limits as notice_limits
from models.registry.group_setup import coordinators_groups

SENT, WITHHELD, NOWHERE = "sent", "withheld", "nowhere"


def groups_to_notify(
    session: Session,
    province_id: int,
    sender: str | None,
    now: datetime,
    limits: tuple[int, int],
) -> tuple[list[str], str]:
    """(the coordinators' LINE groups to push to, SENT | WITHHELD | NOWHERE): NOWHERE when the
    province has no coordinators' group, WITHHELD when this person or province used the day's
    notices (the request stays in its pending list and is counted in the daily digest).
    `limits`: (per person, per province) a day."""
    groups = coordinators_groups(session, province_id)
    if not groups:
        return [], NOWHERE
    if not notice_limits.allow(session, sender or "unknown", province_id, now, limits):
        return [], WITHHELD
    return groups, SENT
