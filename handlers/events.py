"""A read-only view over a raw webhook event, so handlers never dig through dicts.

Every property answers with the type it promises, whatever the payload holds: a signed body
can still carry a number where LINE sends a string, and one odd event must not crash the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _id(value: Any, limit: int = 64) -> str | None:
    """An id or token as LINE sends it; anything longer than its column is not one."""
    found = _str(value)
    return found if found and len(found) <= limit else None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True)
class Event:
    raw: dict[str, Any]

    @property
    def type(self) -> str:
        return _str(self.raw.get("type")) or ""

    @property
    def mode(self) -> str:
        return _str(self.raw.get("mode")) or "active"

    @property
    def source(self) -> dict[str, Any]:
        return _obj(self.raw.get("source"))

    @property
    def is_group(self) -> bool:
        return self.source.get("type") in {"group", "room"}

    @property
    def group_id(self) -> str | None:
        return _id(self.source.get("groupId")) or _id(self.source.get("roomId"))

    @property
    def user_id(self) -> str | None:
        return _id(self.source.get("userId"))

    @property
    def chat_id(self) -> str | None:
        return self.group_id or self.user_id

    @property
    def sent_at(self) -> datetime | None:
        """When LINE says the event happened (naive UTC); edits of one message are ordered by it."""
        millis = self.raw.get("timestamp")
        if not isinstance(millis, int):
            return None
        return datetime.fromtimestamp(millis / 1000, UTC).replace(tzinfo=None)

    @property
    def reply_token(self) -> str | None:
        return _id(self.raw.get("replyToken"), 255)

    @property
    def message(self) -> dict[str, Any]:
        return _obj(self.raw.get("message"))

    @property
    def message_id(self) -> str | None:
        return _id(self.message.get("id"))

    @property
    def text(self) -> str:
        """Message text (empty for other message types)."""
        if self.type not in {"message", "messageEdited"} or self.message.get("type") != "text":
            return ""
        return _str(self.message.get("text")) or ""

    @property
    def quote_token(self) -> str | None:
        return _id(self.message.get("quoteToken"), 255)

    @property
    def quoted_message_id(self) -> str | None:
        return _id(self.message.get("quotedMessageId"))

    @property
    def mentionees(self) -> list[dict[str, Any]]:
        found = _obj(self.message.get("mention")).get("mentionees")
        return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []

    @property
    def mentions_bot(self) -> bool:
        return any(m.get("isSelf") is True for m in self.mentionees)

    @property
    def mentioned_user_ids(self) -> list[str]:
        """People @mentioned in the message, the bot left out."""
        found = (_id(m.get("userId")) for m in self.mentionees if m.get("isSelf") is not True)
        return [user_id for user_id in found if user_id]

    def text_without_mentions(self, only_bot: bool = False) -> str:
        """The text with @mentions (or only the bot's) cut out by their index and length."""
        text = self.text
        spans = [
            (_int(m.get("index")), _int(m.get("length")))
            for m in self.mentionees
            if not only_bot or m.get("isSelf") is True
        ]
        for start, length in sorted(spans, reverse=True):
            if 0 <= start < len(text) and length > 0:
                text = text[:start] + " " + text[start + length :]
        return text.strip()

    @property
    def text_without_bot_mention(self) -> str:
        return self.text_without_mentions(only_bot=True)

    @property
    def postback_data(self) -> str:
        return _str(_obj(self.raw.get("postback")).get("data")) or ""

    @property
    def unsent_message_id(self) -> str | None:
        return _id(_obj(self.raw.get("unsend")).get("messageId"))

    def member_ids(self, key: str) -> list[str]:
        """User ids in joined/left events (key is "joined" or "left")."""
        members = _obj(self.raw.get(key)).get("members")
        if not isinstance(members, list):
            return []
        return [m["userId"] for m in members if isinstance(m, dict) and _id(m.get("userId"))]
