"""A read-only view over a raw webhook event, so handlers never dig through dicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    raw: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.raw.get("type", ""))

    @property
    def mode(self) -> str:
        return str(self.raw.get("mode", "active"))

    @property
    def source(self) -> dict[str, Any]:
        return self.raw.get("source") or {}

    @property
    def is_group(self) -> bool:
        return self.source.get("type") in {"group", "room"}

    @property
    def group_id(self) -> str | None:
        return self.source.get("groupId") or self.source.get("roomId")

    @property
    def user_id(self) -> str | None:
        return self.source.get("userId")

    @property
    def chat_id(self) -> str | None:
        return self.group_id or self.user_id

    @property
    def reply_token(self) -> str | None:
        return self.raw.get("replyToken")

    @property
    def message(self) -> dict[str, Any]:
        return self.raw.get("message") or {}

    @property
    def message_id(self) -> str | None:
        return self.message.get("id")

    @property
    def text(self) -> str:
        """Message text (empty for other message types)."""
        if self.type not in {"message", "messageEdited"} or self.message.get("type") != "text":
            return ""
        return str(self.message.get("text") or "")

    @property
    def quote_token(self) -> str | None:
        return self.message.get("quoteToken")

    @property
    def quoted_message_id(self) -> str | None:
        return self.message.get("quotedMessageId")

    @property
    def mentionees(self) -> list[dict[str, Any]]:
        return (self.message.get("mention") or {}).get("mentionees") or []

    @property
    def mentions_bot(self) -> bool:
        return any(m.get("isSelf") for m in self.mentionees)

    @property
    def text_without_bot_mention(self) -> str:
        """The text with the bot's own @mention cut out by its index and length."""
        text = self.text
        for mention in sorted(self.mentionees, key=lambda m: -int(m.get("index", 0))):
            if mention.get("isSelf"):
                start, length = int(mention.get("index", 0)), int(mention.get("length", 0))
                text = text[:start] + text[start + length :]
        return text.strip()

    @property
    def postback_data(self) -> str:
        return str((self.raw.get("postback") or {}).get("data") or "")

    @property
    def unsent_message_id(self) -> str | None:
        return (self.raw.get("unsend") or {}).get("messageId")

    def member_ids(self, key: str) -> list[str]:
        """User ids in joined/left events (key is "joined" or "left")."""
        members = (self.raw.get(key) or {}).get("members") or []
        return [m["userId"] for m in members if m.get("userId")]
