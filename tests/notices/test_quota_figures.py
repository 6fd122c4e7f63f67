"""LINE's own figures for the month (limit, messages counted), kept as audit entries: the latest
of a Bangkok month is what the planner compares with the bot's own count."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from models.notices import quota
from models.registry import AuditEntry


def test_the_latest_figures_of_the_bangkok_month(db):
    with db.session() as session:
        quota.record_line_figures(session, dt.datetime(2027, 1, 5, 1, 40), 300, 12)
        quota.record_line_figures(session, dt.datetime(2027, 1, 6, 1, 40), 300, 40)
        # 31 January 17:30 UTC is already 1 February in Bangkok
        quota.record_line_figures(session, dt.datetime(2027, 1, 31, 17, 30), None, 3)
    with db.session() as session:
        assert quota.line_figures(session, "2027-01") == {
            "limit": 300,
            "used": 40,
            "at": "2027-01-06T01:40:00+00:00",
        }
        assert quota.line_figures(session, "2027-02") == {
            "limit": None,
            "used": 3,
            "at": "2027-01-31T17:30:00+00:00",
        }
        assert quota.line_figures(session, "2026-12") is None


def test_december_runs_into_january(db):
    with db.session() as session:
        quota.record_line_figures(session, dt.datetime(2026, 12, 31, 16, 59), 300, 280)
        quota.record_line_figures(session, dt.datetime(2026, 12, 31, 17, 0), 300, 0)
    with db.session() as session:
        assert quota.line_figures(session, "2026-12")["used"] == 280
        assert quota.line_figures(session, "2027-01")["used"] == 0


def test_figures_are_an_audit_entry_with_the_month(db):
    with db.session() as session:
        quota.record_line_figures(session, dt.datetime(2027, 3, 1, 1, 40), 15000, 2)
    with db.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "line.quota"))
        assert entry.actor == "line"
        assert json.loads(entry.detail) == {"month": "2027-03", "limit": 15000, "used": 2}
