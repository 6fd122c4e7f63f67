"""A province's existing pre-check spreadsheet (agency code, item, URL, status, note), mid-round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.oit import records as oit_records
from models.oit.parser import find_items, find_links
from models.oit.submissions import APPROVED, FIX, PENDING
from models.oit.url_rules import url_problem
from models.registry.tables import Agency, Province
from models.year import Framework

COLUMNS = ("code", "item", "url")
STATUSES = {
    "": PENDING, "รอตรวจ": PENDING, "pending": PENDING, "ส่งแล้ว": PENDING,
    "ผ่าน": APPROVED, "approved": APPROVED, "ok": APPROVED, "✓": APPROVED,
    "แก้ไข": FIX, "ต้องแก้ไข": FIX, "ไม่ผ่าน": FIX, "fix": FIX,
}  # fmt: skip


@dataclass
class ImportReport:
    recorded: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def import_submissions(
    session: Session, rows: list[dict], province: Province, framework: Framework, now: dt.datetime
) -> ImportReport:
    """Record each good row as the agency's current submission; bad rows are reported by line."""
    report = ImportReport()
    agencies = {
        a.code.casefold(): a
        for a in session.scalars(select(Agency).where(Agency.province_id == province.id))
    }
    codes = {item.code for item in oit_records.items_of(session, framework.id)}
    for line, row in enumerate(rows, start=2):
        agency = agencies.get(row.get("code", "").casefold())
        items = find_items(row.get("item", "")) or find_items("O" + row.get("item", ""))
        urls = find_links(row.get("url", ""))
        status = STATUSES.get(row.get("status", "").strip().casefold())
        problem = (
            (agency is None and f"ไม่พบหน่วยงานรหัส {row.get('code', '')!r} ในจังหวัดนี้")
            or (len(items) != 1 and f"อ่านข้อ {row.get('item', '')!r} ไม่ได้")
            or (items[0] not in codes and f"ไม่มีข้อ {items[0]} ในกรอบปี {framework.fiscal_year}")
            or (not urls and "ไม่มีลิงก์")
            or next((p for p in map(url_problem, urls) if p), None)
            or (status is None and f"สถานะ {row.get('status')!r} ไม่รู้จัก (ใช้ ผ่าน/แก้ไข/รอตรวจ)")
        )
        if problem:
            report.errors.append(f"บรรทัด {line}: {problem}")
            continue
        note = row.get("note", "").strip() or None
        existing = oit_records.current(session, agency.id, framework.id).get(items[0])
        if existing and oit_records.urls_of(existing) == urls and existing.review == status:
            report.unchanged += 1
            continue
        oit_records.record(
            session, agency, framework, items[0], urls, by="import", now=now, source="import",
            review=status, review_note=note if status == FIX else None,
        )  # fmt: skip
        report.recorded += 1
    return report
