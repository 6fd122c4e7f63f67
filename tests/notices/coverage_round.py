"""A whole round of reminders on the demo province, for coverage: who was reminded before each
deadline, by any route. Used by tests/notices/test_coverage.py and bench/reminder_coverage.py.

The fixture (worked out before any run): the demo province (18 regional agencies, 22 อปท.;
groups of 40 + 40 + 5 members), its calendar from 1 January to the IIT/EIT close (31 May) plus
ten days, one admin per agency, friends of the bot at a given share (agency number i in each
group, by code, is a friend when i mod 5 < 5 × share). On the morning of each reminder the
first k agencies of each group (by code) still miss something, k = 40 % of the group 7 days
before the deadline, 20 % at 3 days, 10 % the day before and 5 % on the day (the nearest
deadline's lead decides when two deadlines share a morning); the others have every OIT item
and both IIT/EIT targets met. Outbox rows queued count as delivered (the queue's own tests
prove delivery); their cost is the group's size or one message to a person.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update

from models.base import BANGKOK
from models.notices.budget import month_candidates
from models.oit import Submission
from models.oit.submissions import RespondentCount
from models.queues import OutboxMessage
from models.registry import Agency, Person, RoleGrant
from models.registry.tables import Province
from models.year.frameworks import active_framework
from models.year.tables import FrameworkItem

SIZES = {"regional": 40, "local": 40, "coordinators": 5}
BEHIND = {7: 0.40, 3: 0.20, 1: 0.10, 0: 0.05}
START = dt.datetime(2027, 1, 1, tzinfo=BANGKOK)
END = dt.datetime(2027, 6, 11, tzinfo=BANGKOK)  # the IIT/EIT close (31 May) plus ten days
AGENCY_GROUPS = ("regional", "local")


@dataclass
class Outcome:
    """Reminders asked for and delivered, and each month's messages by route."""

    asked: set = field(default_factory=set)  # (agency id, subject, lead)
    delivered: set = field(default_factory=set)
    months: dict = field(default_factory=lambda: defaultdict(Counter))  # month -> route -> n

    @property
    def coverage(self) -> float:
        return len(self.asked & self.delivered) / len(self.asked)


def agencies_by_group(session) -> dict[str, list[Agency]]:
    rows = session.scalars(select(Agency).order_by(Agency.code)).all()
    return {
        "regional": [a for a in rows if a.kind == "regional"],
        "local": [a for a in rows if a.kind != "regional"],
    }


def add_admins(db, friends: float) -> None:
    """One admin per agency; agency i of each group is a friend when i mod 5 < 5 × friends."""
    with db.session() as session:
        province_id = session.scalar(select(Province.id))
        for agencies in agencies_by_group(session).values():
            for i, agency in enumerate(agencies):
                person = Person(line_user_id=f"U{agency.code:0>32}", display_name=agency.code,
                                is_friend=i % 5 < 5 * friends)  # fmt: skip
                session.add(person)
                session.flush()
                session.add(RoleGrant(person_id=person.id, role="agency_admin",
                                      province_id=province_id, agency_id=agency.id,
                                      status="active"))  # fmt: skip


def set_behind(db, share: float, today: dt.date) -> dict[str, set[int]]:
    """Make the first `share` of each group's agencies miss one OIT item and their IIT
    target, every other agency complete; returns {group kind: behind agency ids}."""
    with db.session() as session:
        province = session.scalar(select(Province))
        framework = active_framework(session, province, today)
        codes = session.scalars(
            select(FrameworkItem.code).where(FrameworkItem.framework_id == framework.id)
        ).all()
        session.execute(update(Submission).values(state="superseded"))  # link checks keep theirs
        session.execute(delete(RespondentCount))
        behind, rows, counts = {}, [], []
        for kind, agencies in agencies_by_group(session).items():
            late = {a.id for a in agencies[: round(share * len(agencies))]}
            behind[kind] = late
            for agency in agencies:
                mine = codes[1:] if agency.id in late else codes
                rows += [{"agency_id": agency.id, "framework_id": framework.id, "item_code": c,
                          "urls": json.dumps([f"https://a{agency.id}.go.th/{c}"]),
                          "state": "current", "review": "pending", "submitted_by": "U",
                          "source": "chat"} for c in mine]  # fmt: skip
                counts += [{"agency_id": agency.id, "framework_id": framework.id, "tool": tool,
                            "answered": 5 if agency.id in late and tool == "IIT" else 20,
                            "target": 20, "recorded_by": "U"}
                           for tool in ("IIT", "EIT")]  # fmt: skip
        session.execute(insert(Submission), rows)
        session.execute(insert(RespondentCount), counts)
    return behind


def moments(db, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every moment the provinces' calendars call for in [start, end)."""
    with db.session() as session:
        found, cursor = set(), start
        while cursor < end:
            found |= {c.at for c in month_candidates(session, cursor) if start <= c.at < end}
            cursor = (cursor.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return sorted(found)


def run_round(db, config: dict, send, friends: float) -> Outcome:
    """Every morning of the round: set the state, run the clock's job (`send`), and note what
    was asked for and what went out."""
    add_admins(db, friends)
    outcome, seen = Outcome(), 0
    users = {}
    with db.session() as session:
        for person, agency_id in session.execute(
            select(Person.line_user_id, RoleGrant.agency_id).join(
                RoleGrant, RoleGrant.person_id == Person.id
            )
        ):
            users[person] = agency_id
    for at in moments(db, START, END):
        with db.session() as session:
            due = [c for c in month_candidates(session, at) if c.at == at and c.costs]
        reminders = [c for c in due if c.group_kind in AGENCY_GROUPS]
        behind = {}
        if reminders:
            lead = min((c.deadline - at.date()).days for c in reminders)
            share = BEHIND[min((k for k in BEHIND if k >= lead), default=7)]
            behind = set_behind(db, share, at.date())
            for c in reminders:
                outcome.asked |= {(a, c.subject, c.lead) for a in behind[c.group_kind]}
        send(db, at, config, at.astimezone(dt.UTC).replace(tzinfo=None))
        with db.session() as session:
            rows = session.execute(
                select(OutboxMessage.id, OutboxMessage.to, OutboxMessage.notification_key)
                .where(OutboxMessage.id > seen)
                .order_by(OutboxMessage.id)
            ).all()
        by_key = {c.key: c for c in reminders}
        for row_id, to, key in rows:
            seen = max(seen, row_id)
            key = (key or "").split("#")[0]
            month = at.strftime("%Y-%m")
            if key in by_key:  # a group push: every agency behind in that group
                c = by_key[key]
                outcome.delivered |= {(a, c.subject, c.lead) for a in behind[c.group_kind]}
                outcome.months[month]["group"] += SIZES[c.group_kind]
            elif key.rsplit(":", 1)[0] in by_key:  # one-to-one: the admin's own agency
                c = by_key[key.rsplit(":", 1)[0]]
                outcome.delivered.add((users[to], c.subject, c.lead))
                outcome.months[month]["one_to_one"] += 1
            else:  # the coordinators' notices and warnings
                outcome.months[month]["coordinators"] += SIZES["coordinators"]
    return outcome


def describe(outcome: Outcome, label: str) -> str:
    lines = [f"{label}: coverage {len(outcome.asked & outcome.delivered)}/{len(outcome.asked)}"
             f" = {outcome.coverage:.1%}"]  # fmt: skip
    for month in sorted(outcome.months):
        routes = outcome.months[month]
        lines.append(f"  {month}: {sum(routes.values())} messages " + ", ".join(
            f"{route} {n}" for route, n in sorted(routes.items())))  # fmt: skip
    return "\n".join(lines)
