"""Notices: reminders, budget, limits and outcomes."""
