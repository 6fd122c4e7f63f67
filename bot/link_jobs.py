"""Background link checks: claim queued links, fetch outside any transaction, record verdicts."""

from __future__ import annotations

import logging
import math
import threading

from flask import Flask

from bot.link_fetch import fetch
from models.base import utcnow
from models.oit.link_checks import (
    failed_before,
    recheck_later,
    required_year,
)
from models.oit.link_verdict import UNREACHABLE, page_title, verdict
from models.oit.submissions import LinkCheck, Submission
from models.queues.claims import ClaimLoop, owner_id
from models.queues.leases import DONE
from models.queues.runtime import Pulse, run_until

log = logging.getLogger(__name__)
LEASE_SLACK_SECONDS = 30


class LinkChecker:
    def __init__(self, app: Flask):
        self.db = app.extensions["db"]
        self.config = app.config
        self.owner = owner_id("links:")
        # One fetch ends by LINK_CHECK_TIMEOUT_SECONDS; the slack is for the database either side.
        self.lease = math.ceil(app.config["LINK_CHECK_TIMEOUT_SECONDS"]) + LEASE_SLACK_SECONDS
        self.queue = ClaimLoop(self.db, LinkCheck, self.owner, self.lease)

    def check_due(self, limit: int = 10) -> int:
        return self.queue.run_batch(utcnow(), limit, self.check_one)

    def check_one(self, check_id: int) -> None:
        """Lease the row afresh (a batch is claimed at once, checked one by one), then fetch."""
        with self.db.session() as session:
            row = self.queue.hold(session, check_id, utcnow())
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
            row = self.queue.hold(session, check_id, utcnow())
            if row is None:
                return
            again = page.error == "dns" and failed_before(session, row, utcnow())
            outcome, note = verdict(page, year, again)
            if outcome == UNREACHABLE:
                recheck_later(session, row, utcnow())
            row.verdict, row.note = outcome, note
            row.http_status, row.final_url = page.status, page.final_url
            row.content_type, row.title = page.content_type, page_title(page.body)
            row.attempts += 1
            row.checked_at = utcnow()
            row.finish(DONE)

    def run_forever(self, stop: threading.Event, idle_sleep: float = 1.0) -> None:
        log.info("link checker %s started", self.owner)
        pulse = Pulse(self.db, "links", self.owner)
        run_until(stop, self.check_due, "link checker", idle_sleep, 5.0, pulse, logger=log)
