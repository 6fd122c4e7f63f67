"""What a province's coordinators choose by chat: confirming registrations, reminder days and
the leads called in the group."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.registry.roles import audit
from models.registry.tables import Province


def set_confirm_registrations(session: Session, province: Province, on: bool, actor: str) -> None:
    """Whether admin registrations wait for a coordinator's approval; audited."""
    province.confirm_registrations = on
    audit(session, actor, "province.confirm_registrations", province=province.name, on=on)


def set_reminder_days(session: Session, province: Province, days: list[int], actor: str) -> str:
    """The days before a deadline when reminders go out; audited; returns them as stored."""
    text = ",".join(map(str, days))
    province.reminder_days = text
    audit(session, actor, "province.reminder_days", days=text)
    return text


def set_roll_call_days(session: Session, province: Province, days: tuple[int, ...], actor: str):
    """The leads when reminders go to the whole group whatever it costs (() for none); audited."""
    province.roll_call_days = ",".join(map(str, days)) or None
    audit(session, actor, "province.roll_call_days", days=province.roll_call_days)
