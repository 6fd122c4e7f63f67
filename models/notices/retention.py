"""PDPA: everything past the retention period, across the packages that keep people's words
(in notices, the top layer of models, because it reaches the FAQ's questions and the queues)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models.base import utcnow
from models.faq import FaqAnswer, OpenQuestion
from models.faq.corrections import forget_reports
from models.notices.held import HeldNotice
from models.queues.retention import delete_done, scrub_stale

log = logging.getLogger(__name__)


def purge_expired(session: Session, days: int) -> dict[str, int]:
    """Delete processed raw events, sent messages, questions the bot could not answer and
    held notices older than the retention period; failed rows keep only their metadata."""
    now = utcnow()
    cutoff = now - timedelta(days=days)
    inbox, outbox = delete_done(session, cutoff)
    questions = session.execute(delete(OpenQuestion).where(OpenQuestion.asked_at < cutoff)).rowcount
    session.execute(delete(FaqAnswer).where(FaqAnswer.answered_at < cutoff))
    forget_reports(session, cutoff)
    held = session.execute(delete(HeldNotice).where(HeldNotice.created_at < cutoff)).rowcount
    scrubbed_inbox, scrubbed_outbox = scrub_stale(session, cutoff, now)
    log.info(
        "retention: deleted %d inbox events, %d outbox messages, %d questions, %d held notices;"
        " cleared the text of %d failed inbox events and %d failed outbox messages",
        inbox, outbox, questions, held, scrubbed_inbox, scrubbed_outbox,
    )  # fmt: skip
    deleted = {"inbox": inbox, "outbox": outbox, "questions": questions, "held": held}
    return deleted | {"inbox_text_cleared": scrubbed_inbox, "outbox_text_cleared": scrubbed_outbox}
