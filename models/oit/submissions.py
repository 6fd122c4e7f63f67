"""OIT links agencies submit, their automatic checks, coordinators' reviews, IIT/EIT figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.queues.leases import Leased, claim_index

CURRENT, SUPERSEDED, WITHDRAWN = "current", "superseded", "withdrawn"
PENDING, APPROVED, FIX = "pending", "approved", "fix"  # review outcomes of a current submission
MISSING = "missing"  # an item with no current submission
# What officers read for each status, in the chat's card and on the web alike.
STATUS_TEXT = {MISSING: "ยังไม่ส่ง", PENDING: "รอตรวจ", FIX: "ต้องแก้ไข", APPROVED: "ผ่าน"}


class Submission(Base):
    """One agency's links for one item; a newer one supersedes it and both stay in history."""

    __tablename__ = "submissions"
    __table_args__ = (
        Index(
            "ix_submissions_one_current",
            "agency_id",
            "framework_id",
            "item_code",
            unique=True,
            sqlite_where=text("state = 'current'"),
            postgresql_where=text("state = 'current'"),
        ),
        Index("ix_submissions_message", "message_id"),
        Index("ix_submissions_agency_state", "agency_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    item_code: Mapped[str] = mapped_column(String(8))
    urls: Mapped[str] = mapped_column(Text)  # JSON list, in the order given
    state: Mapped[str] = mapped_column(String(12), default=CURRENT)
    review: Mapped[str] = mapped_column(String(10), default=PENDING)
    review_note: Mapped[str | None] = mapped_column(String(500))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_told_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str] = mapped_column(String(64))  # LINE user id, or "cli"
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10), default="chat")  # chat | edit | import
    message_id: Mapped[str | None] = mapped_column(String(64))
    event_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_by: Mapped[str | None] = mapped_column(String(64))


class LinkCheck(Leased, Base):
    """A background fetch of one submitted link (a queue row, then its outcome)."""

    __tablename__ = "link_checks"
    __table_args__ = (
        claim_index(__tablename__),
        Index("ix_link_checks_submission", "submission_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    url: Mapped[str] = mapped_column(Text)
    status_width = 10  # pending | done
    verdict: Mapped[str | None] = mapped_column(String(16))  # see models.oit.link_verdict
    note: Mapped[str | None] = mapped_column(String(300))
    http_status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    told_at: Mapped[datetime | None] = mapped_column(DateTime)


class ToolScore(Base):
    """An agency's IIT or EIT score for a fiscal year, as reported by chat or import."""

    __tablename__ = "tool_scores"
    __table_args__ = (UniqueConstraint("agency_id", "framework_id", "tool"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    tool: Mapped[str] = mapped_column(String(8))  # IIT | EIT
    score: Mapped[float] = mapped_column(Float)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RespondentCount(Base):
    """How many people have answered an agency's IIT or EIT so far, against its target."""

    __tablename__ = "respondent_counts"
    __table_args__ = (UniqueConstraint("agency_id", "framework_id", "tool"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    tool: Mapped[str] = mapped_column(String(8))  # IIT | EIT
    answered: Mapped[int] = mapped_column(Integer)
    target: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def tool_row(session, model, agency_id: int, framework_id: int, tool: str):
    """The agency's ToolScore or RespondentCount row for one tool and year (new if none yet)."""
    found = session.scalar(
        select(model).where(
            model.agency_id == agency_id, model.framework_id == framework_id, model.tool == tool
        )
    )
    if found is None:
        found = model(agency_id=agency_id, framework_id=framework_id, tool=tool)
        session.add(found)
    return found
