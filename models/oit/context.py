"""Which agency, framework and phase a command or a question is about (OIT and FAQ alike)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import local_today
from models.registry.agency_lookup import clear_winner, find_agencies
from models.registry.tables import Agency, Province
from models.year import Framework, Phase
from models.year.calendar import phases_of, round_year
from models.year.frameworks import active_framework

CODE = re.compile(r"[A-Za-z]{1,4}[0-9]{2,}|[0-9]{4,}")


def framework_for(session: Session, agency: Agency, now_utc: dt.datetime) -> Framework | None:
    province = session.get(Province, agency.province_id)
    return active_framework(session, province, local_today(now_utc), agency.scheme)


def current_phase(session: Session, province: Province, today: dt.date) -> Phase | None:
    """The first phase whose deadline is today or later (the last one once all have passed)."""
    found = phases_of(session, province.id, round_year(province, today))
    return next((p for p in found if p.deadline >= today), found[-1] if found else None)


def agency_phase(session: Session, agency: Agency, today: dt.date) -> Phase | None:
    """The phase the agency's province is in today."""
    return current_phase(session, session.get(Province, agency.province_id), today)


def resolve_agency(
    session: Session, hint: str, among: list[Agency], province_ids: list[int]
) -> tuple[Agency | None, Agency | None]:
    """(one of `among` that `hint` names, else an agency outside `among` it clearly names)."""
    if not hint:
        return None, None
    ids = {a.id for a in among}
    first_word = hint.split()[0]
    # "L004 เรียนจังหวัด": a code, when given, comes first (codes repeat across provinces)
    query = select(Agency).where(
        Agency.active.is_(True), func.lower(Agency.code) == first_word.lower()
    )
    if province_ids:
        query = query.where(Agency.province_id.in_(province_ids))
    coded = session.scalars(query.order_by(Agency.id)).all()
    if coded:
        return next(((a, None) for a in coded if a.id in ids), (None, coded[0]))
    for province_id in province_ids or [None]:
        matches = find_agencies(session, hint, province_id)
        mine = [m for m in matches if m.agency.id in ids]
        winner = clear_winner(mine) or (mine[0].agency if len(mine) == 1 else None)
        if winner:
            return winner, None
        other = clear_winner(matches)
        if other:
            return None, other
        if among and matches and not mine and matches[0].score >= 90:
            return None, matches[0].agency  # it names agencies, none of them `among`
    return None, None


def looks_like_code(word: str) -> bool:
    """ "L004", "R12", "10001": how agency codes are typed, never a polite word or a name."""
    return bool(CODE.fullmatch(word))
