"""Fixtures of the web tests: the demo province seeded, and the bot spoken to one-to-one."""

from __future__ import annotations

import pytest

from bot.dev.eventfactory import text_event
from tests.oit.test_oit_chat import COORDINATOR, say  # noqa: F401 (a fixture used here)


@pytest.fixture
def bot(say, fake_line, post_events, worker):
    """Speaks to the bot one-to-one (the demo province seeded, Uadmin01 admin of L004)."""

    def say_alone(text, user_id=COORDINATOR, group_id=None):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=group_id, user_id=user_id))
        worker.run_once()
        return "\n".join(m["text"] for r in fake_line.state.sent[before:] for m in r["messages"])

    return say_alone
