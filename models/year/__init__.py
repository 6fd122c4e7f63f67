"""The year: frameworks and their items, the calendar of milestones and phases, working days."""

from models.year.tables import Framework, FrameworkItem, Milestone, Phase

__all__ = ["Framework", "FrameworkItem", "Milestone", "Phase"]
