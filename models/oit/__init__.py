"""OIT: links agencies submit per item, their checks and reviews, progress, score and reports."""

from models.oit.submissions import LinkCheck, RespondentCount, Submission, ToolScore

__all__ = ["LinkCheck", "RespondentCount", "Submission", "ToolScore"]
