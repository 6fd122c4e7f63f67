"""The "which agency?" quick reply, asked by registration and by the OIT commands alike."""

from __future__ import annotations

from collections.abc import Callable

from handlers.replies import Reply
from models.registry.agency_lookup import Match
from models.registry.agency_names import short_name
from models.registry.tables import Agency


def agency_choices(question: str, matches: list[Match], resend: Callable[[Agency], str]) -> Reply:
    """Ask which agency was meant: each quick reply re-sends the whole command with that
    agency's code, so nothing typed is lost."""
    lines = [f"• {m.agency.name} (รหัส {m.agency.code})" for m in matches]
    return Reply.text(
        question + "\n" + "\n".join(lines),
        quick_replies=[(short_name(m.agency.name), resend(m.agency)) for m in matches],
        quote=True,
    )
