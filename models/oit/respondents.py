"""IIT/EIT figures reported by chat: who may report them, and what recording them changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models.oit.progress import Simulated, standing, tool_scores
from models.oit.submissions import RespondentCount, ToolScore, tool_row
from models.registry import roles
from models.registry.chats import Person
from models.registry.tables import Agency
from models.year import Framework


def may_report(session: Session, person: Person, agency: Agency) -> bool:
    """An agency's own admins and its province's coordinators report its IIT/EIT figures."""
    return roles.administers(session, person, agency) or roles.is_coordinator(
        session, person, agency.province_id
    )


def record_counts(
    session: Session,
    agency: Agency,
    framework: Framework,
    pairs: dict[str, tuple[int, int]],
    by: str,
    now: datetime,
) -> None:
    """Keep {tool: (answered, target)} as the agency's respondent counts this year."""
    for tool, (answered, target) in pairs.items():
        row = tool_row(session, RespondentCount, agency.id, framework.id, tool)
        row.answered, row.target = answered, target
        row.recorded_by, row.recorded_at = by, now
    roles.audit(session, by, "respondents", agency=agency.code, counts=pairs)


@dataclass
class ScoreChange:
    """The IIT/EIT scores before a change, and the simulated total before and after it."""

    before: dict[str, float]
    was: Simulated
    now: Simulated


def record_scores(
    session: Session,
    agency: Agency,
    framework: Framework,
    scores: dict[str, float],
    by: str,
    now: datetime,
) -> ScoreChange:
    """Keep {tool: score 0-100} as the agency's IIT/EIT scores this year."""
    before = tool_scores(session, {agency.id: agency}, framework.id)[agency.id]
    was = standing(session, agency, framework).simulated
    for tool, value in scores.items():
        row = tool_row(session, ToolScore, agency.id, framework.id, tool)
        row.score, row.recorded_by, row.recorded_at = value, by, now
    roles.audit(session, by, "scores", agency=agency.code, scores=scores)
    session.flush()
    return ScoreChange(before, was, standing(session, agency, framework).simulated)
