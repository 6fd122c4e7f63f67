"""Who may do what: coordinators per province, admins per agency; everyone else is an officer."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.registry.agency_names import LOCAL_KINDS
from models.registry.chats import Group, Person, find_person
from models.registry.tables import Agency, AuditEntry, ChatSetup, Province, RoleGrant

COORDINATOR, AGENCY_ADMIN = "coordinator", "agency_admin"
GROUP_KIND_TEXT = {"regional": "หน่วยงานส่วนภูมิภาค", "local": "องค์กรปกครองส่วนท้องถิ่น"}


def display_name(who: Person) -> str:
    return who.display_name or f"ผู้ใช้ LINE …{who.line_user_id[-4:]}"


def person(session: Session, line_user_id: str) -> Person:
    """The Person row for a LINE user id, created on first sight."""
    found = session.scalar(select(Person).where(Person.line_user_id == line_user_id))
    if found is None:
        found = Person(line_user_id=line_user_id, first_seen=utcnow())
        session.add(found)
        session.flush()
    return found


def grants(session: Session, who: Person, role: str | None = None, status: str | tuple = "active"):
    statuses = (status,) if isinstance(status, str) else status
    query = select(RoleGrant).where(RoleGrant.person_id == who.id, RoleGrant.status.in_(statuses))
    if role:
        query = query.where(RoleGrant.role == role)
    return session.scalars(query.order_by(RoleGrant.id)).all()


def coordinator_provinces(session: Session, who: Person) -> list[Province]:
    ids = [g.province_id for g in grants(session, who, COORDINATOR)]
    return session.scalars(select(Province).where(Province.id.in_(ids))).all() if ids else []


def is_coordinator(session: Session, who: Person, province_id: int) -> bool:
    return any(g.province_id == province_id for g in grants(session, who, COORDINATOR))


def coordinator_provinces_here(
    session: Session, who: Person, line_group_id: str | None
) -> list[Province]:
    """The provinces a person coordinates that this chat is about: in a group set up for a
    province, that one; elsewhere, every province they serve."""
    setup = setup_of(session, line_group_id)
    provinces = coordinator_provinces(session, who)
    return [p for p in provinces if setup is None or p.id == setup.province_id]


def held_here(session: Session, line_user_id: str | None, line_group_id: str | None) -> set[str]:
    """The roles (COORDINATOR, AGENCY_ADMIN) a LINE user holds in this chat; none unknown."""
    if not line_user_id:
        return set()
    who = person(session, line_user_id)
    found = {COORDINATOR} if coordinator_provinces_here(session, who, line_group_id) else set()
    return found | ({AGENCY_ADMIN} if admin_agencies(session, who) else set())


def admin_agencies(session: Session, who: Person) -> list[Agency]:
    ids = [g.agency_id for g in grants(session, who, AGENCY_ADMIN)]
    return (
        session.scalars(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name)).all()
        if ids
        else []
    )


def administers(session: Session, who: Person, agency: Agency) -> bool:
    """Whether this person is an active admin of this agency."""
    return agency.id in {a.id for a in admin_agencies(session, who)}


def departed_admins(session: Session, line_user_ids: list[str]) -> list[tuple[Person, Agency]]:
    """(person, agency) for each agency whose admin is among the people who left a group."""
    found = [find_person(session, user_id) for user_id in line_user_ids]
    return [(who, agency) for who in found if who for agency in admin_agencies(session, who)]


def roles_of(session: Session, who: Person) -> list[tuple[RoleGrant, Province, Agency | None]]:
    """A person's active and pending roles, each with its province and agency (if any)."""
    return [
        (
            row,
            session.get(Province, row.province_id),
            session.get(Agency, row.agency_id) if row.agency_id else None,
        )
        for row in grants(session, who, None, ("active", "pending"))
    ]


def setup_of(session: Session, line_group_id: str | None) -> ChatSetup | None:
    if not line_group_id:
        return None
    return session.scalar(
        select(ChatSetup)
        .join(Group, Group.id == ChatSetup.group_id)
        .where(Group.line_group_id == line_group_id)
    )


def chat_province(session: Session, group_id: str | None, user_id: str | None) -> Province | None:
    """Which province a chat is about, the one rule for every handler: a group, the province
    it is set up for (none before set-up); one-to-one, the province the person coordinates,
    else that of the agency they administer (the lowest id first when several)."""
    if group_id:
        setup = setup_of(session, group_id)
        return session.get(Province, setup.province_id) if setup else None
    found = find_person(session, user_id)
    if found is None:
        return None
    provinces = coordinator_provinces(session, found)
    if provinces:
        return min(provinces, key=lambda p: p.id)
    agencies = admin_agencies(session, found)
    return session.get(Province, min(a.province_id for a in agencies)) if agencies else None


