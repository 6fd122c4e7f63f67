"""Periodic jobs as data: fixed ids, so restarting the clock replaces rather than duplicates."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from flask import current_app

from bot.db import get_db
from bot.line_client import LineClient, LineError
from models.base import BANGKOK, utcnow
from models.notices.budget import month_candidates, stale_sizes, store_sizes
from models.notices.candidates import candidates_between
from models.notices.delivery import send_digests as queue_digests
from models.notices.quota import record_line_figures
from models.notices.retention import purge_expired
from scheduler.notify import fetch_sizes, send

log = logging.getLogger(__name__)
LOOKAHEAD_DAYS = 62  # plan two months ahead; the replan job keeps the list current


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str  # name of a function in TASKS
    trigger: str  # "cron", "interval" or "date"
    trigger_args: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)


def purge_retention() -> None:
    """Delete processed raw events past the retention period (PDPA)."""
    with get_db().session() as session:
        purge_expired(session, current_app.config["INBOX_RETENTION_DAYS"])


def send_notices(at: str) -> None:
    """Queue the notices planned for one moment (each once, by its unique key), province by
    province. Group sizes LINE must be asked for are fetched between transactions."""
    moment, config, now = dt.datetime.fromisoformat(at), current_app.config, utcnow()
    database = get_db()
    failed: set[int] = set()  # provinces whose calendars cannot be read
    with database.session() as session:
        month = month_candidates(session, moment, failed)  # every province's calendar, read once
        stale = stale_sizes(session, month, config, now)
    sizes = fetch_sizes(stale, config)
    if sizes:
        with database.session() as session:
            store_sizes(session, sizes, now)
    send(database, moment, config, now, month, failed)


def send_digests() -> None:
    """Tell each province's coordinators, once a day, of requests that waited for the digest."""
    with get_db().session() as session:
        queue_digests(session, utcnow())


def read_line_quota() -> None:
    """Keep LINE's own figures for the month (its limit, the messages it counted), asked
    outside any transaction: the planner trusts the larger of LINE's count and the bot's."""
    config = current_app.config
    client = LineClient(
        config["LINE_CHANNEL_ACCESS_TOKEN"],
        config["LINE_API_BASE_URL"],
        config["LINE_TIMEOUT_SECONDS"],
    )
    try:
        limit, used = client.message_quota(), client.quota_consumption()
    except LineError as error:
        log.warning("LINE's quota figures unavailable: %s", error.status)
        return
    with get_db().session() as session:
        record_line_figures(session, utcnow(), limit, used)


TASKS = {
    "purge_retention": purge_retention,
    "send_notices": send_notices,
    "send_digests": send_digests,
    "read_line_quota": read_line_quota,
}

STATIC_JOBS = (
    JobSpec("retention-purge", "purge_retention", "cron", {"hour": 3, "minute": 17}),
    # before the 09:00 notices, so that they are planned against LINE's count
    JobSpec("line-quota", "read_line_quota", "cron", {"hour": 8, "minute": 40}),
    # before the quiet hours: a request withheld after it waits at most a day
    JobSpec("requests-digest", "send_digests", "cron", {"hour": 16, "minute": 0}),
)


def notice_jobs(session, now: dt.datetime) -> list[JobSpec]:
    """One date job per moment in the provinces' calendars (09:00 on working days)."""
    window = (now - dt.timedelta(hours=6), now + dt.timedelta(days=LOOKAHEAD_DAYS))
    moments = {c.at for c in candidates_between(session, *window)}
    return [
        JobSpec(
            f"notices-{at:%Y%m%d-%H%M}",
            "send_notices",
            "date",
            {"run_date": at},
            {"at": at.isoformat()},
        )  # fmt: skip
        for at in sorted(moments)
    ]


def planned_jobs(now: dt.datetime | None = None) -> list[JobSpec]:
    """Every job the clock should have now: the static ones and the calendars' notices."""
    now = now or dt.datetime.now(BANGKOK)
    with get_db().session() as session:
        return list(STATIC_JOBS) + notice_jobs(session, now)
