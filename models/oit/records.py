"""Recording and withdrawing OIT submissions: history is never erased, only superseded."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.oit.link_verdict import PROBLEMS, UNCHECKED
from models.oit.submissions import (
    CURRENT,
    MISSING,
    PENDING,
    SUPERSEDED,
    WITHDRAWN,
    LinkCheck,
    Submission,
)
from models.queues.leases import DONE
from models.registry.tables import Agency
from models.year import Framework, FrameworkItem

DIGITS = re.compile(r"([0-9]+)")


def natural_key(code: str) -> tuple:
    """Sort key that reads numbers as numbers: O1, O2, … O10, never O1, O10, O11, O2."""
    return tuple(int(part) if part.isdigit() else part for part in DIGITS.split(code))


def natural(codes) -> list[str]:
    """Item codes in natural order, each once."""
    return sorted(set(codes), key=natural_key)


def items_of(session: Session, framework_id: int) -> list[FrameworkItem]:
    """The framework's items in natural order of their codes (the file's order breaks ties)."""
    rows = session.scalars(
        select(FrameworkItem)
        .where(FrameworkItem.framework_id == framework_id)
        .order_by(FrameworkItem.position)
    )
    return sorted(rows, key=lambda item: natural_key(item.code))


def current(session: Session, agency_id: int, framework_id: int) -> dict[str, Submission]:
    """The agency's live submission per item code."""
    rows = session.scalars(
        select(Submission).where(
            Submission.agency_id == agency_id,
            Submission.framework_id == framework_id,
            Submission.state == CURRENT,
        )
    )
    return {row.item_code: row for row in rows}


def item_status(submission: Submission | None) -> str:
    """missing, pending (waiting for review), fix or approved."""
    return MISSING if submission is None else submission.review


def _end(row: Submission, state: str, by: str, now: datetime) -> None:
    row.state, row.ended_at, row.ended_by = state, now, by


def record(
    session: Session,
    agency: Agency,
    framework: Framework,
    code: str,
    urls: list[str],
    *,
    by: str,
    now: datetime,
    on_behalf: bool = False,
    source: str = "chat",
    message_id: str | None = None,
    event_at: datetime | None = None,
    review: str = "pending",
    review_note: str | None = None,
) -> Submission:
    """A new current submission (its links queued for checking); the old one is superseded."""
    old = current(session, agency.id, framework.id).get(code)
    if old is not None:
        _end(old, SUPERSEDED, by, now)
        session.flush()  # the one-current index must see the old row ended first
    row = Submission(
        agency_id=agency.id,
        framework_id=framework.id,
        item_code=code,
        urls=json.dumps(urls, ensure_ascii=False),
        submitted_by=by,
        on_behalf=on_behalf,
        source=source,
        message_id=message_id,
        event_at=event_at or now,
        created_at=now,
        review=review,
        review_note=review_note,
    )
    session.add(row)
    session.flush()
    for url in urls:
        session.add(LinkCheck(submission_id=row.id, url=url, next_attempt_at=now, created_at=now))
    return row


def withdraw(
    session: Session, agency: Agency, framework: Framework, code: str, by: str, now: datetime
) -> Submission | None:
    row = current(session, agency.id, framework.id).get(code)
    if row is not None:
        _end(row, WITHDRAWN, by, now)
    return row


def from_message(session: Session, message_id: str) -> list[Submission]:
    """Every submission a chat message (or its edits) recorded, newest first."""
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.message_id == message_id)
            .order_by(Submission.event_at.desc(), Submission.id.desc())
        )
    )


def end_message(
    session: Session, message_id: str, by: str, now: datetime, state: str = WITHDRAWN
) -> list[str]:
    """End what a chat message recorded (withdrawn when unsent, superseded when edited);
    returns the item codes ended."""
    codes = []
    for row in from_message(session, message_id):
        if row.state == CURRENT:
            _end(row, state, by, now)
            codes.append(row.item_code)
    return natural(codes)


def urls_of(row: Submission) -> list[str]:
    return json.loads(row.urls)


class LinkProblem(NamedTuple):
    agency_code: str
    item_code: str
    url: str
    verdict: str
    note: str | None


def link_problems(session: Session, province_ids: list[int]) -> list[LinkProblem]:
    """Current links whose latest finished check found a problem or could not check them: a
    link that failed and passed a recheck is fine, and each link of an item counts alone."""
    latest = (
        select(func.max(LinkCheck.id).label("id"))
        .join(Submission, Submission.id == LinkCheck.submission_id)
        .join(Agency, Agency.id == Submission.agency_id)
        .where(
            Agency.province_id.in_(province_ids),
            Submission.state == CURRENT,
            LinkCheck.status == DONE,
        )
        .group_by(LinkCheck.submission_id, LinkCheck.url)
        .subquery()
    )
    rows = session.execute(
        select(
            Agency.code,
            Submission.item_code,
            LinkCheck.url,
            LinkCheck.verdict,
            LinkCheck.note,
            Submission.urls,
        )
        .join(latest, latest.c.id == LinkCheck.id)
        .join(Submission, Submission.id == LinkCheck.submission_id)
        .join(Agency, Agency.id == Submission.agency_id)
        .where(LinkCheck.verdict.in_(PROBLEMS | {UNCHECKED}))
    ).all()
    rows.sort(
        key=lambda r: (natural_key(r[0]), natural_key(r[1]), _position(json.loads(r[5]), r[2]))
    )
    return [LinkProblem(*row[:5]) for row in rows]


def _position(urls: list[str], url: str) -> int:
    return urls.index(url) if url in urls else len(urls)


def waiting_in(province_ids: list[int]) -> tuple:
    """Conditions of a current link waiting for review in these provinces (joined to Agency)."""
    return (
        Agency.province_id.in_(province_ids),
        Submission.state == CURRENT,
        Submission.review == PENDING,
    )


def waiting_reviews(session: Session, province_ids: list[int]) -> dict[tuple[str, str], list[str]]:
    """{(agency code, name): item codes in natural order} of links waiting for review, the
    agency whose oldest link waits longest first."""
    rows = session.execute(
        select(Agency.code, Agency.name, Submission.item_code)
        .join(Agency, Agency.id == Submission.agency_id)
        .where(*waiting_in(province_ids))
        .order_by(Submission.created_at)
    ).all()
    by_agency: dict[tuple[str, str], list[str]] = {}
    for code, name, item in rows:
        by_agency.setdefault((code, name), []).append(item)
    return {agency: natural(items) for agency, items in by_agency.items()}
