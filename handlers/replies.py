"""What handlers return: LINE message JSON built by small helpers, never sent by the handler."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.line_text import LABEL_LIMIT, TEXT_LIMIT, cut, pack

Message = dict[str, Any]


def text_message(text: str, quick_replies: list[tuple[str, str]] | None = None) -> Message:
    """A text message within LINE's limits (counted in UTF-16 units, as LINE counts): the text
    is cut at 5,000 as a last resort, quick-reply labels at 20, at most 13 choices."""
    message: Message = {"type": "text", "text": cut(text, TEXT_LIMIT)}
    if quick_replies:
        message["quickReply"] = {
            "items": [
                {
                    "type": "action",
                    "action": {
                        "type": "message",
                        "label": cut(label, LABEL_LIMIT),
                        "text": cut(said, 300),
                    },
                }
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

    @classmethod
    def lines(cls, lines: list[str], *, quote: bool = False) -> Reply:
        """A long list over as many texts as it needs (at most five, the rest counted in a
        closing "และอีก N รายการ"), never cut in the middle of a line that fits."""
        return cls([text_message(text) for text in pack(lines)], quote=quote)
