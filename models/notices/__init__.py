"""Notices: what is due for whom, the month's budget, the words, how each goes out, and what
waits for a reply."""

from models.notices.held import HeldNotice

__all__ = ["HeldNotice"]
