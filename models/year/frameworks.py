"""Frameworks in the database: load validated files (idempotent), pick a province's one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.base import DATA_DIR, utcnow
from models.registry.tables import Province
from models.year import Framework, FrameworkItem, framework_file
from models.year.calendar import round_year

SHIPPED = DATA_DIR / "frameworks"


def shipped_files() -> list[Path]:
    """Every fiscal-year file shipped in data/frameworks (the template is not one)."""
    return sorted(p for p in SHIPPED.glob("*.yaml") if p.stem.isdigit())


def store(session: Session, document: dict) -> tuple[Framework, bool]:
    """Insert or update a validated framework and its items; returns (framework, changed)."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    checksum = hashlib.sha256(text.encode()).hexdigest()
    framework = session.scalar(
        select(Framework).where(
            Framework.scheme == document["scheme"], Framework.fiscal_year == document["fiscal_year"]
        )
    )
    if framework is not None and framework.checksum == checksum:
        return framework, False
    if framework is None:
        framework = Framework(scheme=document["scheme"], fiscal_year=document["fiscal_year"])
        session.add(framework)
    framework.status, framework.title = document["status"], document["title"]
    framework.document, framework.checksum, framework.loaded_at = text, checksum, utcnow()
    session.flush()
    items = {
        i.code: i
        for i in session.scalars(
            select(FrameworkItem).where(FrameworkItem.framework_id == framework.id)
        )
    }
    codes = []
    for position, spec in enumerate(document["items"], start=1):
        codes.append(spec["code"])
        item = items.get(spec["code"]) or FrameworkItem(
            framework_id=framework.id, code=spec["code"]
        )
        item.position, item.title, item.indicator = position, spec["title"], spec["indicator"]
        item.description, item.data_year = spec["description"], spec["data_year"]
        item.confirmed = spec["confirmed"]
        session.add(item)
    session.execute(
        delete(FrameworkItem).where(
            FrameworkItem.framework_id == framework.id, FrameworkItem.code.not_in(codes)
        )
    )
    return framework, True


def load_file(session: Session, path: str | Path) -> tuple[Framework, bool]:
    """Validate then store one file; FrameworkError leaves the database unchanged."""
    return store(session, framework_file.read(path))


def load_shipped(session: Session) -> list[tuple[Framework, bool]]:
    return [load_file(session, path) for path in shipped_files()]


def active_framework(
    session: Session, province: Province | None, today: dt.date, scheme: str = "nacc"
) -> Framework | None:
    """The province's chosen fiscal year, else the current one, else the newest loaded."""
    year = round_year(province, today)
    found = session.scalar(
        select(Framework).where(Framework.scheme == scheme, Framework.fiscal_year == year)
    )
    return found or session.scalar(
        select(Framework).where(Framework.scheme == scheme).order_by(Framework.fiscal_year.desc())
    )
