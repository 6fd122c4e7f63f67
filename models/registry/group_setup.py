"""What a LINE group is for (regional agencies, อปท., coordinators) and who may change it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.registry import roles
from models.registry.chats import Group, Person, find_group, find_person
from models.registry.tables import ChatSetup, Province

KINDS = ("regional", "local", "coordinators")


def refusal(session: Session, who: Person, setup: ChatSetup | None, province: Province):
    """None when `who` may make the group a group of `province`, else the provinces they lack.

    A new group needs a coordinator of the province it is set up for; changing a group that is
    set up needs a coordinator of its current province too, so nobody takes another's group.
    """
    needed = [province]
    if setup is not None and setup.province_id != province.id:
        needed.insert(0, session.get(Province, setup.province_id))
    missing = [p for p in needed if not roles.is_coordinator(session, who, p.id)]
    return missing or None


def already(setup: ChatSetup | None, kind: str, province: Province) -> bool:
    """Whether the group is already set up for this purpose and province (nothing to change)."""
    return setup is not None and (setup.kind, setup.province_id) == (kind, province.id)


def set_up(
    session: Session, line_group_id: str, kind: str, province: Province, actor: str, now: datetime
) -> ChatSetup:
    """Record what the group is for (creating the group row if the bot has not seen it)."""
    if kind not in KINDS:
        raise ValueError(f"unknown group kind {kind!r}")
    group = find_group(session, line_group_id)
    if group is None:
        group = Group(line_group_id=line_group_id, first_seen=now)
        session.add(group)
        session.flush()
    person = find_person(session, actor)
    setup = session.scalar(select(ChatSetup).where(ChatSetup.group_id == group.id))
    if setup is None:
        setup = ChatSetup(group_id=group.id)
        session.add(setup)
    setup.kind, setup.province_id, setup.set_at = kind, province.id, now
    setup.set_by = person.id if person else None
    roles.audit(
        session, actor, "group.setup", group=line_group_id, kind=kind, province=province.name
    )
    return setup


def listed(session: Session, province: Province | None = None) -> list[tuple]:
    """(LINE group id, group name, kind or None, province name or None, members, active)."""
    query = (
        select(
            Group.line_group_id,
            Group.name,
            ChatSetup.kind,
            Province.name,
            Group.member_count,
            Group.active,
        )
        .outerjoin(ChatSetup, ChatSetup.group_id == Group.id)
        .outerjoin(Province, Province.id == ChatSetup.province_id)
        .order_by(Province.name, ChatSetup.kind, Group.id)
    )
    if province is not None:
        query = query.where(ChatSetup.province_id == province.id)
    return [tuple(row) for row in session.execute(query)]


def groups_of(session: Session, province_id: int) -> dict[str, list[str]]:
    """A province's active LINE groups by what they are for (regional, local, coordinators)."""
    rows = session.execute(
        select(ChatSetup.kind, Group.line_group_id)
        .join(Group, Group.id == ChatSetup.group_id)
        .where(ChatSetup.province_id == province_id, Group.active.is_(True))
        .order_by(Group.id)
    )
    found: dict[str, list[str]] = {}
    for kind, group_id in rows:
        found.setdefault(kind, []).append(group_id)
    return found


def coordinators_groups(session: Session, province_id: int) -> list[str]:
    """The LINE groups where a province's coordinators read what the bot tells them."""
    return groups_of(session, province_id).get("coordinators", [])
