"""The coordinators' สรุป: a province's (or one group's) OIT progress in a few Thai lines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.oit import progress
from models.oit.context import current_phase
from models.oit.records import natural_key
from models.oit.submissions import APPROVED, MISSING
from models.registry.agency_names import LOCAL_KINDS
from models.registry.tables import Agency, Province
from models.year.calendar import phases_of, round_year, thai_date
from models.year.frameworks import active_framework

GROUP_KINDS = {"regional": {"regional"}, "local": set(LOCAL_KINDS)}


def group_agencies(session: Session, province: Province, group_kind: str | None) -> dict:
    """{id: agency} for the active agencies a group serves (all of the province's otherwise)."""
    query = select(Agency).where(Agency.province_id == province.id, Agency.active.is_(True))
    if group_kind in GROUP_KINDS:
        query = query.where(Agency.kind.in_(GROUP_KINDS[group_kind]))
    return {a.id: a for a in session.scalars(query.order_by(Agency.code))}


def summary_text(
    session: Session, province: Province, group_kind: str | None, today: dt.date
) -> str:
    """Complete / in progress / not started, share approved, projection, honour list, laggards."""
    agencies = group_agencies(session, province, group_kind)
    framework = active_framework(session, province, today)
    if not agencies or framework is None:
        return f"จังหวัด{province.name} ยังไม่มีหน่วยงานหรือกรอบการประเมินในระบบ"
    total = len(progress.item_codes(session, framework.id))
    ids = list(agencies)
    counts = progress.counts_by_agency(session, ids, framework.id, total)
    complete = [a for a in ids if counts[a][MISSING] == 0]
    started = [a for a in ids if 0 < counts[a][MISSING] < total]
    approved = sum(c[APPROVED] for c in counts.values())
    phase = current_phase(session, province, today)
    title = f"สรุป OIT จังหวัด{province.name}"
    if phase:
        title += f" ระยะที่ {phase.number} (ส่งภายใน {thai_date(phase.deadline)})"
    lines = [
        title,
        f"ส่งครบ {len(complete)} · กำลังส่ง {len(started)} · ยังไม่เริ่ม "
        f"{len(ids) - len(complete) - len(started)} (จาก {len(ids)} หน่วยงาน)",
        f"ข้อที่ตรวจผ่านแล้ว {100 * approved / (total * len(ids)):.1f}% ของทั้งหมด",
    ]
    tools = progress.tool_scores(session, agencies, framework.id)
    passing, known = progress.projected_to_pass(framework, counts, tools)
    target = progress.document_of(framework)["national_target"]["share_of_agencies_percent"]
    if known:
        lines.append(
            f"คาดว่าได้ 85 ขึ้นไป {passing} จาก {known} หน่วยงานที่มีคะแนน IIT/EIT "
            f"({100 * passing / known:.0f}% เทียบเป้าหมาย {target}%) — เป็นการประมาณการ"
        )
    else:
        lines.append("ยังไม่มีคะแนน IIT/EIT จึงยังประมาณการผลรวมไม่ได้ (คะแนน <หน่วยงาน> IIT .. EIT ..)")
    per_phase = on_time_by_phase(session, province, ids, framework.id, total, today)
    for phase, on_time in per_phase:
        lines.append(f"ระยะที่ {phase.number}: ส่งครบภายในกำหนด {len(on_time)} จาก {len(ids)} หน่วยงาน")
    if per_phase:
        honour = set(ids).intersection(*(on_time for _, on_time in per_phase))
        lines.append(honour_line([agencies[a].code for a in honour]))
    behind = sorted((a for a in ids if counts[a][MISSING]), key=lambda a: -counts[a][MISSING])
    if behind:
        lines.append("ยังขาดมากที่สุด:")
        lines += [
            f"• {agencies[a].code} {agencies[a].name}: ยังไม่ส่ง {counts[a][MISSING]} ข้อ"
            for a in behind[:5]
        ]
    return "\n".join(lines)


def honour_line(codes: list[str]) -> str:
    """The agencies complete at every passed deadline, or a sentence saying there is none yet."""
    if not codes:
        return "ยังไม่มีหน่วยงานที่ส่งครบตรงเวลาทุกระยะที่ผ่านมา"
    shown = sorted(codes, key=natural_key)
    more = f" และอีก {len(shown) - 30} หน่วยงาน" if len(shown) > 30 else ""
    return f"ส่งครบตรงเวลาทุกระยะที่ผ่านมา {len(shown)} หน่วยงาน: {', '.join(shown[:30])}{more}"


def on_time_by_phase(
    session: Session, province: Province, ids: list[int], framework_id: int, total: int, today
) -> list[tuple]:
    """(phase, agencies complete at its deadline) for every phase whose deadline has passed."""
    year = round_year(province, today)
    passed = [p for p in phases_of(session, province.id, year) if p.deadline < today]
    return [
        (p, progress.complete_by(session, ids, framework_id, total, p.deadline)) for p in passed
    ]
