"""Fiscal years, Thai dates, and each province's ITA calendar (milestones and pre-check phases)."""

from __future__ import annotations

import datetime as dt
import re

from pythainlp.util import thai_digit_to_arabic_digit, thai_strftime, thai_strptime
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.registry.roles import audit
from models.registry.tables import Province
from models.year import Milestone, Phase

BE_OFFSET = 543


def fiscal_year_of(day: dt.date) -> int:
    """The Thai fiscal year (B.E.) a day falls in: it starts on 1 October."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def round_year(province, today: dt.date) -> int:
    """The fiscal year of the round a province is running: the year it chose, else today's."""
    return (province.fiscal_year if province is not None else None) or fiscal_year_of(today)


def thai_date(day: dt.date, with_weekday: bool = False) -> str:
    """15 มี.ค. 2570 (Buddhist Era), the way officers write dates."""
    fmt = "%A %-d %b %Y" if with_weekday else "%-d %b %Y"
    return thai_strftime(dt.datetime(day.year, day.month, day.day), fmt)


def thai_month(month: str) -> str:
    """2027-01 (how reports and links name a month) as มกราคม 2570."""
    year, number = (int(part) for part in month.split("-"))
    return thai_strftime(dt.datetime(year, number, 1), "%B %Y")


def parse_thai_date(text: str) -> dt.date | None:
    """15 มี.ค. 2570, 15 มีนาคม 70, 15/3/2570, ๑๕/๓/๒๕๗๐ or 2027-03-15; None when unreadable."""
    text = thai_digit_to_arabic_digit(text.strip())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        return day.replace(year=day.year - BE_OFFSET) if day.year > 2400 else day
    spaced = re.sub(r"\s*/\s*|\s+", " ", text)
    parts = spaced.split(" ")
    if len(parts) != 3:
        return None
    year = parts[2]
    era = "ad" if year.isdigit() and len(year) == 4 and int(year) < 2400 else "be"
    if year.isdigit() and len(year) == 2:
        parts[2] = str(2500 + int(year))
    try:
        return thai_strptime(" ".join(parts), "%d %B %Y", year=era).date()
    except (ValueError, IndexError, KeyError):
        return None


def default_calendar(fiscal_year: int) -> dict:
    """The usual pattern (reference §4), as editable defaults: NACC milestones and three phases."""
    year = fiscal_year - BE_OFFSET  # January–June of this C.E. year

    def d(month: int, day: int) -> str:
        return dt.date(year, month, day).isoformat()

    milestones = [
        ("registration", "ลงทะเบียนและนำเข้าข้อมูลใน ITAS", d(1, 1), d(2, 28)),
        ("oit_entry", "เปิดให้ตอบ OIT ในระบบ ITAS", d(3, 1), d(4, 30)),
        ("iit_eit", "เปิดให้ตอบแบบวัด IIT และ EIT", d(3, 1), d(5, 31)),
        ("oit_scoring", "ที่ปรึกษาตรวจให้คะแนน OIT", d(5, 1), d(5, 31)),
        ("clarification", "ช่วงชี้แจงผล OIT", d(6, 1), d(6, 15)),
        ("results", "ประกาศผลการประเมิน", d(8, 1), d(8, 31)),
    ]
    phases = [
        (1, "ระยะที่ 1 (มกราคม)", d(1, 1), d(1, 31)),
        (2, "ระยะที่ 2 (กุมภาพันธ์–มีนาคม)", d(2, 1), d(3, 31)),
        (3, "ระยะที่ 3 (เมษายน)", d(4, 1), d(4, 25)),
    ]
    return {
        "fiscal_year": fiscal_year,
        "milestones": [
            dict(zip(("key", "title", "start", "end"), m, strict=True)) for m in milestones
        ],
        "phases": [
            dict(zip(("number", "title", "start", "deadline"), p, strict=True)) for p in phases
        ],
    }


def phases_of(session: Session, province_id: int, fiscal_year: int) -> list[Phase]:
    """A province's pre-check phases of a fiscal year, in order."""
    return list(
        session.scalars(
            select(Phase)
            .where(Phase.province_id == province_id, Phase.fiscal_year == fiscal_year)
            .order_by(Phase.number)
        )
    )


def milestones_of(session: Session, province_id: int, fiscal_year: int) -> list[Milestone]:
    """A province's NACC milestones of a fiscal year, the earliest first."""
    return list(
        session.scalars(
            select(Milestone)
            .where(Milestone.province_id == province_id, Milestone.fiscal_year == fiscal_year)
            .order_by(Milestone.start)
        )
    )


def phases_ahead(phases: list[Phase], today: dt.date) -> list[Phase]:
    """Phases whose deadline has not passed (the deadline day itself still counts)."""
    return [p for p in phases if p.deadline >= today]


