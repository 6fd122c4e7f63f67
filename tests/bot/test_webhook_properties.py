"""Any signed body up to 1 MB: the webhook answers 200, 400 or 413, never 5xx; a refused body
stores nothing; an accepted body stores every well-formed event in it, cleaned."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from bot.cleaning import clean_text
from bot.dev.eventfactory import postback_event, sign, text_event
from handlers.events import Event
from models.queues import InboxEvent

CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\r\n\t"
ALLOWED = {"\n", "\t"}
COLUMN_SIZES = {"webhook_event_id": 64, "event_type": 40, "mode": 16, "chat_id": 64}
COLUMN_SIZES |= {"user_id": 64, "message_id": 64, "reply_token": 255}


class Raw:
    """JSON text put into a body as is: too deep or too long for json.dumps to write."""

    def __init__(self, text: str):
        self.text, self.marker = text, f"@@raw-{uuid.uuid4().hex}@@"


def dumps(value, ensure_ascii: bool) -> str:
    raws: list[Raw] = []

    def mark(raw: Raw) -> str:
        raws.append(raw)
        return raw.marker

    text = json.dumps(value, ensure_ascii=ensure_ascii, default=mark)
    for raw in raws:
        text = text.replace(f'"{raw.marker}"', raw.text)
    return text


def nested(opener: str, closer: str, depth: int) -> Raw:
    return Raw(opener * depth + "0" + closer * depth)


plain_text = st.text(st.one_of(st.characters(), st.sampled_from(CONTROLS)), max_size=30)
any_text = st.text(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(CONTROLS)), max_size=30
)
long_text = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["x", "ก", "\x00", "\ud800", "😀"]),
    st.integers(100, 120_000),
)
deep = st.one_of(
    st.builds(nested, st.just("["), st.just("]"), st.integers(10, 3000)),
    st.builds(nested, st.just('{"k":'), st.just("}"), st.integers(10, 1500)),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e300, -1e300, 10**40, 2**63, -(2**63) - 1]),
    st.integers(4000, 6000).map(lambda digits: Raw("9" * digits)),
    any_text,
    long_text,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(any_text, children, max_size=4), deep
    ),
    max_leaves=8,
)

TOP_FIELDS = ["type", "mode", "timestamp", "source", "webhookEventId", "replyToken"]
TOP_FIELDS += ["deliveryContext", "message", "unsend", "postback", "joined", "extra"]
CHILD_FIELDS = {
    "source": ["type", "groupId", "roomId", "userId"],
    "message": ["id", "type", "text", "mention", "emojis", "quoteToken", "quotedMessageId"],
    "deliveryContext": ["isRedelivery"],
}


@st.composite
def good_events(draw) -> tuple[dict, str]:
    """A well-formed event, and the words its text should leave once the bot's @ is cut."""
    group_id = draw(st.sampled_from([None, "Cgroup1"]))
    if draw(st.integers(0, 4)) == 0:
        return postback_event(draw(plain_text), group_id=group_id), ""
    prefix, text = draw(plain_text), draw(plain_text)
    event = text_event(f"{prefix}@ITA Bot {text}", group_id=group_id)
    mention = {"index": len(prefix), "length": 8, "type": "user", "userId": "Ubot", "isSelf": True}
    event["message"]["mention"] = {"mentionees": [mention]}
    return event, clean_text(f"{prefix} {text}")


@st.composite
def odd_events(draw):
    """An event LINE would never send: a wrong type, a huge or deep value, or no object."""
    shape = draw(st.sampled_from(["field", "child", "value", "deep"]))
    if shape == "value":
        return draw(json_values)
    event = text_event(draw(any_text), group_id=draw(st.sampled_from([None, "Cgroup1"])))
    if shape == "field":
        event[draw(st.sampled_from(TOP_FIELDS))] = draw(json_values)
    elif shape == "child":
        parent = draw(st.sampled_from(sorted(CHILD_FIELDS)))
        event.setdefault(parent, {})[draw(st.sampled_from(CHILD_FIELDS[parent]))] = draw(
            json_values
        )
    else:
        event[draw(st.sampled_from(TOP_FIELDS))] = draw(deep)
    return event


@st.composite
def signed_bodies(draw) -> tuple[bytes, list[tuple[dict, str]]]:
    """A body (mostly a LINE-shaped one) and the well-formed events it carries."""
    good = draw(st.lists(good_events(), max_size=6))
    odd = draw(st.lists(odd_events(), max_size=4))
    shape = draw(st.sampled_from(["events"] * 6 + ["not an object", "events not a list"]))
    if shape == "events":
        events = draw(st.permutations([event for event, _ in good] + odd))
        payload = {"destination": "Ubot", "events": events}
    elif shape == "not an object":
        good, payload = [], draw(json_values)
    else:
        good, payload = [], {"destination": "Ubot", "events": draw(scalars)}
    text = dumps(payload, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass"), good  # a lone surrogate: not UTF-8, so 400


def controls_in(value) -> list[str]:
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found += [c for c in item if c < " " and c not in ALLOWED]
        elif isinstance(item, dict):
            stack += list(item) + list(item.values())
        elif isinstance(item, list):
            stack += item
    return found


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(case=signed_bodies())
def test_any_signed_body_is_answered_without_a_5xx(client, db, case):
    body, good = case
    with db.engine.begin() as connection:
        connection.execute(delete(InboxEvent))
    response = client.post(
        "/callback", data=body, headers={"X-Line-Signature": sign("test-secret", body)}
    )
    event(f"answered {response.status_code}")
    assert response.status_code in {200, 400, 413}
    with db.session() as session:
        rows = {row.webhook_event_id: row for row in session.scalars(select(InboxEvent))}
    if response.status_code != 200:
        assert rows == {}
        return
    for sent, words in good:
        row = rows[sent["webhookEventId"]]
        stored = json.loads(row.payload)
        if sent["type"] == "message":
            assert Event(stored).text_without_bot_mention.split() == words.split()
    for row in rows.values():
        assert controls_in(json.loads(row.payload)) == []
        for column, size in COLUMN_SIZES.items():
            value = getattr(row, column)
            assert value is None or len(value) <= size, column
