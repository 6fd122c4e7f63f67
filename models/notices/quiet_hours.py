"""When a push may go out: working hours of working days, Bangkok time."""

from __future__ import annotations

import datetime as dt

from models.base import BANGKOK
from models.year.working_days import is_working_day, next_working_day


def quiet(at: dt.datetime, config: dict) -> bool:
    """No pushes outside working hours, at weekends or on public holidays."""
    local = at.astimezone(BANGKOK)
    start, end = config["QUIET_HOURS_END"], config["QUIET_HOURS_START"]
    return not is_working_day(local.date()) or not start <= local.hour < end


def next_allowed(at: dt.datetime, config: dict) -> dt.datetime:
    """The first moment from `at` on when a push may go out: a notice the planner counted is
    moved past quiet hours, never dropped."""
    local = at.astimezone(BANGKOK)
    day, opens = local.date(), dt.time(config["QUIET_HOURS_END"])
    if not quiet(at, config):
        return at
    if is_working_day(day) and local.time() < opens:
        return dt.datetime.combine(day, opens, BANGKOK)
    return dt.datetime.combine(next_working_day(day + dt.timedelta(days=1)), opens, BANGKOK)


def as_naive_utc(at: dt.datetime) -> dt.datetime:
    """The naive UTC the outbox and held notices store."""
    return at.astimezone(dt.UTC).replace(tzinfo=None)


def opens_after(now_utc: dt.datetime, config: dict) -> dt.datetime:
    """next_allowed for a naive UTC moment, as naive UTC: when a push queued now may leave."""
    return as_naive_utc(next_allowed(now_utc.replace(tzinfo=dt.UTC), config))
