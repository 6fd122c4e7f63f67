"""The words of each notice: who must act, with their admins mentioned, within LINE's limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import oit_progress as progress
from models.calendar import thai_date
from models.chats import Person
from models.domain import Agency, Province, RoleGrant
from models.frameworks import active_framework
from models.notifications import MILESTONES, Candidate
from models.oit_summary import GROUP_KINDS, summary_text
from models.submissions import FIX, MISSING

MAX_UNITS, MAX_MENTIONS, MAX_MESSAGES = 5000, 20, 5


def units(text: str) -> int:
    """Length as LINE counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def behind(session: Session, province: Province, group_kind: str, today: dt.date) -> list[tuple]:
    """(agency, missing, to fix) for the group's agencies that still have work, most first."""
    framework = active_framework(session, province, today)
    agencies = {
        a.id: a
        for a in session.scalars(
            select(Agency).where(
                Agency.province_id == province.id,
                Agency.active.is_(True),
                Agency.kind.in_(GROUP_KINDS[group_kind]),
            )
        )
    }
    if framework is None or not agencies:
        return []
    total = len(progress.item_codes(session, framework.id))
    counts = progress.counts_by_agency(session, list(agencies), framework.id, total)
    rows = [(agencies[a], c[MISSING], c[FIX]) for a, c in counts.items() if c[MISSING] or c[FIX]]
    return sorted(rows, key=lambda r: (-r[1] - r[2], r[0].code))


def admins_of(session: Session, agency_ids: list[int]) -> dict[int, list[Person]]:
    rows = session.execute(
        select(RoleGrant.agency_id, Person)
        .join(Person, Person.id == RoleGrant.person_id)
        .where(RoleGrant.agency_id.in_(agency_ids), RoleGrant.status == "active")
        .order_by(Person.id)
    )
    found: dict[int, list[Person]] = {}
    for agency_id, person in rows:
        found.setdefault(agency_id, []).append(person)
    return found


def _safe(text: str) -> str:
    return text.replace("{", "(").replace("}", ")")


def _line(line: str, people: list[Person], subs: dict) -> str:
    """One line with its admins: @mentions while the message has room, names after that."""
    parts = []
    for person in people:
        if len(subs) < MAX_MENTIONS:
            key = f"m{len(subs)}"
            subs[key] = {
                "type": "mention",
                "mentionee": {"type": "user", "userId": person.line_user_id},
            }
            parts.append("{" + key + "}")
        else:
            parts.append(_safe(person.display_name or "แอดมิน"))
    return _safe(line) + (" " + " ".join(parts) if parts else "")


def _message(text: str, subs: dict) -> dict:
    return {"type": "textV2", "text": text, **({"substitution": subs} if subs else {})}


def mention_messages(head: str, lines: list[tuple[str, list[Person]]]) -> list[dict]:
    """textV2 messages: admins @mentioned (20 per message, the rest by name), split so that
    no message passes 5,000 UTF-16 units, at most 5 messages (then "…and N more")."""
    messages, text, subs = [], _safe(head), {}
    for number, (line, people) in enumerate(lines):
        last = len(messages) == MAX_MESSAGES - 1
        trial = dict(subs)
        piece = _line(line, people, trial)
        crowded = people and len(subs) + len(people) > MAX_MENTIONS
        if units(text) + 1 + units(piece) > MAX_UNITS - 60 or (crowded and not last):
            if last:
                text += f"\n…และอีก {len(lines) - number} หน่วยงาน"
                break
            messages.append(_message(text, subs))
            text, subs = "", {}
            trial = {}
            piece = _line(line, people, trial)
        text, subs = (text + "\n" + piece) if text else piece, trial
    messages.append(_message(text, subs))
    return messages


def reminder(session: Session, c: Candidate, province: Province, today: dt.date) -> list[dict]:
    """The push for an agency group, or [] when every agency in it is done."""
    rows = behind(session, province, c.group_kind, today)
    if not rows:
        return []
    admins = admins_of(session, [agency.id for agency, _, _ in rows])
    days = (c.deadline - today).days
    when = "วันนี้" if days <= 0 else f"อีก {days} วัน"
    what = (
        f"ส่งลิงก์ OIT ให้จังหวัดตรวจ ระยะที่ {c.subject.split(':')[1]}"
        if c.kind == "reminder"
        else MILESTONES[c.subject.split(":")[1]]
    )
    head = (
        f"⏰ {what} ครบกำหนด{when} ({thai_date(c.deadline)}) หน่วยงานที่ยังต้องดำเนินการ {len(rows)} แห่ง:"
    )
    lines = []
    for agency, missing, fix in rows:
        todo = f"ยังไม่ส่ง {missing} ข้อ" + (f" ต้องแก้ {fix} ข้อ" if fix else "")
        lines.append((f"• {agency.code} {agency.name}: {todo}", admins.get(agency.id, [])))
    messages = mention_messages(head, lines)
    messages[-1]["text"] += "\nพิมพ์ สถานะ เพื่อดูรายละเอียดของหน่วยงาน"
    return messages


def phase_summary(session: Session, c: Candidate, province: Province, today: dt.date) -> list[dict]:
    text = f"📋 ระยะที่ {c.subject.split(':')[1]} สิ้นสุดแล้ว ({thai_date(c.deadline)})\n"
    return [{"type": "text", "text": (text + summary_text(session, province, None, today))[:4900]}]


def build(session: Session, c: Candidate, today: dt.date) -> list[dict]:
    province = session.get(Province, c.province_id)
    if c.kind == "phase_summary":
        return phase_summary(session, c, province, today)
    return reminder(session, c, province, today)
