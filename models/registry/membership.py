"""The bot joining and leaving groups, and people befriending or blocking it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.registry.chats import find_group, find_person


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
