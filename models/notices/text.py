"""The words of each notice: who must act, with their admins mentioned, within LINE's limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.faq.entries import OpenQuestion
from models.line_text import TEXT_LIMIT, cut, units
from models.notices.candidates import Candidate, countdown, task_of
from models.notices.respondents import respondents_reminder
from models.oit import progress
from models.oit.link_verdict import PROBLEMS
from models.oit.submissions import APPROVED, CURRENT, FIX, MISSING, PENDING, LinkCheck, Submission
from models.oit.summary import group_agencies, summary_text
from models.registry.chats import Person
from models.registry.tables import Agency, Province, RoleGrant
from models.year.calendar import thai_date, thai_month
from models.year.frameworks import active_framework

MAX_UNITS, MAX_MENTIONS, MAX_MESSAGES = TEXT_LIMIT, 20, 5


def behind(session: Session, province: Province, group_kind: str, today: dt.date) -> list[tuple]:
    """(agency, missing, to fix) for the group's agencies that still have work, most first."""
    framework = active_framework(session, province, today)
    agencies = group_agencies(session, province, group_kind)
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
    head = (
        f"⏰ {task_of(c)} ครบกำหนด{countdown(c, today)} ({thai_date(c.deadline)}) "
        f"หน่วยงานที่ยังต้องดำเนินการ {len(rows)} แห่ง:"
    )
    lines = []
    for agency, missing, fix in rows:
        todo = f"ยังไม่ส่ง {missing} ข้อ" + (f" ต้องแก้ {fix} ข้อ" if fix else "")
        lines.append((f"• {agency.code} {agency.name}: {todo}", admins.get(agency.id, [])))
    messages = mention_messages(head, lines)
    messages[-1]["text"] += "\nพิมพ์ สถานะ เพื่อดูรายละเอียดของหน่วยงาน"
    return messages


def phase_summary(session: Session, c: Candidate, province: Province, today: dt.date) -> list[dict]:
    """On time, late and still missing for the phase that ended, then the province's summary."""
    ids = list(group_agencies(session, province, None))
    framework = active_framework(session, province, today)
    total = len(progress.item_codes(session, framework.id))
    on_time = progress.complete_by(session, ids, framework.id, total, c.deadline)
    counts = progress.counts_by_agency(session, ids, framework.id, total)
    complete = {a for a, n in counts.items() if n[MISSING] == 0}
    text = (
        f"📋 ระยะที่ {c.subject.split(':')[1]} สิ้นสุดแล้ว ({thai_date(c.deadline)}): "
        f"ส่งครบตรงเวลา {len(on_time)} · ส่งครบแต่ล่าช้า {len(complete - on_time)} · "
        f"ยังไม่ครบ {len(ids) - len(complete | on_time)} หน่วยงาน\n"
    )
    return [
        {
            "type": "text",
            "text": cut(text + summary_text(session, province, None, today), TEXT_LIMIT),
        }
    ]


def weekly_digest(session: Session, province: Province, now_utc: dt.datetime) -> list[dict]:
    """Progress since last week, the review queue, open questions and broken links."""
    since = now_utc - dt.timedelta(days=7)
    in_province = Submission.agency_id.in_(
        select(Agency.id).where(Agency.province_id == province.id)
    )
    new = session.execute(
        select(func.count(), func.count(func.distinct(Submission.agency_id))).where(
            in_province, Submission.created_at >= since, Submission.source != "import"
        )
    ).one()
    approved = session.scalar(
        select(func.count()).where(in_province, Submission.reviewed_at >= since,
                                   Submission.review == APPROVED)
    )  # fmt: skip
    waiting = session.scalar(
        select(func.count()).where(in_province, Submission.state == CURRENT,
                                   Submission.review == PENDING)
    )  # fmt: skip
    questions = session.scalar(
        select(func.count()).where(OpenQuestion.province_id == province.id,
                                   OpenQuestion.status == "open")
    )  # fmt: skip
    broken = session.scalar(
        select(func.count())
        .select_from(LinkCheck)
        .join(Submission, Submission.id == LinkCheck.submission_id)
        .where(in_province, Submission.state == CURRENT, LinkCheck.checked_at >= since,
               LinkCheck.verdict.in_(PROBLEMS))
    )  # fmt: skip
    lines = [
        f"📊 สรุปประจำสัปดาห์ จังหวัด{province.name}",
        f"• ส่งลิงก์เข้ามาในสัปดาห์นี้ {new[0]} ข้อ จาก {new[1]} หน่วยงาน ตรวจผ่าน {approved} ข้อ",
        f"• รอตรวจ {waiting} ข้อ (พิมพ์ รอตรวจ)",
        f"• คำถามที่บอทตอบไม่ได้ค้างอยู่ {questions} ข้อ (พิมพ์ คำถามค้าง)",
        f"• ลิงก์มีปัญหาที่พบในสัปดาห์นี้ {broken} ลิงก์ (พิมพ์ ลิงก์มีปัญหา)",
    ]
    return [{"type": "text", "text": "\n".join(lines)}]


def monthly_report(session: Session, province: Province, today: dt.date, link) -> list[dict]:
    """For the provincial committee: the month just ended, with the XLSX behind a link."""
    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    text = (
        f"📑 รายงานประจำเดือน{thai_month(month)} สำหรับที่ประชุมคณะกรรมการจังหวัด\n"
        + "\n".join(summary_text(session, province, None, today).splitlines()[1:4])
        + "\n"
        f"ตารางหน่วยงาน × ข้อ OIT (XLSX) ดาวน์โหลดได้ 7 วัน: {link(province.id, month)}"
    )
    return [{"type": "text", "text": cut(text, TEXT_LIMIT)}]


def build(session: Session, c: Candidate, today: dt.date, now_utc=None, link=None) -> list[dict]:
    """The messages of one notice ([] when there is nothing to say)."""
    province = session.get(Province, c.province_id)
    if c.kind == "phase_summary":
        return phase_summary(session, c, province, today)
    if c.kind == "weekly_digest":
        return weekly_digest(session, province, now_utc)
    if c.kind == "monthly_report":
        return monthly_report(session, province, today, link)
    if c.subject == "milestone:iit_eit":
        return respondents_reminder(session, c, province, today, admins_of, mention_messages)
    return reminder(session, c, province, today)
