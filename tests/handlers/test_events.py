"""The read-only event view: what handlers may read of a webhook event."""

from __future__ import annotations

from datetime import datetime

from bot.dev.eventfactory import text_event
from handlers.events import Event


def test_sent_at_is_lines_timestamp_in_naive_utc_or_none_without_one():
    event = text_event("O1 https://a.go.th", group_id="Cg")
    event["timestamp"] = 1_800_000_000_123
    assert Event(event).sent_at == datetime(2027, 1, 15, 8, 0, 0, 123000)
    del event["timestamp"]
    assert Event(event).sent_at is None
    event["timestamp"] = "soon"
    assert Event(event).sent_at is None
