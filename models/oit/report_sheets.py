"""The monthly workbook's layout: a summary sheet, then regional agencies and local governments
(อปท.) on sheets of their own, each frozen, filterable and ready to print."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from models.oit.submissions import APPROVED, FIX, MISSING, PENDING
from models.year.calendar import thai_date, thai_month

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class ReportLine:
    """One agency's row, in plain values; a score is None when it is not known."""

    code: str
    name: str
    kind: str
    marks: list[str]  # one status per item code
    counts: dict[str, int]
    score: float  # the simulated OIT
    iit: float | None = None
    eit: float | None = None
    total: float | None = None  # the simulated total, only when IIT and EIT are both known
    local: bool = False  # a local government (อปท.), on its own sheet


@dataclass
class ReportData:
    """Everything the workbook shows, read in one short transaction."""

    province: str
    month: str
    codes: list[str]
    lines: list[ReportLine]
    as_of: dt.date | None = None  # the month is not over: the links as they stand that day


NOT_SENT = "ยังไม่ส่ง"  # written in an item's cell, so an empty cell never means "not sent"
MARKS = {APPROVED: "ผ่าน", PENDING: "รอตรวจ", FIX: "แก้ไข", MISSING: NOT_SENT}
FILLS = {APPROVED: "C8E6C9", PENDING: "FFF59D", FIX: "FFCDD2", MISSING: "EEEEEE"}
TOTALS = {"ผ่าน": APPROVED, "รอตรวจ": PENDING, "แก้ไข": FIX, "ยังไม่ส่ง": MISSING}
SCORES = ("OIT จำลอง", "IIT", "EIT", "คะแนนรวมจำลอง")
REGIONAL, LOCAL = "ส่วนภูมิภาค", "อปท."
HEADER_ROW = 2  # row 1 is the heading; both repeat on every printed page
FIRST_ITEM = 4  # columns A–C (code, name, kind) stay in view while scrolling right
TITLE_LIMIT = 31  # Excel refuses longer sheet names
NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\]")
NOTE = "คะแนน OIT จำลองเป็นการประมาณการจากผลตรวจของจังหวัด ไม่ใช่ผลทางการของ ป.ป.ช."
SCORE_NOTE = "IIT/EIT ว่างไว้เมื่อยังไม่มีการรายงานคะแนน; คะแนนรวมจำลองคำนวณเมื่อมีครบทั้ง IIT และ EIT"
BOLD = Font(bold=True)


def safe_title(text: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\ , not quoted, at most 31 characters."""
    cleaned = NOT_IN_TITLES.sub("-", text).strip().strip("'")
    return cleaned[:TITLE_LIMIT].strip() or "รายงาน"


def sheet_title(month: str) -> str:
    """พ.ย. 2569: the month in Buddhist Era, the summary sheet's name."""
    year, number = (int(part) for part in month.split("-"))
    return safe_title(thai_date(dt.date(year, number, 1)).split(" ", 1)[1])


def group_title(label: str, month: str) -> str:
    """อปท. พ.ย. 2569: a group's sheet name."""
    return safe_title(f"{label} {sheet_title(month)}")


def heading(data: ReportData) -> str:
    when = f"วันที่ {thai_date(data.as_of)}" if data.as_of else f"สิ้นเดือน{thai_month(data.month)}"
    return f"จังหวัด{data.province} ความคืบหน้า OIT ณ {when} (ข้อมูลจากบอท ITA)"


def groups(data: ReportData) -> list[tuple[str, list[ReportLine]]]:
    """(label, lines): regional agencies, then local governments."""
    return [
        (REGIONAL, [line for line in data.lines if not line.local]),
        (LOCAL, [line for line in data.lines if line.local]),
    ]


def fill_workbook(book: Workbook, data: ReportData) -> None:
    """The summary on the first (active) sheet, one sheet per group after it."""
    summary = book.active
    summary.title = sheet_title(data.month)
    parts = groups(data)
    write_summary(summary, data, parts)
    for label, lines in parts:
        write_group(book.create_sheet(group_title(label, data.month)), data, label, lines)


def status_totals(lines: list[ReportLine]) -> list[int]:
    return [sum(line.counts[state] for line in lines) for state in TOTALS.values()]


def write_summary(sheet: Worksheet, data: ReportData, parts) -> None:
    """Per group and for the whole province: agencies, items per status, totals known."""
    sheet.append([heading(data)])
    sheet.append(["กลุ่ม", "แผ่นงาน", "หน่วยงาน", *TOTALS, "มีคะแนนรวมจำลอง"])
    for label, lines in parts:
        known = sum(1 for line in lines if line.total is not None)
        sheet.append([label, group_title(label, data.month), len(lines),
                      *status_totals(lines), known])  # fmt: skip
    known = sum(1 for line in data.lines if line.total is not None)
    sheet.append(["รวมทั้งจังหวัด", "", len(data.lines), *status_totals(data.lines), known])
    for cell in (*sheet[HEADER_ROW], *sheet[sheet.max_row]):
        cell.font = BOLD
    sheet.append([])
    sheet.append([NOTE])
    sheet.append([SCORE_NOTE])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 24
    print_setup(sheet)


def write_group(sheet: Worksheet, data: ReportData, label: str, lines: list[ReportLine]) -> None:
    """One row per agency, one column per item, the scores, then the province totals row."""
    sheet.append([heading(data)])
    sheet.append(["รหัส", "หน่วยงาน", "ประเภท", *data.codes, *TOTALS, *SCORES])
    for cell in sheet[HEADER_ROW]:
        cell.font = BOLD
    first_score = FIRST_ITEM + len(data.codes) + len(TOTALS)
    for line in lines:
        totals = [line.counts[state] for state in TOTALS.values()]
        scores = [line.score, line.iit, line.eit, line.total]  # None stays an empty cell
        sheet.append([line.code, line.name, line.kind, *(MARKS[m] for m in line.marks), *totals,
                      *scores])  # fmt: skip
        for offset, state in enumerate(line.marks):
            fill = PatternFill("solid", fgColor=FILLS[state])
            sheet.cell(sheet.max_row, FIRST_ITEM + offset).fill = fill
        for column in range(first_score, first_score + len(SCORES)):
            sheet.cell(sheet.max_row, column).number_format = "0.00"
    last_column = get_column_letter(first_score + len(SCORES) - 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + len(lines)}"
    approved = [
        sum(1 for line in lines if line.marks[i] == APPROVED) for i in range(len(data.codes))
    ]
    sheet.append(["", f"รวมทั้งจังหวัด ({label} {len(lines)} หน่วยงาน)", "จำนวนที่ผ่านรายข้อ",
                  *approved, *status_totals(lines)])  # fmt: skip
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    sheet.freeze_panes = f"{get_column_letter(FIRST_ITEM)}{HEADER_ROW + 1}"
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 22
    print_setup(sheet)


def print_setup(sheet: Worksheet) -> None:
    """Landscape A4, one page wide and as many long as needed, heading rows on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.oddFooter.center.text = "หน้า &P / &N"
