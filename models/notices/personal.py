"""A reminder one-to-one: each admin hears only about their own agencies, and the deadline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from models.line_text import TEXT_LIMIT, cut
from models.notices.candidates import Candidate, countdown, task_of
from models.notices.respondents import below_target
from models.notices.routes import RESPONDENTS
from models.notices.text import admins_of, behind
from models.oit import progress
from models.oit.records import current, item_status
from models.oit.submissions import FIX, MISSING
from models.registry.tables import Agency, Province
from models.year.calendar import thai_date
from models.year.frameworks import active_framework

MAX_CODES = 12  # a long list helps nobody on a phone: "O3, O5, … and 14 more"


def codes_line(label: str, codes: list[str]) -> str:
    shown = ", ".join(codes[:MAX_CODES])
    more = f" และอีก {len(codes) - MAX_CODES} ข้อ" if len(codes) > MAX_CODES else ""
    return f"{label} {shown}{more}"


def oit_todo(session: Session, agency: Agency, framework_id: int, codes: list[str]) -> str:
    """ "ยังไม่ส่ง O3, O5 · ต้องแก้ O12" for one agency."""
    mine = current(session, agency.id, framework_id)
    missing = [code for code in codes if item_status(mine.get(code)) == MISSING]
    fix = [code for code in codes if item_status(mine.get(code)) == FIX]
    parts = [codes_line("ยังไม่ส่ง", missing)] if missing else []
    parts += [codes_line("ต้องแก้", fix)] if fix else []
    return " · ".join(parts)


def personal_reminders(
    session: Session, c: Candidate, users: tuple[str, ...], today: dt.date
) -> dict[str, list[dict]]:
    """{user id: messages} for the admins among `users` whose agencies are still behind today."""
    province = session.get(Province, c.province_id)
    if c.subject == RESPONDENTS:
        rows = {a.id: (a, " · ".join(notes))
                for a, notes in below_target(session, province, c.group_kind, today)}  # fmt: skip
    else:
        framework = active_framework(session, province, today)
        codes = progress.item_codes(session, framework.id) if framework else []
        rows = {a.id: (a, oit_todo(session, a, framework.id, codes))
                for a, _, _ in behind(session, province, c.group_kind, today)}  # fmt: skip
    after = (
        "แจ้งจำนวนล่าสุดได้โดยพิมพ์ เช่น IIT 13/20 EIT 45/100"
        if c.subject == RESPONDENTS
        else "พิมพ์ สถานะ เพื่อดูรายละเอียด"
    )
    head = f"⏰ {task_of(c)} ครบกำหนด{countdown(c, today)} ({thai_date(c.deadline)})"
    mine: dict[str, list[int]] = {}  # user id -> their agencies still behind
    for agency_id, people in admins_of(session, list(rows)).items():
        for person in people:
            if person.line_user_id in users:
                mine.setdefault(person.line_user_id, []).append(agency_id)
    found = {}
    for user_id, agency_ids in mine.items():
        lines = [f"• {rows[a][0].name}: {rows[a][1]}" for a in sorted(agency_ids)]
        text = "\n".join([head, *lines, after])
        found[user_id] = [{"type": "text", "text": cut(text, TEXT_LIMIT)}]
    return found
