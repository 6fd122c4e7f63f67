"""Which notices are due when, for whom: candidates derived from each province's calendar."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import BANGKOK
from models.numbers import parse_int
from models.registry.group_setup import groups_of
from models.registry.tables import Province
from models.year import Milestone
from models.year.calendar import phases_of, round_year
from models.year.working_days import next_working_day, previous_working_day

log = logging.getLogger(__name__)
SEND_AT = dt.time(9, 0)
DEFAULT_LEADS = (7, 3, 1, 0)
# Lower is more important: the budget planner keeps these first.
PRIORITY = {"phase_summary": 0, "weekly_digest": 0, "monthly_report": 0, 1: 1, 0: 2, 3: 3, 7: 4}
COORDINATOR_KINDS = ("phase_summary", "weekly_digest", "monthly_report")
RECHECK_LEAD = 4  # days before a phase deadline when every current link is fetched again
# NACC deadlines reminded with the list of who must act (OIT items, or IIT/EIT respondents)
MILESTONES = {"oit_entry": "กรอก OIT ในระบบ ITAS", "iit_eit": "ตอบแบบวัด IIT/EIT"}
AGENCY_GROUPS = ("regional", "local")


@dataclass(frozen=True)
class Candidate:
    """One notice to one group at one moment (Bangkok time)."""

    at: dt.datetime
    province_id: int
    group_id: str  # LINE group id
    group_kind: str
    kind: str  # reminder | milestone | phase_summary
    subject: str  # "phase:2" or "milestone:oit_entry"
    deadline: dt.date
    lead: int  # days before the deadline (-1 for the summary after it)

    @property
    def key(self) -> str:
        """(kind, group, date): the same notice can never be queued twice."""
        return f"{self.kind}:{self.subject}:{self.lead}:{self.group_id}:{self.at.date()}"

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.kind if self.kind in COORDINATOR_KINDS else self.lead, 9)

    @property
    def costs(self) -> bool:
        """False for work the clock does without sending (the link re-check)."""
        return self.kind != "recheck"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, SEND_AT, tzinfo=BANGKOK)


def countdown(c: Candidate, today: dt.date) -> str:
    """ "วันนี้" or "อีก 3 วัน": how far the notice's deadline is."""
    days = (c.deadline - today).days
    return "วันนี้" if days <= 0 else f"อีก {days} วัน"


def task_of(c: Candidate) -> str:
    """What a reminder asks for: the province's pre-check phase or the NACC milestone."""
    kind, what = c.subject.split(":")
    return f"ส่งลิงก์ OIT ให้จังหวัดตรวจ ระยะที่ {what}" if kind == "phase" else MILESTONES[what]


def parse_leads(text: str) -> tuple[int, ...]:
    """Days before a deadline from "7,3,1,0" or "7 3 1": largest first, none over 30; () when
    any part is not a day count (ASCII or Thai digits)."""
    days = {parse_int(word, 0, 30) for word in text.replace(",", " ").split()}
    if None in days:  # one word that is not a day count: the whole list is not understood
        return ()
    return tuple(sorted(days, reverse=True))


def leads_of(province: Province) -> tuple[int, ...]:
    return parse_leads(province.reminder_days) if province.reminder_days else DEFAULT_LEADS


def candidates(session: Session, province: Province, fiscal_year: int) -> list[Candidate]:
    """Every notice the calendar calls for in a fiscal year, moved off non-working days."""
    groups = groups_of(session, province.id)
    deadlines = [
        ("reminder", f"phase:{p.number}", p.deadline)
        for p in phases_of(session, province.id, fiscal_year)
    ]
    deadlines += [
        ("milestone", f"milestone:{m.key}", m.end)
        for m in session.scalars(
            select(Milestone).where(
                Milestone.province_id == province.id,
                Milestone.fiscal_year == fiscal_year,
                Milestone.key.in_(list(MILESTONES)),
            )
        )
        if m.end
    ]
    found: dict[str, Candidate] = {}
    for kind, subject, deadline in deadlines:
        for lead in leads_of(province):
            day = previous_working_day(deadline - dt.timedelta(days=lead))
            for group_kind in AGENCY_GROUPS:
                for group_id in groups.get(group_kind, []):
                    c = Candidate(_at(day), province.id, group_id, group_kind, kind, subject,
                                  deadline, lead)  # fmt: skip
                    same_day = f"{subject}:{group_id}:{day}"  # 3 and 1 days may meet on a Friday
                    if same_day not in found or c.priority < found[same_day].priority:
                        found[same_day] = c
        if kind == "reminder":
            day = next_working_day(deadline + dt.timedelta(days=1))
            for group_id in groups.get("coordinators", []):
                c = Candidate(_at(day), province.id, group_id, "coordinators", "phase_summary",
                              subject, deadline, -1)  # fmt: skip
                found[c.key] = c
    for c in routine(province, groups, deadlines):
        found[c.key] = c
    return sorted(found.values(), key=lambda c: (c.at, c.priority, c.group_id))


def candidates_between(
    session: Session, start: dt.datetime, end: dt.datetime, failed: set[int] | None = None
) -> list[Candidate]:
    """Every province's candidates with start <= moment < end (aware datetimes). A province
    whose calendar cannot be read is left out (its id added to `failed`), not the others."""
    found = []
    for province in session.scalars(select(Province)).all():
        try:
            with session.begin_nested():
                years = {round_year(province, start.date()), round_year(province, end.date())}
                mine = [c for y in years for c in candidates(session, province, y)]
        except Exception as error:  # noqa: BLE001 - one province must not stop the others
            log.error("candidates of province %s failed: %s", province.id, type(error).__name__)
            if failed is not None:
                failed.add(province.id)
            continue
        found += [c for c in mine if start <= c.at < end]
    return found


def routine(province: Province, groups: dict, deadlines: list[tuple]) -> list[Candidate]:
    """Weekly digests, monthly reports (next working day if the day is off) and link re-checks,
    from the first to the last deadline of the round."""
    if not deadlines:
        return []
    first = min(d for _, _, d in deadlines) - dt.timedelta(days=35)
    last = max(d for _, _, d in deadlines)
    found = []
    for group_id in groups.get("coordinators", []):
        reports, month = set(), first.replace(day=1)
        while month <= last + dt.timedelta(days=1):  # the first working day of each month
            at = _at(next_working_day(month))
            if at.date() >= first:
                reports.add(at)
                found.append(Candidate(at, province.id, group_id, "coordinators",
                                       "monthly_report", "month", last, -1))  # fmt: skip
            month = (month + dt.timedelta(days=32)).replace(day=1)
        day = first - dt.timedelta(days=first.weekday())
        while day <= last:  # the first working day of each week, unless a report goes then
            at, day = _at(next_working_day(day)), day + dt.timedelta(days=7)
            if first <= at.date() <= last and at not in reports:
                found.append(Candidate(at, province.id, group_id, "coordinators",
                                       "weekly_digest", "week", last, -1))  # fmt: skip
    for kind, subject, deadline in deadlines:
        if kind == "reminder":
            at = _at(previous_working_day(deadline - dt.timedelta(days=RECHECK_LEAD)))
            found.append(Candidate(at.replace(hour=6), province.id, "", "none", "recheck",
                                   subject, deadline, RECHECK_LEAD))  # fmt: skip
    return found