def group_kind_of(agency: Agency) -> str:
    """The kind of group an agency's reminders go to: local governments, or regional offices."""
    return "local" if agency.kind in LOCAL_KINDS else "regional"


def agency_groups(session: Session, agency: Agency) -> list[tuple[str, str | None]]:
    """(LINE group id, name) of the groups set up for the agency's province and kind."""
    rows = session.execute(
        select(Group.line_group_id, Group.name)
        .join(ChatSetup, ChatSetup.group_id == Group.id)
        .where(
            ChatSetup.province_id == agency.province_id,
            ChatSetup.kind == group_kind_of(agency),
            Group.active.is_(True),
        )
        .order_by(Group.id)
    )
    return [(group_id, name) for group_id, name in rows]


def reminders_note(session: Session, agency: Agency, chat_kind: str | None) -> str:
    """A line for a registration made in a group of another kind (regional vs local): the
    reminders @mention the admin in the agency's own group, where they may not be."""
    kind = group_kind_of(agency)
    if chat_kind is None or chat_kind == kind:
        return ""
    names = [f"“{name}”" for _, name in agency_groups(session, agency) if name]
    where = " ".join(names) or f"กลุ่ม{GROUP_KIND_TEXT[kind]}ของจังหวัด"
    return (
        f"\nหมายเหตุ: {agency.name} อยู่ในกลุ่ม{GROUP_KIND_TEXT[kind]} "
        f"บอทจะแจ้งเตือนและแท็กคุณในกลุ่ม {where} ไม่ใช่กลุ่มนี้ โปรดเข้าร่วมกลุ่มนั้นด้วย"
    )


def request_label(session: Session, request: RoleGrant) -> str:
    """ "สมศรี — แอดมินของ<หน่วยงาน>": how a registration request is named to coordinators."""
    who, agency = session.get(Person, request.person_id), session.get(Agency, request.agency_id)
    return f"{display_name(who)} — แอดมินของ{agency.name}"


def decide(
    session: Session, request: RoleGrant, approve: bool, by: str, now: datetime, reason: str = ""
) -> None:
    """A coordinator's decision on a registration request, audited with its reason."""
    request.status, request.decided_at = ("active" if approve else "revoked"), now
    who, agency = session.get(Person, request.person_id), session.get(Agency, request.agency_id)
    detail = {"grant": request.id, "person": who.line_user_id, "agency": agency.code}
    if reason:
        detail["reason"] = reason[:500]
    audit(session, by, "role.approve" if approve else "role.reject", **detail)


def audit(session: Session, actor: str, action: str, **detail) -> None:
    session.add(
        AuditEntry(
            actor=actor, action=action, detail=json.dumps(detail, ensure_ascii=False, default=str)
        )
    )


def grant(
    session: Session,
    who: Person,
    role: str,
    province: Province,
    agency: Agency | None = None,
    status: str = "active",
    by: str = "cli",
) -> RoleGrant:
    """Add a role unless the same one is already active or pending."""
    for existing in (*grants(session, who, role), *grants(session, who, role, "pending")):
        if existing.province_id == province.id and existing.agency_id == (
            agency.id if agency else None
        ):
            return existing
    row = RoleGrant(
        person_id=who.id,
        role=role,
        province_id=province.id,
        agency_id=agency.id if agency else None,
        status=status,
        granted_by=by,
        decided_at=utcnow() if status == "active" else None,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        by,
        f"role.{status}",
        person=who.line_user_id,
        role=role,
        province=province.name,
        agency=agency.code if agency else None,
    )
    return row


def revoke(
    session: Session,
    who: Person,
    role: str,
    *,
    province_id: int | None = None,
    agency_id: int | None = None,
    by: str = "cli",
) -> int:
    """End matching active or pending grants; returns how many."""
    count = 0
    for status in ("active", "pending"):
        for row in grants(session, who, role, status):
            if province_id not in (None, row.province_id) or agency_id not in (None, row.agency_id):
                continue
            row.status, row.decided_at = "revoked", utcnow()
            count += 1
    if count:
        audit(
            session,
            by,
            "role.revoke",
            person=who.line_user_id,
            role=role,
            province_id=province_id,
            agency_id=agency_id,
        )
    return count


def move_admin(session: Session, who: Person, old: Agency, new: Agency, by: str) -> bool:
    """Make an agency's admin the admin of another agency instead; False when they were not
    the old agency's admin (nothing changes then)."""
    if not revoke(session, who, AGENCY_ADMIN, agency_id=old.id, by=by):
        return False
    grant(session, who, AGENCY_ADMIN, session.get(Province, new.province_id), new, by=by)
    return True
