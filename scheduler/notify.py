"""The clock's side of notices: LINE's group sizes, asked between transactions, and each
province's notices in a transaction of its own (models.notices.delivery says what they are)."""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from pathlib import Path

from bot.line_client import LineClient, LineError
from models.notices.budget import month_candidates
from models.notices.delivery import due, report_failure, send_province
from models.notices.plan import plan
from models.oit.report import report_signer

log = logging.getLogger(__name__)


def fetch_sizes(group_ids: list[str], config: dict) -> dict[str, int]:
    """Ask LINE; called outside any transaction (each call may take seconds)."""
    sizes, client = {}, None
    for group_id in group_ids:
        client = client or LineClient(
            config["LINE_CHANNEL_ACCESS_TOKEN"],
            config["LINE_API_BASE_URL"],
            config["LINE_TIMEOUT_SECONDS"],
        )
        try:
            sizes[group_id] = client.group_member_count(group_id)
        except LineError:
            pass  # keep the old figure (or the default) rather than stop the morning's notices
    return sizes


def send(
    database, at: dt.datetime, config: dict, now_utc: dt.datetime, month=None, failed=()
) -> int:
    """The clock's job: the month's plan once, then each province's notices in a transaction
    of its own, so that one province that fails (reported to its coordinators) stops no other.
    `month`: the month's candidates when the caller read them; `failed`: provinces whose
    calendars could not be read then."""
    failed, link = set(failed), report_signer(config)
    with database.session() as session:
        month = month_candidates(session, at, failed) if month is None else month
        decisions = plan(session, at, config["LINE_MONTHLY_MESSAGE_BUDGET"], month)
    queued = 0
    for province_id in sorted({c.province_id for c in due(month, at)} | failed):
        if province_id not in failed:
            try:
                with database.session() as session:
                    queued += send_province(session, at, config, now_utc, month, decisions,
                                            province_id, link)  # fmt: skip
                continue
            except Exception as error:  # noqa: BLE001 - logged, and the coordinators are told
                log_failure(province_id, at, error)
        try:
            with database.session() as session:
                queued += report_failure(session, province_id, at, config, now_utc)
        except Exception as error:  # noqa: BLE001
            log_failure(province_id, at, error)
    return queued


def log_failure(province_id: int, at: dt.datetime, error: Exception) -> None:
    """Where it failed, never what it said: exception texts can carry SQL parameters."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    log.error("notices of province %s at %s failed: %s at %s",
              province_id, at.isoformat(), type(error).__name__, where)  # fmt: skip
