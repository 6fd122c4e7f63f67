"""Periodic jobs as data: fixed ids, so restarting the clock replaces rather than duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from bot.db import get_db
from bot.privacy import purge_expired


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str  # name of a function in TASKS
    trigger: str  # "cron" or "interval"
    trigger_args: dict = field(default_factory=dict)


def purge_retention() -> None:
    """Delete processed raw events past the retention period (PDPA)."""
    with get_db().session() as session:
        purge_expired(session, current_app.config["INBOX_RETENTION_DAYS"])


TASKS = {"purge_retention": purge_retention}

STATIC_JOBS = (JobSpec("retention-purge", "purge_retention", "cron", {"hour": 3, "minute": 17}),)


def planned_jobs() -> list[JobSpec]:
    """Every job the clock should have now; later capabilities add calendar-derived jobs here."""
    return list(STATIC_JOBS)
