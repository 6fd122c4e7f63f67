"""What handlers return: LINE message JSON built by small helpers, never sent by the handler."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]


def text_message(text: str, quick_replies: list[tuple[str, str]] | None = None) -> Message:
    """A text message; quick_replies are (label, text) pairs, labels at most 20 characters."""
    message: Message = {"type": "text", "text": text}
    if quick_replies:
        message["quickReply"] = {
            "items": [
                {"type": "action", "action": {"type": "message", "label": label, "text": said}}
                for label, said in quick_replies[:13]
            ]
        }
    return message


@dataclass
class Outgoing:
    """Messages for another chat than the one being answered (e.g. the coordinators' group)."""

    to: str
    messages: list[Message]


@dataclass
class Reply:
    messages: list[Message] = field(default_factory=list)
    quote: bool = False
    elsewhere: list[Outgoing] = field(default_factory=list)

    @classmethod
    def text(
        cls, text: str, *, quick_replies: list[tuple[str, str]] | None = None, quote: bool = False
    ) -> Reply:
        return cls([text_message(text, quick_replies)], quote=quote)