def milestones_ahead(milestones: list[Milestone], today: dt.date) -> list[Milestone]:
    """Milestones not over yet: their last day (or only day) is today or later."""
    return [m for m in milestones if (m.end or m.start) and (m.end or m.start) >= today]


def phase_numbered(
    session: Session, province_id: int, fiscal_year: int, number: int
) -> Phase | None:
    """Phase `number` of a province's fiscal year, if the calendar has it."""
    return session.scalar(
        select(Phase).where(
            Phase.province_id == province_id,
            Phase.fiscal_year == fiscal_year,
            Phase.number == number,
        )
    )


def may_move_to(phase: Phase, when: dt.date, today: dt.date) -> bool:
    """A deadline moves neither into the past nor before the phase starts."""
    return not (when < today or (phase.start and when < phase.start))


def move_phase_deadline(
    session: Session, province: Province, phase: Phase, when: dt.date, actor: str
) -> dt.date:
    """Give a phase a new deadline, audited; returns the old one."""
    old, phase.deadline = phase.deadline, when
    audit(
        session,
        actor,
        "phase.move",
        province=province.name,
        year=phase.fiscal_year,
        phase=phase.number,
        old=old.isoformat(),
        new=when.isoformat(),
    )
    return old


def show(session: Session, province: Province, fiscal_year: int) -> dict:
    """The calendar as the JSON object `calendar show` prints and `calendar load` accepts."""
    milestones = milestones_of(session, province.id, fiscal_year)
    phases = phases_of(session, province.id, fiscal_year)
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    return {
        "province": province.name,
        "fiscal_year": fiscal_year,
        "milestones": [
            {"key": m.key, "title": m.title, "start": iso(m.start), "end": iso(m.end)}
            for m in milestones
        ],
        "phases": [
            {
                "number": p.number,
                "title": p.title,
                "start": iso(p.start),
                "deadline": iso(p.deadline),
            }
            for p in phases
        ],
    }


class CalendarError(ValueError):
    """A calendar object that cannot be loaded; the message says which entry and field."""


def _date(value, where: str, required: bool) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CalendarError(f"{where}: ต้องเป็นวันที่ YYYY-MM-DD (ได้ {value!r})") from None


def parse(document: dict) -> tuple[int, list[Milestone], list[Phase]]:
    """Check a calendar object and build its rows (not yet attached to a province)."""
    if not isinstance(document, dict):
        raise CalendarError("ต้องเป็นชุดข้อมูล JSON/YAML แบบเดียวกับที่ calendar show พิมพ์")
    year = document.get("fiscal_year")
    if not isinstance(year, int) or not 2560 <= year <= 2700:
        raise CalendarError("fiscal_year: ต้องเป็นปี พ.ศ. เช่น 2570")
    milestones, phases, keys, numbers = [], [], set(), set()
    for i, m in enumerate(document.get("milestones") or []):
        where = f"milestones[{i}]"
        if not isinstance(m, dict) or not m.get("key") or not m.get("title"):
            raise CalendarError(f"{where}: ต้องมี key และ title")
        if m["key"] in keys:
            raise CalendarError(f"{where}.key: {m['key']} ซ้ำ")
        keys.add(m["key"])
        start, end = (
            _date(m.get("start"), f"{where}.start", False),
            _date(m.get("end"), f"{where}.end", False),
        )
        if start and end and end < start:
            raise CalendarError(f"{where}.end: ต้องไม่ก่อน start")
        milestones.append(
            Milestone(
                fiscal_year=year, key=str(m["key"]), title=str(m["title"]), start=start, end=end
            )
        )
    for i, p in enumerate(document.get("phases") or []):
        where = f"phases[{i}]"
        if not isinstance(p, dict) or not isinstance(p.get("number"), int) or not p.get("title"):
            raise CalendarError(f"{where}: ต้องมี number (จำนวนเต็ม) และ title")
        if p["number"] in numbers:
            raise CalendarError(f"{where}.number: ระยะ {p['number']} ซ้ำ")
        numbers.add(p["number"])
        start = _date(p.get("start"), f"{where}.start", False)
        deadline = _date(p.get("deadline"), f"{where}.deadline", True)
        if start and deadline < start:
            raise CalendarError(f"{where}.deadline: ต้องไม่ก่อน start")
        phases.append(
            Phase(
                fiscal_year=year,
                number=p["number"],
                title=str(p["title"]),
                start=start,
                deadline=deadline,
            )
        )
    return year, milestones, phases


def replace(session: Session, province: Province, document: dict) -> int:
    """Replace the province's calendar for the document's fiscal year; returns that year."""
    year, milestones, phases = parse(document)
    for model in (Milestone, Phase):
        session.execute(
            delete(model).where(model.province_id == province.id, model.fiscal_year == year)
        )
    for row in (*milestones, *phases):
        row.province_id = province.id
        session.add(row)
    return year
