"""Link checks as the OIT sees them: which year a page must show, when to check again, and
whether a link failed before; the fetching itself runs in bot.link_jobs, outside any transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.oit.link_verdict import APART, DEAD, RECHECK_AFTER, UNREACHABLE
from models.oit.submissions import CURRENT, LinkCheck, Submission
from models.queues.leases import DONE, PENDING
from models.registry.tables import Agency
from models.year import Framework, FrameworkItem


def required_year(session: Session, submission: Submission) -> int | None:
    """The Buddhist-Era year the item's data must come from: the assessed year or the one before."""
    framework = session.get(Framework, submission.framework_id)
    item = session.scalar(
        select(FrameworkItem).where(
            FrameworkItem.framework_id == framework.id,
            FrameworkItem.code == submission.item_code,
        )
    )
    if item is None:
        return None
    return framework.fiscal_year - (1 if item.data_year == "previous" else 0)


def failed_before(session: Session, row: LinkCheck, now: datetime) -> bool:
    """The same link of the same submission failed a check at least APART ago."""
    return (
        session.scalar(
            select(LinkCheck.id).where(
                LinkCheck.submission_id == row.submission_id,
                LinkCheck.url == row.url,
                LinkCheck.id != row.id,
                LinkCheck.status == DONE,
                LinkCheck.verdict.in_([UNREACHABLE, DEAD]),
                LinkCheck.checked_at <= now - APART,
            )
        )
        is not None
    )


def recheck_later(session: Session, row: LinkCheck, now: datetime) -> None:
    """One more check of a link that could not be reached, RECHECK_AFTER from now, unless one
    is already queued: a name that does not resolve once may be a passing fault."""
    if session.get(Submission, row.submission_id).state != CURRENT:
        return
    queued = session.scalar(
        select(LinkCheck.id).where(
            LinkCheck.submission_id == row.submission_id,
            LinkCheck.url == row.url,
            LinkCheck.status == PENDING,
            LinkCheck.id != row.id,
        )
    )
    if queued is None:
        session.add(
            LinkCheck(
                submission_id=row.submission_id,
                url=row.url,
                next_attempt_at=now + RECHECK_AFTER,
                created_at=now,
            )
        )


def queue_recheck(session: Session, province_id: int, now: datetime) -> int:
    """Queue a fresh check of every current link of a province; returns how many were queued."""
    rows = session.execute(
        select(Submission.id, Submission.urls)
        .join(Agency, Agency.id == Submission.agency_id)
        .where(Agency.province_id == province_id, Submission.state == CURRENT)
    ).all()
    queued = 0
    for submission_id, urls in rows:
        for url in json.loads(urls):
            session.add(LinkCheck(submission_id=submission_id, url=url, next_attempt_at=now))
            queued += 1
    return queued
