"""Find agencies by code or by name as people type them (rapidfuzz over normalised names)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.registry.agency_names import normalise_name, split_kind_prefix
from models.registry.tables import Agency

MIN_SCORE = 70.0
KIND_MISMATCH_PENALTY = 30.0
CLEAR_LEAD = 8.0


@dataclass(frozen=True)
class Match:
    agency: Agency
    score: float


def name_score(query: str, name: str) -> float:
    """0–100: how well a normalised query names an agency; a wrong kind costs a lot."""
    query_kind, query_core = split_kind_prefix(query)
    name_kind, name_core = split_kind_prefix(name)
    if not query_core:
        return 0.0
    core = fuzz.ratio(query_core, name_core)
    if len(query_core) >= 4 and query_core in name_core:  # "สาธารณสุข" in a long office name
        core = max(core, 85.0 + 10.0 * len(query_core) / len(name_core))
    if query_kind and query_kind != name_kind:
        core -= KIND_MISMATCH_PENALTY
    return max(0.0, min(100.0, core))


def find_agencies(
    session: Session, text: str, province_id: int | None = None, limit: int = 5
) -> list[Match]:
    """Best matches first; an exact code wins outright."""
    query = select(Agency).where(Agency.active.is_(True))
    if province_id is not None:
        query = query.where(Agency.province_id == province_id)
    agencies = session.scalars(query).all()
    wanted = text.strip()
    by_code = [a for a in agencies if a.code.casefold() == wanted.casefold()]
    if by_code:
        return [Match(a, 100.0) for a in by_code]
    normalised = normalise_name(wanted)
    scored = [Match(a, name_score(normalised, normalise_name(a.name))) for a in agencies]
    scored = [m for m in scored if m.score >= MIN_SCORE]
    scored.sort(key=lambda m: (-m.score, m.agency.name))
    return scored[:limit]


def clear_winner(matches: list[Match]) -> Agency | None:
    """The one agency meant, when the best match is good and clearly ahead of the next."""
    if not matches or matches[0].score < 90:
        return None
    if len(matches) > 1 and matches[0].score - matches[1].score < CLEAR_LEAD:
        return None
    return matches[0].agency


def agency_in(session: Session, text: str, province_ids: list[int]) -> Agency | None:
    """The agency clearly meant, looked for in each province in turn (the first one found)."""
    for province_id in province_ids:
        agency = clear_winner(find_agencies(session, text, province_id))
        if agency:
            return agency
    return None
