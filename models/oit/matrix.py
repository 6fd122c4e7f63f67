"""The agencies × items matrix of a province: each cell's status (not sent, sent, a link the
checker found a problem with, approved, to fix), filtered by group kind, district and status;
for the web page and its CSV and XLSX exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.oit import records
from models.oit.link_verdict import PROBLEMS
from models.oit.submissions import CURRENT, MISSING, PENDING, STATUS_TEXT, Submission
from models.oit.summary import group_agencies
from models.registry.tables import Province
from models.year.frameworks import active_framework

CHECKER = "checker"  # sent, and the link checker found a problem with one of its links
LABELS = {**STATUS_TEXT, CHECKER: "ลิงก์มีปัญหา"}


@dataclass
class Matrix:
    codes: list[str]  # the round's item codes, in order
    rows: list[tuple]  # (agency, {code: status}, {code: submission id})
    districts: list[str]  # every district of the province's agencies, for the filter


def matrix(
    session: Session,
    province: Province,
    today: dt.date,
    kind: str | None = None,
    district: str | None = None,
    status: str | None = None,
) -> Matrix | None:
    """None without a framework; `status` keeps the agencies with at least one such cell."""
    framework = active_framework(session, province, today)
    if framework is None:
        return None
    agencies = group_agencies(session, province, kind)
    districts = sorted({a.district for a in agencies.values() if a.district})
    if district:
        agencies = {i: a for i, a in agencies.items() if a.district == district}
    codes = [item.code for item in records.items_of(session, framework.id)]
    live = session.execute(
        select(Submission.agency_id, Submission.item_code, Submission.review, Submission.id).where(
            Submission.agency_id.in_(list(agencies)),
            Submission.framework_id == framework.id,
            Submission.state == CURRENT,
        )
    ).all()
    problems = {
        (p.agency_code, p.item_code)
        for p in records.link_problems(session, [province.id])
        if p.verdict in PROBLEMS
    }
    cells: dict[int, dict[str, str]] = {a: dict.fromkeys(codes, MISSING) for a in agencies}
    ids: dict[int, dict[str, int]] = {a: {} for a in agencies}
    for agency_id, code, review, submission_id in live:
        if code in cells[agency_id]:
            flagged = review == PENDING and (agencies[agency_id].code, code) in problems
            cells[agency_id][code] = CHECKER if flagged else review
            ids[agency_id][code] = submission_id
    rows = [
        (agencies[a], cells[a], ids[a])
        for a in agencies
        if status is None or status in cells[a].values()
    ]
    return Matrix(codes, rows, districts)
