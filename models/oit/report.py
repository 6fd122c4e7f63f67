"""The monthly report for the provincial committee: an agency × item matrix as an XLSX file."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from itsdangerous import URLSafeTimedSerializer
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.numbers import to_ascii
from models.oit import progress
from models.oit.progress import end_of_day_utc
from models.oit.submissions import APPROVED, FIX, MISSING, PENDING, Submission
from models.registry.agency_names import KIND_LABELS
from models.registry.tables import Agency, Province
from models.year.calendar import BE_OFFSET, thai_date, thai_month
from models.year.frameworks import active_framework

MARKS = {APPROVED: "ผ่าน", PENDING: "รอตรวจ", FIX: "แก้ไข", MISSING: ""}
FILLS = {APPROVED: "C8E6C9", PENDING: "FFF59D", FIX: "FFCDD2", MISSING: "EEEEEE"}
TOTALS = {"ผ่าน": APPROVED, "รอตรวจ": PENDING, "แก้ไข": FIX, "ยังไม่ส่ง": MISSING}
MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
MONTH_USAGE = "ใช้ ปปปป-ดด (YYYY-MM) เช่น 2569-11 (พ.ศ.) หรือ 2026-11"
LINK_SALT = "monthly-report"  # links already sent in chats verify only with this salt


def parse_month(text: str, today: dt.date) -> str:
    """A month typed in Buddhist Era (2569-11) or Western (2026-11), as the 2026-11 the data
    and links are keyed by; ValueError with a Thai reason for a wrong or future month."""
    found = MONTH.fullmatch(to_ascii(text.strip()))
    year, number = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    if year >= 2400:
        year -= BE_OFFSET
    if not (2000 <= year <= 2099 and 1 <= number <= 12):
        raise ValueError(f"อ่านเดือน “{text}” ไม่ได้ {MONTH_USAGE}")
    if (year, number) > (today.year, today.month):
        raise ValueError(
            f"เดือนนี้ยังไม่ถึง: {thai_month(f'{year}-{number:02d}')} (วันนี้ {thai_date(today)})"
        )
    return f"{year}-{number:02d}"


def link_secret(secret_key: str | None, channel_secret: str) -> str:
    """SECRET_KEY, else a key derived from the channel secret, so links work without one."""
    if secret_key:
        return secret_key
    return hmac.new(channel_secret.encode(), b"ita-bot-reports", hashlib.sha256).hexdigest()


def sign_report_link(secret: str, base_url: str, province_id: int, month: str) -> str:
    """The download address of a province's monthly report, signed so it cannot be guessed."""
    token = URLSafeTimedSerializer(secret, salt=LINK_SALT).dumps({"p": province_id, "m": month})
    return f"{base_url.rstrip('/')}/reports/{token}"


def report_signer(config) -> Callable[[int, str], str]:
    """Sign report links from the app's settings: the clock that sends them and the web process
    that opens them must agree on the secret."""
    return partial(sign_report_link, config_secret(config), config["PUBLIC_BASE_URL"])


def config_secret(config) -> str:
    """The report links' secret from the app's settings."""
    return link_secret(config.get("SECRET_KEY"), config["LINE_CHANNEL_SECRET"])


def read_report_token(secret: str, token: str, max_age: int) -> tuple[int, str]:
    """(province id, month) of a signed link; itsdangerous' SignatureExpired or BadSignature
    when it is too old or not ours."""
    data = URLSafeTimedSerializer(secret, salt=LINK_SALT).loads(token, max_age=max_age)
    return data["p"], data["m"]


def be_month(month: str) -> str:
    """2026-11 as 2569-11, the year users see."""
    year, number = month.split("-")
    return f"{int(year) + BE_OFFSET}-{number}"


def file_name(month: str) -> str:
    """ita-oit-2569-11.xlsx: the file name the CLI and the download use."""
    return f"ita-oit-{be_month(month)}.xlsx"


def sheet_title(month: str) -> str:
    """พ.ย. 2569, the sheet's name."""
    year, number = (int(part) for part in month.split("-"))
    return thai_date(dt.date(year, number, 1)).split(" ", 1)[1]


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
    as_of: dt.date | None = None  # the month is not over: the links as they stand that day


def report_rows(
    session: Session, province: Province, month: str, today: dt.date | None = None
) -> ReportData:
    """The matrix as plain values, so the workbook is built after the transaction ends."""
    end = month_end(month)
    as_of = today if today is not None and today < end else None
    framework, codes, rows = matrix(session, province, end)
    lines = []
    for agency, marks in rows:
        states = [marks.get(code, MISSING) for code in codes]
        counts = {key: states.count(key) for key in MARKS}
        kind = KIND_LABELS.get(agency.kind, agency.kind)
        score = progress.oit_score(framework, counts)
        lines.append(ReportLine(agency.code, agency.name, kind, states, counts, score))
    return ReportData(province.name, month, list(codes), lines, as_of)


def build_workbook(data: ReportData) -> bytes:
    """The XLSX bytes: one row per agency, one column per item, and the simulated OIT score."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(data.month)
    when = f"วันที่ {thai_date(data.as_of)}" if data.as_of else f"สิ้นเดือน{thai_month(data.month)}"
    sheet.append([f"จังหวัด{data.province} ความคืบหน้า OIT ณ {when} (ข้อมูลจากบอท ITA)"])
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
