"""The review rules hold for any door (chat today, the coordinators' web pages next)."""

from __future__ import annotations

import pytest

from models.base import utcnow
from models.oit.review import decide
from models.oit.submissions import FIX, PENDING, Submission


def test_a_fix_without_its_reason_is_refused_and_changes_nothing():
    row = Submission(review=PENDING)
    with pytest.raises(ValueError, match="reason"):
        decide(None, row, FIX, "  ", "Ucoordinator", utcnow())
    assert row.review == PENDING and row.review_note is None and row.reviewed_by is None
