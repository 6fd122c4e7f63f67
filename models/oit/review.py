"""Coordinators' review of submitted items: the rules the chat commands and the coming web
pages share (which rows may be reviewed, and what a verdict changes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.oit.context import framework_for
from models.oit.records import current, natural_key, urls_of
from models.oit.submissions import CURRENT, FIX, Submission
from models.registry import roles
from models.registry.tables import Agency

NOTE_LIMIT = 500  # what the review_note column keeps


def live_items(session: Session, agency: Agency, now: datetime) -> dict[str, Submission]:
    """The agency's current submission per item code, in the framework in force now."""
    framework = framework_for(session, agency, now)
    return current(session, agency.id, framework.id)


def decide(
    session: Session, row: Submission, outcome: str, reason: str, by: str, now: datetime
) -> None:
    """Record a verdict (a fix keeps its reason); the agency is to be told it afresh."""
    if outcome == FIX and not reason.strip():
        raise ValueError("a fix verdict needs its reason: the admin must know what to change")
    row.review, row.review_note = outcome, (reason[:NOTE_LIMIT] if outcome == FIX else None)
    row.reviewed_by, row.reviewed_at, row.review_told_at = by, now, None
    roles.audit(session, by, "oit.review", submission=row.id, outcome=outcome)


def review_items(
    session: Session,
    live: dict[str, Submission],
    codes: list[str],
    outcome: str,
    reason: str,
    by: str,
    now: datetime,
) -> tuple[list[Submission], list[str]]:
    """Decide every named item that has a live link: (rows decided, codes with no link)."""
    rows = [live[c] for c in codes if c in live]
    for row in rows:
        decide(session, row, outcome, reason, by, now)
    return rows, [c for c in codes if c not in live]


def submission_in(
    session: Session, submission_id: int, province_ids: set[int]
) -> tuple[Submission, Agency] | None:
    """A submission and its agency, only when the agency is in one of these provinces."""
    row = session.get(Submission, submission_id)
    agency = session.get(Agency, row.agency_id) if row else None
    if agency is None or agency.province_id not in province_ids:
        return None
    return row, agency


def still_current(row: Submission) -> bool:
    """Only the newest links of an item are reviewed; older ones were replaced or withdrawn."""
    return row.state == CURRENT


def card_rows(live: dict[str, Submission]) -> list[tuple[str, str, int, str | None]]:
    """(item code, review, submission id, first link) per live item, codes in natural order."""
    return [
        (code, row.review, row.id, urls_of(row)[0])
        for code, row in sorted(live.items(), key=lambda kv: natural_key(kv[0]))
    ]
