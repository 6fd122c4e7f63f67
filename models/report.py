"""The monthly report for the provincial committee: an agency × item matrix as an XLSX file."""

from __future__ import annotations

import datetime as dt
import io

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


def workbook(session: Session, province: Province, month: str) -> bytes:
    """The XLSX bytes: one row per agency, one column per item, and the simulated OIT score."""
    as_of = month_end(month)
    framework, codes, rows = matrix(session, province, as_of)
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {month}"
    sheet.append(
        [f"จังหวัด{province.name} ความคืบหน้า OIT ณ สิ้นเดือน{thai_month(month)} (ข้อมูลจากบอท ITA)"]
    )
    header = ["รหัส", "หน่วยงาน", "ประเภท", *codes, "ผ่าน", "รอตรวจ", "แก้ไข", "ยังไม่ส่ง", "OIT จำลอง"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for agency, marks in rows:
        counts = {key: 0 for key in MARKS}
        line = [agency.code, agency.name, KIND_LABELS.get(agency.kind, agency.kind)]
        for code in codes:
            state = marks.get(code, MISSING)
            counts[state] += 1
            line.append(MARKS[state])
        score = progress.oit_score(framework, counts)
        sheet.append(
            [*line, counts[APPROVED], counts[PENDING], counts[FIX], counts[MISSING], score]
        )
        for offset, code in enumerate(codes):
            colour = FILLS[marks.get(code, MISSING)]
            sheet.cell(sheet.max_row, 4 + offset).fill = PatternFill("solid", fgColor=colour)
    sheet.append([])
    sheet.append(["คะแนน OIT จำลองเป็นการประมาณการจากผลตรวจของจังหวัด ไม่ใช่ผลทางการของ ป.ป.ช."])
    sheet.column_dimensions["B"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
