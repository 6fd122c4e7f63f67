"""The coordinators' สรุป: a province's (or one group's) OIT progress in a few Thai lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.base import local_today
from models.oit import progress
from models.oit.context import current_phase
from models.oit.records import natural_key
from models.oit.submissions import APPROVED, MISSING, Submission
from models.registry.agency_names import LOCAL_KINDS
from models.registry.tables import Agency, Province
from models.year import Phase
from models.year.calendar import phases_of, round_year, thai_date
from models.year.frameworks import active_framework

GROUP_KINDS = {"regional": {"regional"}, "local": set(LOCAL_KINDS)}


def group_agencies(session: Session, province: Province, group_kind: str | None) -> dict:
    """{id: agency} for the active agencies a group serves (all of the province's otherwise)."""
    query = select(Agency).where(Agency.province_id == province.id, Agency.active.is_(True))
    if group_kind in GROUP_KINDS:
        query = query.where(Agency.kind.in_(GROUP_KINDS[group_kind]))
    return {a.id: a for a in session.scalars(query.order_by(Agency.code))}


@dataclass
class Overview:
    """Where a province (or one group of it) stands, for สรุป and the web overview."""

    province: Province
    agencies: dict[int, Agency]
    total: int  # items in the round's framework
    counts: dict[int, dict[str, int]]
    phase: Phase | None  # the current one
    passing: int  # projected to reach 85, of `known` agencies with IIT/EIT scores
    known: int
    target: float  # the national target share of agencies, percent
    per_phase: list[tuple[Phase, list[int]]]  # passed phases and who was complete on time

    @property
    def complete(self) -> list[int]:
        return [a for a in self.agencies if self.counts[a][MISSING] == 0]

    @property
    def started(self) -> list[int]:
        return [a for a in self.agencies if 0 < self.counts[a][MISSING] < self.total]

    @property
    def approved_share(self) -> float:
        approved = sum(c[APPROVED] for c in self.counts.values())
        return 100 * approved / (self.total * len(self.agencies))

    @property
    def honour(self) -> set[int]:
        return set(self.agencies).intersection(*(on_time for _, on_time in self.per_phase))

    def behind(self, limit: int | None = None) -> list[Agency]:
        ids = sorted(
            (a for a in self.agencies if self.counts[a][MISSING]),
            key=lambda a: -self.counts[a][MISSING],
        )
        return [self.agencies[a] for a in ids[:limit]]


def overview(
    session: Session, province: Province, group_kind: str | None, today: dt.date
) -> Overview | None:
    """None when the province has no agencies (of that group) or no framework yet."""
    agencies = group_agencies(session, province, group_kind)
    framework = active_framework(session, province, today)
    if not agencies or framework is None:
        return None
    total = len(progress.item_codes(session, framework.id))
    ids = list(agencies)
    counts = progress.counts_by_agency(session, ids, framework.id, total)
    tools = progress.tool_scores(session, agencies, framework.id)
    passing, known = progress.projected_to_pass(framework, counts, tools)
    target = progress.document_of(framework)["national_target"]["share_of_agencies_percent"]
    per_phase = on_time_by_phase(session, province, ids, framework.id, total, today)
    phase = current_phase(session, province, today)
    return Overview(province, agencies, total, counts, phase, passing, known, target, per_phase)


def summary_text(
    session: Session, province: Province, group_kind: str | None, today: dt.date
) -> str:
    """Complete / in progress / not started, share approved, projection, honour list, laggards."""
    seen = overview(session, province, group_kind, today)
    if seen is None:
        return f"จังหวัด{province.name} ยังไม่มีหน่วยงานหรือกรอบการประเมินในระบบ"
    count = len(seen.agencies)
    title = f"สรุป OIT จังหวัด{province.name}"
    if seen.phase:
        title += f" ระยะที่ {seen.phase.number} (ส่งภายใน {thai_date(seen.phase.deadline)})"
    lines = [
        title,
        f"ส่งครบ {len(seen.complete)} · กำลังส่ง {len(seen.started)} · ยังไม่เริ่ม "
        f"{count - len(seen.complete) - len(seen.started)} (จาก {count} หน่วยงาน)",
        f"ข้อที่ตรวจผ่านแล้ว {seen.approved_share:.1f}% ของทั้งหมด",
    ]
    if seen.known:
        lines.append(
            f"คาดว่าได้ 85 ขึ้นไป {seen.passing} จาก {seen.known} หน่วยงานที่มีคะแนน IIT/EIT "
            f"({100 * seen.passing / seen.known:.0f}% เทียบเป้าหมาย {seen.target}%) — เป็นการประมาณการ"
        )
    else:
        lines.append("ยังไม่มีคะแนน IIT/EIT จึงยังประมาณการผลรวมไม่ได้ (คะแนน <หน่วยงาน> IIT .. EIT ..)")
    for phase, on_time in seen.per_phase:
        lines.append(f"ระยะที่ {phase.number}: ส่งครบภายในกำหนด {len(on_time)} จาก {count} หน่วยงาน")
    if seen.per_phase:
        lines.append(honour_line([seen.agencies[a].code for a in seen.honour]))
    behind = seen.behind(5)
    if behind:
        lines.append("ยังขาดมากที่สุด:")
        lines += [f"• {a.code} {a.name}: ยังไม่ส่ง {seen.counts[a.id][MISSING]} ข้อ" for a in behind]
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


def weekly_trend(
    session: Session, province: Province, today: dt.date, weeks: int = 12
) -> list[tuple[dt.date, int, int]]:
    """(Monday, items sent that week, items approved that week) for the last `weeks` weeks of
    the province's round, oldest first: the overview's trend chart."""
    framework = active_framework(session, province, today)
    monday = today - dt.timedelta(days=today.weekday())
    starts = [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    if framework is None:
        return [(s, 0, 0) for s in starts]
    ids = select(Agency.id).where(Agency.province_id == province.id)
    first = progress.end_of_day_utc(starts[0] - dt.timedelta(days=1))
    rows = session.execute(
        select(Submission.created_at, Submission.reviewed_at, Submission.review).where(
            Submission.framework_id == framework.id,
            Submission.agency_id.in_(ids),
            or_(Submission.created_at >= first, Submission.reviewed_at >= first),
        )
    ).all()
    sent, approved = [0] * weeks, [0] * weeks

    def week_of(at: dt.datetime | None) -> int | None:
        if at is None:
            return None
        day = local_today(at)
        index = (day - starts[0]).days // 7
        return index if 0 <= index < weeks else None

    for created, reviewed, review in rows:
        if (n := week_of(created)) is not None:
            sent[n] += 1
        if review == APPROVED and (n := week_of(reviewed)) is not None:
            approved[n] += 1
    return list(zip(starts, sent, approved, strict=True))
