"""What the clock would queue over a span, queueing nothing: for operators to check the plan."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.notices.budget import (
    DEFAULT_GROUP_SIZE,
    assumed_sizes,
    group_sizes,
    month_bounds,
    month_candidates,
)
from models.notices.delivery import ReportLink, notices, plain
from models.notices.plan import plan
from models.notices.quiet_hours import next_allowed
from models.registry.tables import Province


def preview(
    session: Session, start: dt.datetime, until: dt.datetime, config: dict, link: ReportLink,
    province_id=None,
):  # fmt: skip
    """What the clock would queue in [start, until], without queueing anything (`size_assumed`:
    the group's member count is DEFAULT_GROUP_SIZE, a guess; `send_at`: after quiet hours)."""
    months, cursor = {}, month_bounds(start)[0]
    while cursor <= until:
        months[cursor] = month_candidates(session, cursor)
        cursor = month_bounds(cursor)[1]
    moments = sorted({c.at for month in months.values() for c in month if start <= c.at <= until})
    names = {p.id: p.name for p in session.scalars(select(Province))}
    sizes, assumed = group_sizes(session), assumed_sizes(session)
    rows = []
    for at in moments:
        month = months[month_bounds(at)[0]]
        decisions = plan(session, at, config["LINE_MONTHLY_MESSAGE_BUDGET"], month, since=start)
        for c, messages, decision in notices(
            session, at, config, link, province_id, month, decisions
        ):
            rows.append(
                {
                    "at": at.isoformat(),
                    "province": names[c.province_id],
                    "group_id": c.group_id,
                    "group_kind": c.group_kind,
                    "kind": c.kind,
                    "text": plain(messages, session),
                    "mentions": [
                        s["mentionee"]["userId"]
                        for m in messages
                        for s in (m.get("substitution") or {}).values()
                    ],
                    "estimated_messages": decision.estimated(
                        sizes.get(c.group_id, DEFAULT_GROUP_SIZE)
                    ),
                    "size_assumed": c.group_id in assumed,
                    "delivery": decision.delivery,
                    "route": decision.route,
                    "recipients": list(decision.recipients),
                    "send_at": next_allowed(at, config).isoformat(),
                }
            )
    return rows
