"""What every claimed queue row shares (inbox events, outbox messages, link checks): status words,
the columns claim() and hold() read, and the steps that give a row back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from models.base import utcnow

PENDING = "pending"  # waiting for a worker: the only status claim() takes
DONE, IGNORED, FAILED = "done", "ignored", "failed"  # ends (outbox: FAILED; link check: DONE)
SENT, PROBABLY_SENT, HELD = "sent", "probably_sent", "held"  # an outbox message's end


def claim_index(table: str) -> Index:
    """The index claim() walks: pending rows by when they are due."""
    return Index(f"ix_{table}_claim", "status", "next_attempt_at")


class Leased:
    """Mixin for a queue table: a row is due at next_attempt_at and held by lease_owner until
    lease_until; `status_width` is the status column's length, which differs per table."""

    status_width = 16

    @declared_attr
    def status(cls) -> Mapped[str]:
        return mapped_column(String(cls.status_width), default=PENDING)

    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)

    def release(self) -> None:
        """Give the row back: another worker may claim it once it is due."""
        self.lease_owner = self.lease_until = None

    def retry_at(self, when: datetime) -> None:
        """Give the row back, due again at `when`."""
        self.next_attempt_at = when
        self.release()

    def finish(self, status: str) -> None:
        """End the row's work with `status`; claim() never takes it again."""
        self.status = status
        self.release()
