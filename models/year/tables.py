"""A fiscal year's frameworks and items, and each province's milestones and pre-check phases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Framework(Base):
    """One scheme's assessment framework for one fiscal year, as loaded from its YAML file."""

    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("scheme", "fiscal_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16), default="nacc")
    fiscal_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    document: Mapped[str] = mapped_column(Text)  # the validated file, as JSON
    checksum: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FrameworkItem(Base):
    """An OIT item (O1, O2, …) of a framework, the unit agencies submit links for."""

    __tablename__ = "framework_items"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    indicator: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    data_year: Mapped[str] = mapped_column(String(10))  # assessed | previous
    confirmed: Mapped[bool] = mapped_column(Boolean)


class Milestone(Base):
    """A NACC milestone of a fiscal year (registration, OIT entry, IIT/EIT, results, …)."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("province_id", "fiscal_year", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)


class Phase(Base):
    """One of the province's OIT pre-check phases, with its deadline."""

    __tablename__ = "phases"
    __table_args__ = (UniqueConstraint("province_id", "fiscal_year", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    start: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
