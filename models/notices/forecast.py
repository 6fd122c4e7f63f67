"""A month's message budget as operators read it (`budget --json`): what was spent, the plan of
notices with their routes, the forecast, what is held, and LINE's own count beside the bot's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from models.base import month_bounds
from models.notices.budget import (
    DEFAULT_GROUP_SIZE,
    assumed_sizes,
    group_sizes,
    line_check,
    month_candidates,
    month_utc,
    push_spend,
)
from models.notices.held import waiting
from models.notices.plan import plan


def month_report(session: Session, at: dt.datetime, now: dt.datetime, budget: int) -> dict:
    """The month of `at` (aware): notices from `now` on are planned, earlier ones are what
    the outbox holds (or held); `plan` lists the month's notices still to come, or all of a
    month that is not the current one."""
    month = month_candidates(session, at)
    decisions = plan(session, at, budget, month, since=now)
    sizes, assumed = group_sizes(session), assumed_sizes(session)
    current = month_bounds(at)[0] == month_bounds(now)[0]
    listed = [c for c in month if c.costs and (c.at >= now or not current)]
    used, line = push_spend(session, *month_utc(at))[1], line_check(session, at)
    report = {
        "month": month_bounds(at)[0].strftime("%Y-%m"),
        "budget": budget,
        "used": used,
        "line_used": None if line is None else line[0],
        # LINE's count minus the bot's own up to LINE's reading: pushes made elsewhere
        "difference": None if line is None else line[0] - line[1],
        "plan": [
            {
                "at": c.at.isoformat(),
                "group_id": c.group_id,
                "kind": c.kind,
                "estimated_messages": decisions[c.key].estimated(
                    sizes.get(c.group_id, DEFAULT_GROUP_SIZE)
                ),
                "size_assumed": c.group_id in assumed,
                "delivery": decisions[c.key].delivery,
                "route": decisions[c.key].route,
                "recipients": list(decisions[c.key].recipients),
            }
            for c in sorted(listed, key=lambda c: (c.at, c.group_id))
        ],
        "held": [
            {"group_id": h.group_id, "key": h.key, "since": h.created_at.isoformat()}
            for h in waiting(session)
        ],
    }
    upcoming = [p for p in report["plan"] if dt.datetime.fromisoformat(p["at"]) >= now]
    extra = 0 if line is None else max(0, line[0] - line[1])
    report["forecast"] = (
        used + extra + sum(p["estimated_messages"] for p in upcoming if p["delivery"] == "push")
    )
    report["assumed_sizes"] = sorted({p["group_id"] for p in report["plan"] if p["size_assumed"]})
    return report
