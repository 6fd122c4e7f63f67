"""Display names come from LINE's profile API and are refreshed, never taken from message text;
the same weekly look-up asks the one-to-one profile API whether the sender is a friend."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.line_client import LineClient, LineError
from handlers.events import Event
from models.registry import Person, membership
from models.registry.chats import find_person

log = logging.getLogger(__name__)
REFRESH_AFTER = timedelta(days=7)
RETRY_AFTER_FAILURE = timedelta(hours=1)
NAMED_EVENTS = {"message", "postback", "follow", "messageEdited"}


def clean_name(name: str) -> str:
    """Drop control and bidi characters, so a name cannot break a message; cap the length."""
    kept = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in name
        if unicodedata.category(ch) not in {"Cf", "Cs", "Co", "Cn"}
    )
    return " ".join(kept.split())[:200]


def is_stale(person: Person | None, now: datetime) -> bool:
    if person is None or person.name_refreshed_at is None:
        return True
    return now - person.name_refreshed_at >= REFRESH_AFTER


@dataclass
class Looked:
    """What LINE said of a sender: the name ("" when refused), and whether they are a friend of
    the bot (None when LINE could not say)."""

    name: str
    friend: bool | None = None


def fetch_member_name(client: LineClient, event: Event) -> str | None:
    """The sender's name from the group member profile (it works for non-friends too); None if
    refused."""
    try:
        return clean_name(client.group_member_name(event.group_id, event.user_id))
    except LineError as error:
        log.info("profile of a member not available: %s", error.status)
    except Exception as error:  # e.g. the SDK refusing an odd id: the name is a nicety
        log.info("profile lookup failed: %s", type(error).__name__)
    return None


def fetch_friend(client: LineClient, user_id: str) -> tuple[str | None, bool | None]:
    """(the one-to-one profile's name, whether a friend): (None, False) on 404, (None, None)
    when LINE could not answer."""
    try:
        name = client.friend_name(user_id)
    except LineError as error:
        log.info("friend profile not available: %s", error.status)
        return None, None
    except Exception as error:  # a nicety like the name: never stops the event
        log.info("friend profile lookup failed: %s", type(error).__name__)
        return None, None
    return (clean_name(name) if name is not None else None), name is not None


def look_up(client: LineClient, event: Event) -> Looked:
    """The sender's name and friendship: in a group the member profile plus one one-to-one
    call; one-to-one, the same call gives both."""
    if event.group_id and event.source.get("type") == "group":
        name = fetch_member_name(client, event)
        return Looked(name or "", fetch_friend(client, event.user_id)[1])
    name, friend = fetch_friend(client, event.user_id)  # one-to-one, or a multi-person chat
    return Looked(name or "", friend)


def stale_sender(session: Session, raw: dict, now: datetime) -> Event | None:
    """The event, when its sender's name is unknown or a week old and should be looked up."""
    event = Event(raw)
    if event.type not in NAMED_EVENTS or not event.user_id:
        return None
    person = find_person(session, event.user_id)
    return event if is_stale(person, now) else None


def remember(session: Session, user_id: str, looked: Looked, now: datetime) -> None:
    """Store a looked-up name ("" when LINE refused) and friendship in the event's own
    transaction."""
    person = find_person(session, user_id)
    if person is None:
        return
    if looked.name:
        person.display_name, person.name_refreshed_at = looked.name, now
    else:
        person.name_refreshed_at = now - REFRESH_AFTER + RETRY_AFTER_FAILURE
    if looked.friend is not None:
        membership.friendship_checked(session, user_id, looked.friend)
