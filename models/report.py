"""The monthly report for the provincial committee: an agency × item matrix as an XLSX file."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import oit_progress as progress
from models.agency_names import KIND_LABELS
from models.calendar import thai_month
from models.domain import Agency, Province
from models.frameworks import active_framework
from models.oit_progress import end_of_day_utc
from models.submissions import APPROVED, FIX, MISSING, PENDING, Submission

MARKS = {APPROVED: "ผ่าน", PENDING: "รอตรวจ", FIX: "แก้ไข", MISSING: ""}
FILLS = {APPROVED: "C8E6C9", PENDING: "FFF59D", FIX: "FFCDD2", MISSING: "EEEEEE"}
TOTALS = {"ผ่าน": APPROVED, "รอตรวจ": PENDING, "แก้ไข": FIX, "ยังไม่ส่ง": MISSING}


def month_end(month: str) -> dt.date:
    """The last day of a month given as YYYY-MM."""
    year, number = (int(part) for part in month.split("-"))
    first_next = dt.date(year + number // 12, number % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def matrix(session: Session, province: Province, as_of: dt.date):
    """(item codes, rows of (agency, {code: status})) as the links stood at the end of as_of."""
    framework = active_framework(session, province, as_of)
    codes = progress.item_codes(session, framework.id)
    cutoff = end_of_day_utc(as_of)
    agencies = session.scalars(
        select(Agency)
        .where(Agency.province_id == province.id, Agency.active.is_(True))
        .order_by(Agency.kind != "regional", Agency.code)
    ).all()
    status: dict[int, dict[str, str]] = {a.id: {} for a in agencies}
    rows = session.execute(
        select(Submission.agency_id, Submission.item_code, Submission.review).where(
            Submission.agency_id.in_(list(status)),
            Submission.framework_id == framework.id,
            Submission.created_at < cutoff,
            or_(Submission.ended_at.is_(None), Submission.ended_at >= cutoff),
        )
    )
    for agency_id, code, review in rows:
        status[agency_id][code] = review
    return framework, codes, [(a, status[a.id]) for a in agencies]


@dataclass
class ReportLine:
    """One agency's row, in plain values."""

    code: str
    name: str
    kind: str
    marks: list[str]  # one status per item code
    counts: dict[str, int]
    score: float


@dataclass
class ReportData:
    """Everything the workbook shows, read in one short transaction."""

    province: str
    month: str
    codes: list[str]
    lines: list[ReportLine]


def report_rows(session: Session, province: Province, month: str) -> ReportData:
    """The matrix as plain values, so the workbook is built after the transaction ends."""
    framework, codes, rows = matrix(session, province, month_end(month))
    lines = []
    for agency, marks in rows:
        states = [marks.get(code, MISSING) for code in codes]
        counts = {key: states.count(key) for key in MARKS}
        kind = KIND_LABELS.get(agency.kind, agency.kind)
        score = progress.oit_score(framework, counts)
        lines.append(ReportLine(agency.code, agency.name, kind, states, counts, score))
    return ReportData(province.name, month, list(codes), lines)


def build_workbook(data: ReportData) -> bytes:
    """The XLSX bytes: one row per agency, one column per item, and the simulated OIT score."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {data.month}"
    sheet.append(
        [f"จังหวัด{data.province} ความคืบหน้า OIT ณ สิ้นเดือน{thai_month(data.month)} (ข้อมูลจากบอท ITA)"]
    )
    header = ["รหัส", "หน่วยงาน", "ประเภท", *data.codes, *TOTALS, "OIT จำลอง"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in data.lines:
        totals = [line.counts[state] for state in TOTALS.values()]
        sheet.append([line.code, line.name, line.kind, *(MARKS[m] for m in line.marks), *totals,
                      line.score])  # fmt: skip
        for offset, state in enumerate(line.marks):
            colour = FILLS[state]
            sheet.cell(sheet.max_row, 4 + offset).fill = PatternFill("solid", fgColor=colour)
    sheet.append([])
    sheet.append(["คะแนน OIT จำลองเป็นการประมาณการจากผลตรวจของจังหวัด ไม่ใช่ผลทางการของ ป.ป.ช."])
    sheet.column_dimensions["B"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
