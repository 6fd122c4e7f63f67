"""Notices: what is due for whom, by which route within the month's budget, the words, how each
goes out, and what waits for a reply."""

from models.notices.held import HeldNotice

__all__ = ["HeldNotice"]
