"""The LINE message budget of a month: group sizes, what was spent outside the plan, and LINE's
count beside the bot's (the plan itself: models.notices.plan)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.base import month_bounds
from models.notices import quota
from models.notices.candidates import Candidate, candidates_between
from models.notices.limits import DIGEST_KEY
from models.queues.leases import PROBABLY_SENT, SENT
from models.queues.outbox import OutboxMessage
from models.registry.chats import Group, Person
from models.registry.tables import ChatSetup, RoleGrant

DEFAULT_GROUP_SIZE = 40  # until LINE has told us the group's member count
UNPLANNED_KEY = "notice_failure"  # keyed (once a day) but not in the plan: counted as spent


def month_candidates(
    session: Session, at: dt.datetime, failed: set | None = None
) -> list[Candidate]:
    """Every province's candidates whose moment falls in the month of `at` (a province whose
    calendar cannot be read is left out and added to `failed`)."""
    return candidates_between(session, *month_bounds(at), failed)


def stale_sizes(session: Session, month: list[Candidate], config: dict, now_utc) -> list[str]:
    """Groups the planner prices a push for whose member count is not known this day."""
    ttl = dt.timedelta(hours=config["MEMBER_COUNT_TTL_HOURS"])
    wanted = {c.group_id for c in month if c.costs}
    rows = session.execute(
        select(Group.line_group_id, Group.member_count_at).where(
            Group.line_group_id.in_(wanted), Group.active.is_(True)
        )
    )
    return [group_id for group_id, at in rows if at is None or now_utc - at > ttl]


def stale_between(session: Session, start: dt.datetime, until: dt.datetime, config: dict, now_utc):
    """stale_sizes for the plans of every month from `start` to `until` (what preview shows)."""
    month = candidates_between(session, month_bounds(start)[0], month_bounds(until)[1])
    return stale_sizes(session, month, config, now_utc)


def store_sizes(session: Session, sizes: dict[str, int], now_utc: dt.datetime) -> None:
    """Keep the member counts LINE gave, and when, for the plans of the coming days."""
    for group in session.scalars(select(Group).where(Group.line_group_id.in_(sizes))):
        group.member_count, group.member_count_at = sizes[group.line_group_id], now_utc


def group_sizes(session: Session) -> dict[str, int]:
    rows = session.execute(select(Group.line_group_id, Group.member_count))
    return {group_id: count or DEFAULT_GROUP_SIZE for group_id, count in rows}


def assumed_sizes(session: Session) -> dict[str, str]:
    """{LINE group id: name} of groups LINE has not told us the size of: DEFAULT_GROUP_SIZE is
    a guess there, and operators must be told so."""
    rows = session.execute(
        select(Group.line_group_id, Group.name).where(Group.member_count.is_(None))
    )
    return {group_id: name or group_id for group_id, name in rows}


def other_pushes(session: Session, at: dt.datetime) -> int:
    """Messages already spent this month on pushes that are not planned notices (replies
    turned pushes, the notices that a province's reminders failed, the daily digests of
    requests)."""
    start, following = month_utc(at)
    return int(
        session.scalar(
            select(func.coalesce(func.sum(OutboxMessage.recipients), 0)).where(
                OutboxMessage.method == "push",
                or_(
                    OutboxMessage.notification_key.is_(None),
                    OutboxMessage.notification_key.like(f"{UNPLANNED_KEY}:%"),
                    OutboxMessage.notification_key.like(f"{DIGEST_KEY}:%"),
                ),
                OutboxMessage.sent_at >= start,
                OutboxMessage.sent_at < following,
            )
        )
    )


def push_spend(session: Session, start_utc: dt.datetime, until_utc: dt.datetime) -> tuple[int, int]:
    """(pushes, messages) sent in [start, until) (naive UTC): a push costs one per recipient."""
    pushes, messages = session.execute(
        select(func.count(), func.coalesce(func.sum(OutboxMessage.recipients), 0)).where(
            OutboxMessage.method == "push",
            OutboxMessage.status.in_([SENT, PROBABLY_SENT]),
            OutboxMessage.sent_at >= start_utc,
            OutboxMessage.sent_at < until_utc,
        )
    ).one()
    return int(pushes), int(messages)


def month_utc(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The Bangkok month of `at` as naive-UTC bounds (how the outbox stores its times)."""
    return tuple(t.astimezone(dt.UTC).replace(tzinfo=None) for t in month_bounds(at))


def line_check(session: Session, at: dt.datetime) -> tuple[int, int] | None:
    """(what LINE counted, what the bot's own pushes cost up to that reading) for the month of
    `at`; None until the clock has asked LINE this month."""
    figures = quota.line_figures(session, month_bounds(at)[0].strftime("%Y-%m"))
    if figures is None:
        return None
    until = dt.datetime.fromisoformat(figures["at"]).replace(tzinfo=None)
    return figures["used"], push_spend(session, month_utc(at)[0], until + dt.timedelta(0, 1))[1]


def line_extra(session: Session, at: dt.datetime) -> int:
    """Messages LINE counted this month beyond the bot's own pushes up to the same moment
    (pushes made elsewhere, e.g. from LINE Official Account Manager): added to the bot's count,
    so the month is never taken as emptier than LINE says."""
    check = line_check(session, at)
    return 0 if check is None else max(0, check[0] - check[1])


def province_spend(
    session: Session, province_id: int, start_utc: dt.datetime, until_utc: dt.datetime
) -> int:
    """Messages the bot's pushes cost in [start, until) for one province: to its groups, and
    one-to-one to the people who hold a role there (its share of the channel's month)."""
    groups = (
        select(Group.line_group_id)
        .join(ChatSetup, ChatSetup.group_id == Group.id)
        .where(ChatSetup.province_id == province_id)
    )
    people = (
        select(Person.line_user_id)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(RoleGrant.province_id == province_id)
    )
    return int(
        session.scalar(
            select(func.coalesce(func.sum(OutboxMessage.recipients), 0)).where(
                OutboxMessage.method == "push",
                OutboxMessage.status.in_([SENT, PROBABLY_SENT]),
                OutboxMessage.sent_at >= start_utc,
                OutboxMessage.sent_at < until_utc,
                or_(OutboxMessage.to.in_(groups), OutboxMessage.to.in_(people)),
            )
        )
    )
