"""Capabilities of the bot; each module exposes register(router)."""

from __future__ import annotations

from bot.router import Router
from handlers import (
    calendar,
    coordination,
    faq,
    faq_admin,
    group_setup,
    help,
    membership,
    progress,
    registration,
    respondents,
    review,
    submission_changes,
    submissions,
)

MODULES = (
    help,
    membership,
    group_setup,
    registration,
    coordination,
    calendar,
    submissions,
    submission_changes,
    review,
    progress,
    respondents,
    faq_admin,
    faq,
)


def build_router() -> Router:
    """The router with every capability registered, in first-match order."""
    router = Router()
    for module in MODULES:
        module.register(router)
    return router
