"""Capabilities of the bot; each module exposes register(router)."""

from __future__ import annotations

from bot.router import Router
from handlers import calendar, coordination, group_setup, help, membership, registration

MODULES = (help, membership, group_setup, registration, coordination, calendar)


def build_router() -> Router:
    """The router with every capability registered, in first-match order."""
    router = Router()
    for module in MODULES:
        module.register(router)
    return router
