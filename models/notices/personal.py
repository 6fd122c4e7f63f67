"""A reminder one-to-one: each admin hears only about their own agencies, and the deadline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.line_text import TEXT_LIMIT, cut
from models.notices.candidates import MILESTONES, Candidate
from models.notices.respondents import below_target
from models.notices.routes import RESPONDENTS
from models.notices.text import behind
from models.oit import progress
from models.oit.records import current
from models.oit.submissions import FIX
from models.registry.chats import Person
from models.registry.tables import Agency, Province, RoleGrant
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
    missing = [code for code in codes if code not in mine]
    fix = [code for code in codes if code in mine and mine[code].review == FIX]
    parts = [codes_line("ยังไม่ส่ง", missing)] if missing else []
    parts += [codes_line("ต้องแก้", fix)] if fix else []
    return " · ".join(parts)


def administered(session: Session, user_ids: tuple[str, ...]) -> dict[str, set[int]]:
    """{user id: ids of the agencies they are an active admin of}."""
    rows = session.execute(
        select(Person.line_user_id, RoleGrant.agency_id)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(Person.line_user_id.in_(user_ids), RoleGrant.status == "active")
    )
    found: dict[str, set[int]] = {}
    for user_id, agency_id in rows:
        found.setdefault(user_id, set()).add(agency_id)
    return found


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
    days = (c.deadline - today).days
    when = "วันนี้" if days <= 0 else f"อีก {days} วัน"
    kind, what = c.subject.split(":")[0], c.subject.split(":")[-1]
    task = f"ส่งลิงก์ OIT ให้จังหวัดตรวจ ระยะที่ {what}" if kind == "phase" else MILESTONES[what]
    after = (
        "แจ้งจำนวนล่าสุดได้โดยพิมพ์ เช่น IIT 13/20 EIT 45/100"
        if c.subject == RESPONDENTS
        else "พิมพ์ สถานะ เพื่อดูรายละเอียด"
    )
    found = {}
    for user_id, agency_ids in administered(session, users).items():
        lines = [f"• {rows[a][0].name}: {rows[a][1]}" for a in sorted(agency_ids) if a in rows]
        if lines:
            text = (
                f"⏰ {task} ครบกำหนด{when} ({thai_date(c.deadline)})\n" + "\n".join(lines)
                + f"\n{after}"
            )  # fmt: skip
            found[user_id] = [{"type": "text", "text": cut(text, TEXT_LIMIT)}]
    return found
