"""Import agencies from CSV or XLSX: update what exists, never delete, report bad rows."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.registry.agency_names import parse_kind
from models.registry.tables import Agency, AuditEntry, Province

REQUIRED = ("code", "name", "type", "district", "website")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def read_rows(path: str | Path, required: tuple[str, ...] = REQUIRED) -> list[dict[str, str]]:
    """Rows as dicts of stripped strings, from .csv (UTF-8, with or without BOM) or .xlsx."""
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = path.read_text(encoding="utf-8-sig")
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    if not rows:
        return []
    header = [h.strip().casefold() for h in rows[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ValueError(f"ไฟล์ขาดคอลัมน์: {', '.join(missing)} (ต้องมี {','.join(required)})")
    return [
        dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in rows[1:]
    ]


def normalise_website(value: str) -> str | None:
    """example.go.th -> https://example.go.th; empty stays empty."""
    value = value.strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    return value.rstrip("/")


def province_named(session: Session, name: str, create: bool = False) -> Province | None:
    name = name.strip().removeprefix("จังหวัด").strip()
    province = session.scalar(select(Province).where(Province.name == name))
    if province is None and create:
        province = Province(name=name)
        session.add(province)
        session.flush()
    return province


def import_agencies(
    session: Session, rows: list[dict[str, str]], province: Province, actor: str = "cli"
) -> ImportReport:
    """Create or update each good row; a bad row is reported with its line number and skipped."""
    report = ImportReport()
    existing = {
        a.code: a for a in session.scalars(select(Agency).where(Agency.province_id == province.id))
    }
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        if not any(row.values()):
            continue
        code, name, kind = row.get("code", ""), row.get("name", ""), parse_kind(row.get("type", ""))
        problems = [
            text
            for ok, text in (
                (code, "ไม่มีรหัส (code)"),
                (name, "ไม่มีชื่อ (name)"),
                (kind, f"ไม่รู้จักประเภท {row.get('type')!r}"),
            )
            if not ok
        ]
        if problems:
            report.errors.append(f"บรรทัด {line}: " + "; ".join(problems))
            continue
        extra = {k: v for k, v in row.items() if k not in REQUIRED and k and v}
        values = {
            "name": name,
            "kind": kind,
            "district": row.get("district") or None,
            "website": normalise_website(row.get("website", "")),
            "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True),
            "active": True,
        }
        agency = existing.get(code)
        if agency is None:
            agency = Agency(province_id=province.id, code=code, **values)
            session.add(agency)
            existing[code] = agency
            report.created += 1
            continue
        changed = {k: [getattr(agency, k), v] for k, v in values.items() if getattr(agency, k) != v}
        if not changed:
            report.unchanged += 1
            continue
        for key, (_, new) in changed.items():
            setattr(agency, key, new)
        agency.updated_at = utcnow()
        session.add(
            AuditEntry(
                actor=actor,
                action="agency.update",
                detail=json.dumps({"code": code, "changed": changed}, ensure_ascii=False),
            )
        )
        report.updated += 1
    return report
