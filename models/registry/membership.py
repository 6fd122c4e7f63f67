"""The bot joining and leaving groups, and people befriending or blocking it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.registry.chats import Person, find_group, find_person
from models.registry.roles import AGENCY_ADMIN
from models.registry.tables import RoleGrant


def bot_joined(session: Session, line_group_id: str | None) -> None:
    """The bot is back in a group it knew: the group is active again."""
    group = find_group(session, line_group_id)
    if group:
        group.active, group.left_at = True, None


def bot_left(session: Session, line_group_id: str | None, now: datetime) -> None:
    """The bot was removed: keep the group's data, mark it inactive."""
    group = find_group(session, line_group_id)
    if group:
        group.active, group.left_at = False, now


def friendship_changed(
    session: Session, line_user_id: str | None, is_friend: bool, now: datetime
) -> None:
    """A person followed or blocked the bot: only friends get one-to-one pushes."""
    person = find_person(session, line_user_id)
    if person:
        person.is_friend, person.friend_changed_at = is_friend, now


def friendship_checked(session: Session, line_user_id: str | None, answered: bool) -> None:
    """Record what LINE's one-to-one profile API said: 404 (`answered` False) is not a friend;
    200 is a friend, unless an unfollow event was recorded (LINE still answers 200 for a user
    who blocked the bot, and delivers nothing to them): only a follow event undoes that. A 404
    clears friend_changed_at, so that a later 200 (a follow event lost) counts again."""
    person = find_person(session, line_user_id)
    if person is None:
        return
    if not answered:  # LINE no longer knows them as a friend: a later 200 is believed again
        person.is_friend, person.friend_changed_at = False, None
        return
    blocked = not person.is_friend and person.friend_changed_at is not None
    person.is_friend = not blocked


def friend_counts(session: Session, province_id: int) -> tuple[int, int]:
    """(friends of the bot, all) among the people with an active agency-admin grant in the
    province: friends get their reminders one-to-one, the others only in their groups."""
    admins = (
        select(Person.id, Person.is_friend)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(
            RoleGrant.role == AGENCY_ADMIN,
            RoleGrant.status == "active",
            RoleGrant.province_id == province_id,
        )
        .distinct()
        .subquery()
    )
    friends, everyone = session.execute(
        select(func.count().filter(admins.c.is_friend.is_(True)), func.count()).select_from(admins)
    ).one()
    return int(friends or 0), int(everyone or 0)
