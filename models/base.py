"""Declarative base with a naming convention Alembic can diff reliably."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


DATA_DIR = Path(__file__).resolve().parent.parent / "data"  # items, dates, FAQ: yearly data
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BANGKOK = ZoneInfo("Asia/Bangkok")  # the time every deadline and notice is read in


def month_bounds(at: datetime) -> tuple[datetime, datetime]:
    """Start of the Bangkok month of `at` (aware) and of the next one, in Bangkok time."""
    start = at.astimezone(BANGKOK).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=32)).replace(day=1)


def local_today(now_utc: datetime) -> date:
    """The date in Bangkok for a naive-UTC timestamp."""
    return now_utc.replace(tzinfo=UTC).astimezone(BANGKOK).date()


def utcnow() -> datetime:
    """Naive UTC now: every timestamp in the database is naive UTC, on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3, the driver this project ships."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
