"""Who a reminder concerns and the ways to reach them: its agencies still behind, their admins
who are friends of the bot (one message each, one-to-one), and the group (one per member)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.notices.candidates import COORDINATOR_KINDS, Candidate
from models.notices.respondents import below_target
from models.notices.text import admins_of, behind
from models.registry.tables import Province

log = logging.getLogger(__name__)
GROUP, ONE_TO_ONE, HELD = "group", "one_to_one", "held"
RESPONDENTS = "milestone:iit_eit"


@dataclass(frozen=True)
class Audience:
    """The agencies a reminder concerns today, and the admins of each who are friends."""

    agencies: tuple[int, ...]
    friends: dict[int, tuple[str, ...]]  # agency id -> LINE user ids of its friend admins

    @property
    def users(self) -> tuple[str, ...]:
        """The friend admins, once each (an admin of two agencies gets one message)."""
        return tuple(dict.fromkeys(u for a in self.agencies for u in self.friends.get(a, ())))

    @property
    def uncovered(self) -> int:
        """Agencies none of whose admins is a friend: only a group push reaches them."""
        return sum(1 for a in self.agencies if not self.friends.get(a))


def audience_key(c: Candidate) -> tuple[int, str, bool]:
    """Reminders of one group that read the same state share one audience."""
    return c.province_id, c.group_kind, c.subject == RESPONDENTS


def concerned(session: Session, province: Province, group_kind: str, respondents: bool,
              today: dt.date) -> list[int]:  # fmt: skip
    """Agency ids a reminder for this group names today (as the group's message does)."""
    if respondents:
        return [agency.id for agency, _ in below_target(session, province, group_kind, today)]
    return [agency.id for agency, _, _ in behind(session, province, group_kind, today)]


def audiences(session: Session, month: list[Candidate], today: dt.date) -> dict[tuple, Audience]:
    """Today's audience of every agency reminder in `month`: the estimate for future ones too
    (agencies finish, so a later reminder concerns at most these). A group whose agencies
    cannot be read is left out: its reminders are planned as group pushes."""
    keys = {audience_key(c) for c in month if c.costs and c.kind not in COORDINATOR_KINDS}
    provinces = {p.id: p for p in session.scalars(select(Province).where(
        Province.id.in_({k[0] for k in keys})))} if keys else {}  # fmt: skip
    agencies = {}
    for key in sorted(keys):
        try:
            with session.begin_nested():
                agencies[key] = concerned(session, provinces[key[0]], key[1], key[2], today)
        except Exception as error:  # noqa: BLE001 - one province's data must not stop the plan
            log.error("who province %s's reminders concern: %s", key[0], type(error).__name__)
    admins = admins_of(session, sorted({a for ids in agencies.values() for a in ids}))
    friends = {
        a: tuple(p.line_user_id for p in people if p.is_friend) for a, people in admins.items()
    }
    return {
        key: Audience(tuple(ids), {a: friends[a] for a in ids if friends.get(a)})
        for key, ids in agencies.items()
    }
