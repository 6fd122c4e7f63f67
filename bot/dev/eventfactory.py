"""Build LINE webhook events and signed bodies, shared by the chat simulator and tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
import uuid
from typing import Any

_counter = itertools.count(1)
BOT_USER_ID = "Ubot000000000000000000000000000000"


def now_ms() -> int:
    return int(time.time() * 1000)


def sign(channel_secret: str, body: str | bytes) -> str:
    """Return the X-Line-Signature of a raw body, as LINE computes it."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def source(group_id: str | None = None, user_id: str | None = "Utestuser") -> dict[str, Any]:
    """A group source when group_id is given, else a one-to-one user source."""
    if group_id:
        src: dict[str, Any] = {"type": "group", "groupId": group_id}
        if user_id:
            src["userId"] = user_id
        return src
    return {"type": "user", "userId": user_id}


def base_event(event_type: str, *, group_id=None, user_id="Utestuser", **fields) -> dict[str, Any]:
    """An event envelope with fresh ids and timestamp; extra fields are merged in."""
    event = {
        "type": event_type,
        "mode": "active",
        "timestamp": now_ms(),
        "source": source(group_id, user_id),
        "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
        "deliveryContext": {"isRedelivery": False},
    }
    if event_type in {"message", "follow", "join", "memberJoined", "postback"}:
        event["replyToken"] = uuid.uuid4().hex
    event.update(fields)
    return event


def text_event(
    text: str,
    *,
    group_id: str | None = None,
    user_id: str | None = "Utestuser",
    mention_self: bool = False,
    quoted_message_id: str | None = None,
    **fields,
) -> dict[str, Any]:
    """A text message event; mention_self adds an @bot mention at the start."""
    message: dict[str, Any] = {
        "type": "text",
        "id": str(10**15 + next(_counter)),
        "quoteToken": uuid.uuid4().hex,
        "text": text,
    }
    if mention_self:
        message["text"] = "@ITA Bot " + text
        message["mention"] = {
            "mentionees": [
                {"index": 0, "length": 8, "type": "user", "userId": BOT_USER_ID, "isSelf": True}
            ]
        }
    if quoted_message_id:
        message["quotedMessageId"] = quoted_message_id
    return base_event("message", group_id=group_id, user_id=user_id, message=message, **fields)


def postback_event(data: str, *, group_id=None, user_id="Utestuser", **fields) -> dict[str, Any]:
    return base_event(
        "postback", group_id=group_id, user_id=user_id, postback={"data": data}, **fields
    )


def body_of(*events: dict[str, Any], destination: str = BOT_USER_ID) -> str:
    """The raw webhook body LINE would POST for these events."""
    return json.dumps({"destination": destination, "events": list(events)}, ensure_ascii=False)
