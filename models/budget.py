"""The LINE message budget: which candidate pushes of a month fit, most important first."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.chats import Group
from models.notifications import BANGKOK, Candidate, candidates_between
from models.outbox import OutboxMessage

DEFAULT_GROUP_SIZE = 40  # until LINE has told us the group's member count


def month_bounds(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Start of this month and of the next, in Bangkok time."""
    start = at.astimezone(BANGKOK).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following


def month_candidates(session: Session, at: dt.datetime) -> list[Candidate]:
    """Every province's candidates whose moment falls in the month of `at`."""
    return candidates_between(session, *month_bounds(at))


def group_sizes(session: Session) -> dict[str, int]:
    rows = session.execute(select(Group.line_group_id, Group.member_count))
    return {group_id: count or DEFAULT_GROUP_SIZE for group_id, count in rows}


def other_pushes(session: Session, at: dt.datetime) -> int:
    """Messages already spent this month on pushes that are not planned notices."""
    start, following = month_bounds(at)
    utc = lambda t: t.astimezone(dt.UTC).replace(tzinfo=None)  # noqa: E731
    return int(
        session.scalar(
            select(func.coalesce(func.sum(OutboxMessage.recipients), 0)).where(
                OutboxMessage.method == "push",
                OutboxMessage.notification_key.is_(None),
                OutboxMessage.sent_at >= utc(start),
                OutboxMessage.sent_at < utc(following),
            )
        )
    )


def plan(session: Session, at: dt.datetime, budget: int, month: list[Candidate]) -> dict[str, str]:
    """{candidate key: "push" or "held"} for the month of `at` (`month`: its candidates, see
    month_candidates), greedy by priority."""
    sizes = group_sizes(session)
    month = [c for c in month if c.costs]
    # Reserve one push to each coordinators' group: the warning that notices are being held.
    coordinators = {c.group_id for c in month if c.group_kind == "coordinators"}
    reserve = sum(sizes.get(g, DEFAULT_GROUP_SIZE) for g in coordinators)
    spent = other_pushes(session, at) + reserve
    decisions = {}
    for c in sorted(month, key=lambda c: (c.priority, c.at, c.group_id)):
        cost = sizes.get(c.group_id, DEFAULT_GROUP_SIZE)
        if spent + cost <= budget:
            decisions[c.key], spent = "push", spent + cost
        else:
            decisions[c.key] = "held"
    return decisions
