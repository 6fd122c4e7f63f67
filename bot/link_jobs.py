"""Background link checks: claim queued links, fetch outside any transaction, record verdicts."""

from __future__ import annotations

import json
import logging
import math
import os
import socket
import threading
import uuid

from flask import Flask
from sqlalchemy import select

from bot.health import Pulse
from bot.link_fetch import fetch
from models.base import utcnow
from models.oit.link_verdict import APART, DEAD, RECHECK_AFTER, UNREACHABLE, page_title, verdict
from models.oit.submissions import CURRENT, LinkCheck, Submission
from models.queues.claims import claim, hold
from models.registry.tables import Agency
from models.year import Framework, FrameworkItem

log = logging.getLogger(__name__)
LEASE_SLACK_SECONDS = 30


def required_year(session, submission: Submission) -> int | None:
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


class LinkChecker:
    def __init__(self, app: Flask):
        self.db = app.extensions["db"]
        self.config = app.config
        self.owner = f"links:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        # One fetch ends by LINK_CHECK_TIMEOUT_SECONDS; the slack is for the database either side.
        self.lease = math.ceil(app.config["LINK_CHECK_TIMEOUT_SECONDS"]) + LEASE_SLACK_SECONDS

    def check_due(self, limit: int = 10) -> int:
        with self.db.session() as session:
            ids = claim(session, LinkCheck, self.owner, utcnow(), self.lease, limit)
        for check_id in ids:
            self.check_one(check_id)
        return len(ids)

    def check_one(self, check_id: int) -> None:
        """Lease the row afresh (a batch is claimed at once, checked one by one), then fetch."""
        with self.db.session() as session:
            row = hold(session, LinkCheck, check_id, self.owner, utcnow(), self.lease)
            if row is None:
                return
            url = row.url
            year = required_year(session, session.get(Submission, row.submission_id))
        page = fetch(
            url,
            timeout=self.config["LINK_CHECK_TIMEOUT_SECONDS"],
            max_bytes=self.config["LINK_CHECK_MAX_BYTES"],
            trusted=self.config["LINK_CHECK_TEST_HOSTS"],
        )
        with self.db.session() as session:
            row = hold(session, LinkCheck, check_id, self.owner, utcnow(), self.lease)
            if row is None:
                return
            again = page.error == "dns" and failed_before(session, row, utcnow())
            outcome, note = verdict(page, year, again)
            if outcome == UNREACHABLE:
                recheck_later(session, row, utcnow())
            row.status, row.verdict, row.note = "done", outcome, note
            row.http_status, row.final_url = page.status, page.final_url
            row.content_type, row.title = page.content_type, page_title(page.body)
            row.attempts += 1
            row.checked_at, row.lease_owner, row.lease_until = utcnow(), None, None

    def run_forever(self, stop: threading.Event, idle_sleep: float = 1.0) -> None:
        log.info("link checker %s started", self.owner)
        pulse = Pulse(self.db, "links", self.owner)
        while not stop.is_set():
            try:
                pulse()
                if not self.check_due():
                    stop.wait(idle_sleep)
            except Exception:
                log.exception("link checker loop error")
                stop.wait(5.0)


def failed_before(session, row: LinkCheck, now) -> bool:
    """The same link of the same submission failed a check at least APART ago."""
    return (
        session.scalar(
            select(LinkCheck.id).where(
                LinkCheck.submission_id == row.submission_id,
                LinkCheck.url == row.url,
                LinkCheck.id != row.id,
                LinkCheck.status == "done",
                LinkCheck.verdict.in_([UNREACHABLE, DEAD]),
                LinkCheck.checked_at <= now - APART,
            )
        )
        is not None
    )


def recheck_later(session, row: LinkCheck, now) -> None:
    """One more check of a link that could not be reached, RECHECK_AFTER from now, unless one
    is already queued: a name that does not resolve once may be a passing fault."""
    if session.get(Submission, row.submission_id).state != CURRENT:
        return
    queued = session.scalar(
        select(LinkCheck.id).where(
            LinkCheck.submission_id == row.submission_id,
            LinkCheck.url == row.url,
            LinkCheck.status == "pending",
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


def queue_recheck(session, province_id: int, now) -> int:
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
