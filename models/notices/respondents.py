"""While the IIT/EIT window is open: which agencies are below their respondent targets."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.notices.candidates import countdown
from models.oit.submissions import RespondentCount
from models.oit.summary import group_agencies
from models.registry.tables import Province
from models.year.calendar import thai_date
from models.year.frameworks import active_framework

TOOLS = ("IIT", "EIT")


def below_target(session: Session, province: Province, group_kind: str, today: dt.date):
    """(agency, [Thai notes]) for agencies short of a target or that have not reported."""
    framework = active_framework(session, province, today)
    agencies = list(group_agencies(session, province, group_kind).values())
    counts = {
        (r.agency_id, r.tool): r
        for r in session.scalars(
            select(RespondentCount).where(
                RespondentCount.framework_id == framework.id,
                RespondentCount.agency_id.in_([a.id for a in agencies]),
            )
        )
    }
    found = []
    for agency in agencies:
        extra, notes = json.loads(agency.extra or "{}"), []
        for tool in TOOLS:
            row = counts.get((agency.id, tool))
            if row is None:
                target = extra.get(f"{tool.lower()}_target")
                notes.append(f"{tool} ยังไม่แจ้งจำนวน" + (f" (เป้า {target})" if target else ""))
            elif row.answered < row.target:
                notes.append(f"{tool} {row.answered}/{row.target}")
        if notes:
            found.append((agency, notes))
    return found


def respondents_reminder(session, c, province: Province, today: dt.date, admins_of, mentions):
    """The IIT/EIT push for an agency group, or [] when every agency reached its targets."""
    rows = below_target(session, province, c.group_kind, today)
    if not rows:
        return []
    admins = admins_of(session, [agency.id for agency, _ in rows])
    head = (
        f"⏰ แบบวัด IIT/EIT ปิดรับ{countdown(c, today)} ({thai_date(c.deadline)}) "
        f"หน่วยงานที่ผู้ตอบยังไม่ถึงเป้า {len(rows)} แห่ง:"
    )
    lines = [
        (f"• {a.code} {a.name}: {' · '.join(notes)}", admins.get(a.id, [])) for a, notes in rows
    ]
    messages = mentions(head, lines)
    messages[-1]["text"] += "\nแจ้งจำนวนล่าสุดได้โดยพิมพ์ เช่น IIT 13/20 EIT 45/100"
    return messages
