"""A chat message that recorded links is unsent (its links withdrawn) or edited (read again,
the newest edit winning)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.oit import records
from models.oit.parser import has_item_link
from models.oit.submissions import SUPERSEDED
from models.registry import roles
from models.registry.tables import Agency


def reopen_edited(
    session: Session, message_id: str, text: str, user_id: str, edited_at: datetime, now: datetime
) -> Agency | None:
    """The agency an edited message's links are for, what it recorded before now superseded;
    None when the edit changes nothing: an older edit arriving late, a message that recorded
    nothing and still sends no item link, or a sender who is not that agency's admin."""
    rows = records.from_message(session, message_id)
    if rows and rows[0].event_at > edited_at:
        return None  # the newer edit already counts
    if not rows and not has_item_link(text):
        return None
    person = roles.person(session, user_id)
    mine = {a.id: a for a in roles.admin_agencies(session, person)}
    agency = session.get(Agency, rows[0].agency_id) if rows else None
    if agency is None and len(mine) == 1:
        agency = next(iter(mine.values()))
    if agency is None or agency.id not in mine:
        return None
    records.end_message(session, message_id, user_id, now, SUPERSEDED)
    session.flush()
    return agency


def withdraw_unsent(session: Session, message_id: str, by: str, now: datetime) -> list[str]:
    """Withdraw what an unsent message recorded; returns the item codes withdrawn."""
    codes = records.end_message(session, message_id, by, now)
    if codes:
        roles.audit(session, by, "oit.unsend", items=codes)
    return codes
