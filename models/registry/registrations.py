"""An agency admin's registration: the request, and what coordinators see and decide on."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.registry.chats import Person
from models.registry.roles import AGENCY_ADMIN, grant, grants
from models.registry.tables import Agency, AuditEntry, Province, RoleGrant

LISTED = "role.approve_all.listed"  # the requests `อนุมัติ ทั้งหมด` showed, for its confirmation
LIST_MAX = 30  # requests one `อนุมัติ ทั้งหมด` shows (one text, whatever the names) and approves


def request_admin(session: Session, who: Person, agency: Agency) -> tuple[RoleGrant, bool]:
    """(the person's admin grant for the agency, whether it is new): an active or pending one
    stands; a new one waits for the coordinators when the province confirms registrations."""
    for status in ("active", "pending"):
        for existing in grants(session, who, AGENCY_ADMIN, status):
            if existing.agency_id == agency.id:
                return existing, False
    province = session.get(Province, agency.province_id)
    status = "pending" if province.confirm_registrations else "active"
    return grant(session, who, AGENCY_ADMIN, province, agency, status, by=who.line_user_id), True


def requester_ids(session: Session, requests: list[RoleGrant]) -> list[str]:
    """The LINE user ids of the people who made these requests."""
    ids = {r.person_id for r in requests}
    if not ids:
        return []
    return list(session.scalars(select(Person.line_user_id).where(Person.id.in_(ids))))


def request_in(session: Session, number: int | None, province_ids: list[int]) -> RoleGrant | None:
    """Request #number, if it is an admin registration in one of these provinces."""
    request = session.get(RoleGrant, number) if number else None
    if request is None or request.province_id not in province_ids:
        return None
    return request if request.role == AGENCY_ADMIN else None


def pending_requests(session: Session, province_ids: list[int]) -> list[RoleGrant]:
    """Admin registrations waiting for the coordinators of these provinces, oldest first."""
    return list(
        session.scalars(
            select(RoleGrant)
            .where(
                RoleGrant.status == "pending",
                RoleGrant.role == AGENCY_ADMIN,
                RoleGrant.province_id.in_(province_ids),
            )
            .order_by(RoleGrant.id)
        )
    )


def list_for_approval(
    session: Session, actor: str, pending: list[RoleGrant], now: datetime
) -> list[RoleGrant]:
    """The first LIST_MAX pending requests, remembered as what this coordinator was shown."""
    shown = pending[:LIST_MAX]
    session.add(
        AuditEntry(
            actor=actor,
            action=LISTED,
            detail=json.dumps({"grants": [g.id for g in shown]}),
            at=now,
        )
    )
    return shown


def listed_still_pending(
    session: Session, actor: str, pending: list[RoleGrant], since: datetime
) -> list[RoleGrant] | None:
    """Those of `pending` that `อนุมัติ ทั้งหมด` last showed this coordinator since `since`;
    None when it showed them nothing since then: the confirmation approves only what they saw."""
    detail = session.scalar(
        select(AuditEntry.detail)
        .where(AuditEntry.action == LISTED, AuditEntry.actor == actor, AuditEntry.at >= since)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
    if not detail:
        return None
    listed = set(json.loads(detail)["grants"])
    return [g for g in pending if g.id in listed]
