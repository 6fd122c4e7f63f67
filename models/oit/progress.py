"""Progress, phase punctuality and the simulated score, computed from submissions by SQL."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.oit.records import current, item_status, natural_key
from models.oit.submissions import APPROVED, CURRENT, FIX, MISSING, PENDING, Submission, ToolScore
from models.registry.tables import Agency
from models.year import Framework, FrameworkItem
from models.year.safe_expression import evaluate

TOOLS = ("IIT", "EIT")


@lru_cache(maxsize=16)
def _parsed(checksum: str, text: str) -> dict:
    return json.loads(text)


def document_of(framework: Framework) -> dict:
    """The framework file's content, parsed once per version."""
    return _parsed(framework.checksum or "", framework.document)


def item_codes(session: Session, framework_id: int) -> list[str]:
    """The framework's item codes in natural order (O1, O2, … O10)."""
    codes = session.scalars(
        select(FrameworkItem.code)
        .where(FrameworkItem.framework_id == framework_id)
        .order_by(FrameworkItem.position)
    )
    return sorted(codes, key=natural_key)


def counts_by_agency(
    session: Session, agency_ids: list[int], framework_id: int, total: int
) -> dict[int, dict[str, int]]:
    """{agency id: {approved, pending, fix, missing}} in one grouped query."""
    result = {a: {APPROVED: 0, PENDING: 0, FIX: 0, MISSING: total} for a in agency_ids}
    rows = session.execute(
        select(Submission.agency_id, Submission.review, func.count())
        .where(
            Submission.agency_id.in_(agency_ids),
            Submission.framework_id == framework_id,
            Submission.state == CURRENT,
        )
        .group_by(Submission.agency_id, Submission.review)
    )
    for agency_id, review, count in rows:
        result[agency_id][review] = count
        result[agency_id][MISSING] -= count
    return result


def end_of_day_utc(day: dt.date) -> dt.datetime:
    """Midnight after `day` in Thailand, as naive UTC."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time()) - dt.timedelta(hours=7)


def complete_by(
    session: Session, agency_ids: list[int], framework_id: int, total: int, deadline: dt.date
) -> set[int]:
    """Agencies that had a link for every item in place at the end of the deadline day."""
    cutoff = end_of_day_utc(deadline)
    rows = session.execute(
        select(Submission.agency_id, func.count(func.distinct(Submission.item_code)))
        .where(
            Submission.agency_id.in_(agency_ids),
            Submission.framework_id == framework_id,
            Submission.created_at < cutoff,
            or_(Submission.ended_at.is_(None), Submission.ended_at >= cutoff),
        )
        .group_by(Submission.agency_id)
    )
    return {agency_id for agency_id, count in rows if count >= total}


def oit_score(framework: Framework, counts: dict[str, int]) -> float:
    """The file's formula over item results: approved counts, pending does not."""
    document = document_of(framework)
    total = sum(counts.values())
    values = {"passed": counts.get(APPROVED, 0), "total": total}
    return round(evaluate(document["oit_score"]["expression"], values), 2)


def tool_scores(session: Session, agencies: dict[int, Agency], framework_id: int) -> dict:
    """{agency id: {"IIT": …, "EIT": …}}: reported by chat, else the import's iit_score and
    eit_score columns."""
    scores: dict[int, dict[str, float]] = {agency_id: {} for agency_id in agencies}
    for agency_id, agency in agencies.items():
        extra = json.loads(agency.extra or "{}")
        for tool in TOOLS:
            try:
                scores[agency_id][tool] = float(extra[f"{tool.lower()}_score"])
            except (KeyError, TypeError, ValueError):
                pass
    for row in session.scalars(
        select(ToolScore).where(
            ToolScore.framework_id == framework_id, ToolScore.agency_id.in_(list(agencies))
        )
    ):
        scores[row.agency_id][row.tool] = row.score
    return scores


@dataclass
class Simulated:
    oit: float
    total: float | None
    label: str | None


def simulate(framework: Framework, counts: dict[str, int], tools: dict[str, float]) -> Simulated:
    """OIT from items; the total and its result label only when IIT and EIT are both known."""
    document = document_of(framework)
    oit = oit_score(framework, counts)
    if not all(t in tools for t in TOOLS):
        return Simulated(oit, None, None)
    values = {**tools, "OIT": oit}
    total = round(evaluate(document["total_score"]["expression"], values), 2)
    for rule in document["result_labels"]:
        each = rule.get("each_tool_min")
        if total >= rule["total_min"] and (each is None or min(values.values()) >= each):
            return Simulated(oit, total, rule["label"])
    return Simulated(oit, total, None)


@dataclass
class Standing:
    """Where an agency stands now: items per status, items still to do, the simulated score."""

    counts: dict[str, int]
    todo: list[str]
    simulated: Simulated


def standing(session: Session, agency: Agency, framework: Framework) -> Standing:
    """An agency's items per status, those missing or to fix, and its simulated score now."""
    codes = item_codes(session, framework.id)
    rows = current(session, agency.id, framework.id)
    counts = {APPROVED: 0, PENDING: 0, FIX: 0, MISSING: 0}
    for code in codes:
        counts[item_status(rows.get(code))] += 1
    todo = [c for c in codes if item_status(rows.get(c)) in (MISSING, FIX)]
    tools = tool_scores(session, {agency.id: agency}, framework.id)[agency.id]
    return Standing(counts, todo, simulate(framework, counts, tools))


def projected_to_pass(
    framework: Framework, counts: dict[int, dict[str, int]], tools: dict[int, dict[str, float]]
) -> tuple[int, int]:
    """(agencies projected at or above the pass mark, agencies with a simulated total)."""
    document = document_of(framework)
    mark = document["pass_mark"]["value"]
    totals = [simulate(framework, counts[a], tools.get(a, {})).total for a in counts]
    known = [t for t in totals if t is not None]
    return sum(1 for t in known if t >= mark), len(known)
