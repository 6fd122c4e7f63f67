"""The month's plan: for each notice the route that fits the LINE budget, recomputed the same
way each time from the month's candidates, what the outbox already holds and today's state.

First every notice gets its cheapest useful route, most important first: the coordinators'
notices and the leads a province asked to call in the group go to the group; a reminder goes
one-to-one to its agencies' admins who are friends of the bot. Then, while the month allows,
reminders that still miss agencies (admins not friends, or none registered) become group
pushes, those that reach the most agencies per extra message first, the more important lead
on a tie. What does not fit is held for the group's next (free) reply.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.notices.budget import (
    DEFAULT_GROUP_SIZE,
    group_sizes,
    line_extra,
    month_utc,
    other_pushes,
)
from models.notices.candidates import BANGKOK, Candidate, parse_leads
from models.notices.routes import GROUP, HELD, ONE_TO_ONE, Audience, audience_key, audiences
from models.queues.outbox import OutboxMessage
from models.registry.tables import Province


@dataclass(frozen=True)
class Decision:
    """How one notice goes out: `recipients` are the group id or the admins' user ids."""

    route: str  # group | one_to_one | held
    recipients: tuple[str, ...] = ()
    cost: int = 0
    missed: int = 0  # agencies the route does not reach (their notice is held for the group)

    @property
    def delivery(self) -> str:
        return HELD if self.route == HELD else "push"

    def estimated(self, group_size: int) -> int:
        """What the notice costs as planned; a held one, what a group push would have cost."""
        return group_size if self.route == HELD else self.cost


def one_to_one_key(c: Candidate, user_id: str) -> str:
    return f"{c.key}:{user_id}"


def queued_routes(session: Session, month: list[Candidate], at: dt.datetime) -> dict:
    """{candidate key: Decision} for the notices the outbox holds already, at their cost (what
    LINE counted once sent; a member count or one message while waiting)."""
    keys, sizes = {c.key for c in month}, group_sizes(session)
    start, following = month_utc(at)
    rows = session.execute(
        select(OutboxMessage.notification_key, OutboxMessage.to, OutboxMessage.recipients).where(
            OutboxMessage.notification_key.is_not(None),
            OutboxMessage.created_at >= start - dt.timedelta(days=1),
            OutboxMessage.created_at < following,
        )
    )
    found: dict[str, list] = {}
    for key, to, recipients in rows:
        key = key.split("#")[0]
        if key in keys:
            route, cost = GROUP, recipients or sizes.get(to, DEFAULT_GROUP_SIZE)
        elif key.rsplit(":", 1)[0] in keys:
            key, route, cost = key.rsplit(":", 1)[0], ONE_TO_ONE, recipients or 1
        else:
            continue
        entry = found.setdefault(key, [route, [], 0])
        entry[1].append(to)
        entry[2] += cost
    return {k: Decision(r, tuple(dict.fromkeys(to)), cost) for k, (r, to, cost) in found.items()}


def roll_calls(session: Session, month: list[Candidate]) -> set[str]:
    """Keys of reminders on leads a province asked to call in the group, whatever it costs."""
    ids = {c.province_id for c in month}
    leads = {
        p.id: set(parse_leads(p.roll_call_days))
        for p in session.scalars(select(Province).where(Province.id.in_(ids)))
        if p.roll_call_days
    }
    return {c.key for c in month if c.lead in leads.get(c.province_id, ())}


def plan(
    session: Session, at: dt.datetime, budget: int, month: list[Candidate],
    since: dt.datetime | None = None,
) -> dict[str, Decision]:  # fmt: skip
    """{candidate key: Decision} for the month of `at` (`month`: its candidates). Notices
    before `since` (default `at`) that the outbox does not hold were not sent: held."""
    since = at if since is None else since
    sizes = group_sizes(session)
    month = [c for c in month if c.costs]
    decisions = queued_routes(session, month, at)
    # Reserve one push to each coordinators' group: the warning that notices are being held.
    coordinators = {c.group_id for c in month if c.group_kind == "coordinators"}
    spent = other_pushes(session, at) + line_extra(session, at)
    spent += sum(sizes.get(g, DEFAULT_GROUP_SIZE) for g in coordinators)
    spent += sum(d.cost for d in decisions.values())
    for c in month:
        if c.key not in decisions and c.at < since:
            decisions[c.key] = Decision(HELD)
    open_ = sorted((c for c in month if c.key not in decisions),
                   key=lambda c: (c.priority, c.at, c.group_id))  # fmt: skip
    reach = audiences(session, open_, since.astimezone(BANGKOK).date())
    upgrades = []
    called = roll_calls(session, open_)
    today = since.astimezone(BANGKOK).date()
    first: dict[tuple, int] = {}  # the earliest lead of each deadline: when the countdown starts
    for c in month:
        first[c.province_id, c.subject] = max(c.lead, first.get((c.province_id, c.subject), 0))
    for c in open_:
        size = sizes.get(c.group_id, DEFAULT_GROUP_SIZE)
        group = Decision(GROUP, (c.group_id,), size)
        audience = reach.get(audience_key(c))
        share = expected_share(c, today, first[c.province_id, c.subject])
        # a roll-call is a group push whatever it costs, when someone is still behind
        called_now = c.key in called and (audience is None or audience.agencies)
        options = [group] if audience is None or called_now else []
        if audience is not None:
            options += cheapest(audience, group, share)
        fits = (o for o in options if spent + o.cost <= budget)
        missed = math.ceil(len(audience.agencies) * share) if audience else 0
        chosen = next(fits, Decision(HELD, missed=missed))
        decisions[c.key], spent = chosen, spent + chosen.cost
        if chosen.missed:
            upgrades.append(c)
    for c in sorted(upgrades, key=lambda c: value_order(c, decisions[c.key], sizes)):
        extra = sizes.get(c.group_id, DEFAULT_GROUP_SIZE) - decisions[c.key].cost
        if spent + extra <= budget:
            decisions[c.key] = Decision(GROUP, (c.group_id,), decisions[c.key].cost + extra)
            spent += extra
    return decisions


def expected_share(c: Candidate, today: dt.date, first_lead: int) -> float:
    """The share of today's audience a later reminder of the same deadline is expected to
    concern: from the first reminder on, agencies still behind finish at an even pace until
    the deadline (1 for today's; 4/8 for the 3-day lead seen from the 7-day one or earlier)."""
    left_then = (c.deadline - c.at.date()).days + 1
    left_now = min((c.deadline - today).days, first_lead) + 1
    return min(1.0, max(left_then, 1) / max(left_now, 1))


def cheapest(audience: Audience, group: Decision, share: float = 1.0) -> list[Decision]:
    """The route to try first for a reminder: its friends one-to-one (every agency when each
    has one), or the group when that costs no more; none when no admin of it is a friend (a
    group push may still come, by value, with the upgrades). `share`: see expected_share."""
    if not audience.agencies:
        return [Decision(ONE_TO_ONE)]  # nobody behind today: nothing to send, nothing spent
    users = audience.users
    if not users:
        return [Decision(HELD, missed=math.ceil(len(audience.agencies) * share))]
    cost = math.ceil(len(users) * share)
    if group.cost <= cost:
        return [group]
    return [Decision(ONE_TO_ONE, users, cost, math.ceil(audience.uncovered * share))]


def value_order(c: Candidate, decision: Decision, sizes: dict[str, int]) -> tuple:
    """Most agencies reached per extra message first, then the more important notice."""
    extra = max(sizes.get(c.group_id, DEFAULT_GROUP_SIZE) - decision.cost, 1)
    return (-decision.missed / extra, c.priority, c.at, c.group_id)
