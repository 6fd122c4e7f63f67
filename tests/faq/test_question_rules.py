"""Answering an open question holds the same limits for any door (chat, web pages)."""

from __future__ import annotations

import pytest

from models.base import utcnow
from models.faq import OpenQuestion
from models.faq.questions import ANSWER_LIMIT, answer


@pytest.mark.parametrize("text", ["", "   ", "ก" * (ANSWER_LIMIT + 1)])
def test_an_empty_or_overlong_answer_is_refused_and_changes_nothing(text):
    row = OpenQuestion(status="open")
    with pytest.raises(ValueError, match=str(ANSWER_LIMIT)):
        answer(None, row, text, "Ucoordinator", utcnow())
    assert row.status == "open" and row.answer is None
