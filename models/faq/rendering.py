"""An entry's answer as officers read it: this round's facts and dates filled in at answer time,
uncertainty said plainly."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from models.faq.files import PLACEHOLDER
from models.faq.framework_facts import FRAMEWORK_PLACEHOLDERS, framework_values, provisional
from models.oit.context import current_phase
from models.registry.tables import Province
from models.year.calendar import milestones_of, phases_of, round_year, thai_date

CHECK_MANUAL = "โปรดตรวจสอบคู่มือของปีปัจจุบัน"
NOT_IN_CALENDAR = "(ยังไม่ได้กำหนดในปฏิทินจังหวัด)"
NOT_KNOWN = "(ไม่มีข้อมูลในกรอบการประเมิน)"


def calendar_values(session: Session, province: Province | None, today: dt.date) -> dict[str, str]:
    """Placeholder values ({phase1_deadline}, {oit_entry_end}, …) in Buddhist-Era Thai dates."""
    if province is None:
        return {}
    year = round_year(province, today)
    values = {}
    for m in milestones_of(session, province.id, year):
        for edge in ("start", "end"):
            if getattr(m, edge):
                values[f"{m.key}_{edge}"] = thai_date(getattr(m, edge))
    for p in phases_of(session, province.id, year):
        values[f"phase{p.number}_deadline"] = thai_date(p.deadline)
    phase = current_phase(session, province, today)
    if phase:
        values["current_phase_deadline"] = f"{thai_date(phase.deadline)} (ระยะที่ {phase.number})"
    return values


def fill(answer: str, values: dict[str, str]) -> str:
    def value(match) -> str:
        name = match.group(1)
        return values.get(name, NOT_KNOWN if name in FRAMEWORK_PLACEHOLDERS else NOT_IN_CALENDAR)

    return PLACEHOLDER.sub(value, answer)


def uses_framework(answer: str) -> bool:
    return any(name in FRAMEWORK_PLACEHOLDERS for name in PLACEHOLDER.findall(answer))


def render(
    session: Session,
    entry: dict,
    province: Province | None,
    today: dt.date,
    document: dict | None,
) -> str:
    """The answer text. A fact taken from a provisional framework keeps the manual caveat, as
    does an entry its writers could not confirm."""
    answer = entry["answer"]
    if not PLACEHOLDER.search(answer):
        values = {}
    else:
        values = framework_values(document) if document else {}
        if entry.get("dates"):
            values |= calendar_values(session, province, today)
    unsure = not entry.get("confirmed", True) or (uses_framework(answer) and provisional(document))
    answer = fill(answer, values)
    return f"{answer}\n({CHECK_MANUAL})" if unsure else answer
