"""The monthly report for the provincial committee: an agency × item matrix as an XLSX file."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import re
from collections.abc import Callable
from functools import partial

from itsdangerous import URLSafeTimedSerializer
from openpyxl import Workbook
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.numbers import to_ascii
from models.oit import progress
from models.oit.progress import end_of_day_utc
from models.oit.report_sheets import MARKS, ReportData, ReportLine, fill_workbook
from models.oit.submissions import MISSING, Submission, ToolScore
from models.registry.agency_names import KIND_LABELS, LOCAL_KINDS
from models.registry.tables import Agency, Province
from models.year.calendar import BE_OFFSET, thai_date, thai_month
from models.year.frameworks import active_framework

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
    """ita-oit-2569-11.xlsx: the file name the CLI and the download use, its month in Buddhist
    Era; ASCII only, so it goes into a Content-Disposition header as it is."""
    return f"ita-oit-{be_month(month)}.xlsx"


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


def scores_as_of(
    session: Session, agencies: list[Agency], framework_id: int, day: dt.date
) -> dict[int, dict[str, float]]:
    """{agency id: {"IIT": …, "EIT": …}} as known at the end of `day`: a score reported by chat
    after it is left out (what stood before is not kept), the import's columns are kept."""
    scores = progress.tool_scores(session, {a.id: a for a in agencies}, framework_id)
    later = session.execute(
        select(ToolScore.agency_id, ToolScore.tool).where(
            ToolScore.framework_id == framework_id,
            ToolScore.agency_id.in_(list(scores)),
            ToolScore.recorded_at >= end_of_day_utc(day),
        )
    )
    for agency_id, tool in later:
        scores[agency_id].pop(tool, None)
    return scores


def report_rows(
    session: Session, province: Province, month: str, today: dt.date | None = None
) -> ReportData:
    """The matrix and the scores as plain values, so the workbook is built after the
    transaction ends."""
    end = month_end(month)
    as_of = today if today is not None and today < end else None
    framework, codes, rows = matrix(session, province, end)
    scores = scores_as_of(session, [agency for agency, _ in rows], framework.id, end)
    lines = []
    for agency, marks in rows:
        states = [marks.get(code, MISSING) for code in codes]
        counts = {key: states.count(key) for key in MARKS}
        kind = KIND_LABELS.get(agency.kind, agency.kind)
        tools = scores[agency.id]
        simulated = progress.simulate(framework, counts, tools)
        line = ReportLine(agency.code, agency.name, kind, states, counts, simulated.oit,
                          tools.get("IIT"), tools.get("EIT"), simulated.total,
                          agency.kind in LOCAL_KINDS)  # fmt: skip
        lines.append(line)
    return ReportData(province.name, month, list(codes), lines, as_of)


def build_workbook(data: ReportData) -> bytes:
    """The XLSX bytes: a summary, then regional agencies and local governments on sheets of
    their own (one row per agency, one column per item, the scores, a province totals row)."""
    book = Workbook()
    fill_workbook(book, data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
