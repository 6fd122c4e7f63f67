"""Which agency, framework and phase a chat command is about; shared by the OIT handlers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.agency_lookup import clear_winner, find_agencies
from models.calendar import round_year
from models.domain import Agency, Framework, Phase, Province
from models.frameworks import active_framework

THAILAND = dt.timezone(dt.timedelta(hours=7))


def local_today(now_utc: dt.datetime) -> dt.date:
    """The date in Thailand for a naive-UTC timestamp."""
    return now_utc.replace(tzinfo=dt.UTC).astimezone(THAILAND).date()


def framework_for(session: Session, agency: Agency, now_utc: dt.datetime) -> Framework | None:
    province = session.get(Province, agency.province_id)
    return active_framework(session, province, local_today(now_utc), agency.scheme)


def phases(session: Session, province_id: int, fiscal_year: int) -> list[Phase]:
    return list(
        session.scalars(
            select(Phase)
            .where(Phase.province_id == province_id, Phase.fiscal_year == fiscal_year)
            .order_by(Phase.number)
        )
    )


def current_phase(session: Session, province: Province, today: dt.date) -> Phase | None:
    """The first phase whose deadline is today or later (the last one once all have passed)."""
    found = phases(session, province.id, round_year(province, today))
    return next((p for p in found if p.deadline >= today), found[-1] if found else None)


def resolve_agency(
    session: Session, hint: str, among: list[Agency], province_ids: list[int]
) -> tuple[Agency | None, Agency | None]:
    """(one of `among` that `hint` names, else an agency outside `among` it clearly names)."""
    if not hint:
        return None, None
    ids = {a.id for a in among}
    first_word = hint.split()[0]
    if first_word != hint:  # "L004 เรียนจังหวัด": a code, when given, comes first
        query = select(Agency).where(
            Agency.active.is_(True), func.lower(Agency.code) == first_word.lower()
        )
        if province_ids:
            query = query.where(Agency.province_id.in_(province_ids))
        coded = session.scalars(query.order_by(Agency.id)).first()
        if coded:
            return (coded, None) if coded.id in ids else (None, coded)
    for province_id in province_ids or [None]:
        matches = find_agencies(session, hint, province_id)
        mine = [m for m in matches if m.agency.id in ids]
        winner = clear_winner(mine) or (mine[0].agency if len(mine) == 1 else None)
        if winner:
            return winner, None
        other = clear_winner(matches)
        if other:
            return None, other
    return None, None
