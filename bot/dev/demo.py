"""The demo province `make run` shows: agencies, three groups, a calendar that is always ahead."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.chat import chat_ids
from models.base import DATA_DIR, utcnow
from models.registry import roles
from models.registry.agency_import import import_agencies, province_named, read_rows
from models.registry.chats import Group, find_group
from models.registry.tables import ChatSetup
from models.year import Milestone
from models.year.calendar import default_calendar, fiscal_year_of, replace
from models.year.frameworks import load_shipped

DEMO = DATA_DIR / "demo"
PROVINCE = "สิงห์บุรี"
DEMO_COORDINATOR = "ผู้ประสานงาน"  # `chat --user ผู้ประสานงาน` speaks as a coordinator
GROUPS = {
    "regional": "ITA ส่วนภูมิภาค สิงห์บุรี",
    "local": "ITA อปท. สิงห์บุรี",
    "coordinators": "ทีมประสานงาน ITA สิงห์บุรี",
}


def shifted_calendar(today: dt.date) -> dict:
    """The default calendar of the current fiscal year, moved so the next phase is ahead."""
    year = fiscal_year_of(today)
    document = default_calendar(year)
    last = max(dt.date.fromisoformat(p["deadline"]) for p in document["phases"])
    first = min(dt.date.fromisoformat(p["start"]) for p in document["phases"])
    shift = dt.timedelta(days=max(0, (today - first).days + 14)) if last < today else dt.timedelta()
    for entry in (*document["phases"], *document["milestones"]):
        for key in ("start", "end", "deadline"):
            if entry.get(key):
                entry[key] = (dt.date.fromisoformat(entry[key]) + shift).isoformat()
    return document


def seed_demo(session: Session, today: dt.date) -> str:
    """Idempotent: re-running updates the same rows."""
    load_shipped(session)  # the demo needs its frameworks even before init-db loaded them
    province = province_named(session, PROVINCE, create=True)
    report = import_agencies(session, read_rows(DEMO / "agencies.csv"), province, actor="seed-demo")
    for kind, name in GROUPS.items():
        group_id, _ = chat_ids(name, "")
        group = find_group(session, group_id)
        if group is None:
            group = Group(line_group_id=group_id, name=name, first_seen=utcnow())
            session.add(group)
            session.flush()
        if session.scalar(select(ChatSetup).where(ChatSetup.group_id == group.id)) is None:
            session.add(ChatSetup(group_id=group.id, province_id=province.id, kind=kind))
    coordinator = roles.person(session, chat_ids(None, DEMO_COORDINATOR)[1])
    roles.grant(session, coordinator, roles.COORDINATOR, province, by="seed-demo")
    year = fiscal_year_of(today)
    has_calendar = session.scalar(
        select(Milestone.id)
        .where(Milestone.province_id == province.id, Milestone.fiscal_year == year)
        .limit(1)
    )
    if has_calendar is None:
        replace(session, province, shifted_calendar(today))
    return (
        f"จังหวัด{PROVINCE} (สาธิต): หน่วยงานใหม่ {report.created} ปรับปรุง {report.updated}; "
        f"กลุ่ม {len(GROUPS)} กลุ่ม; กำหนดการปี {year}"
    )
