"""Chat commands: the router and its contract, and one package per capability whose command
modules each expose register(router)."""

from __future__ import annotations

from handlers import help
from handlers.faq import admin as faq_admin
from handlers.faq import answering as faq
from handlers.faq import corrections as faq_corrections
from handlers.oit import progress, respondents, review, submission_changes, submissions
from handlers.registry import coordination, group_setup, membership, registration, web_sign_in
from handlers.router import Router
from handlers.year import calendar

MODULES = (
    help,
    membership,
    group_setup,
    registration,
    coordination,
    web_sign_in,
    calendar,
    submissions,
    submission_changes,
    review,
    progress,
    respondents,
    faq_admin,
    faq_corrections,
    faq,
)


def build_router() -> Router:
    """The router with every capability registered, in first-match order."""
    router = Router()
    for module in MODULES:
        module.register(router)
    return router
