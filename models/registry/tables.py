"""Provinces, agencies, what each group is for, role grants, and who changed what (audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Province(Base):
    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    confirm_registrations: Mapped[bool] = mapped_column(Boolean, default=True)
    # Days before each deadline when reminders go out, e.g. "7,3,1,0"; None: the default.
    reminder_days: Mapped[str | None] = mapped_column(String(40))
    # Leads when reminders go to the whole group whatever it costs, e.g. "1,0"; None: cheapest.
    roll_call_days: Mapped[str | None] = mapped_column(String(40))
    fiscal_year: Mapped[int | None] = mapped_column(Integer)  # None: the current fiscal year
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Agency(Base):
    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("province_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))  # a key of models.registry.agency_names.KINDS
    district: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(500))
    scheme: Mapped[str] = mapped_column(String(16), default="nacc")
    extra: Mapped[str] = mapped_column(Text, default="{}")  # other import columns, as JSON
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ChatSetup(Base):
    """What a LINE group serves: one province's regional agencies, its อปท., or its coordinators."""

    __tablename__ = "chat_setups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), unique=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    kind: Mapped[str] = mapped_column(String(20))  # regional | local | coordinators
    set_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RoleGrant(Base):
    """A role: coordinator of a province, or admin of an agency (pending until confirmed)."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(20))  # coordinator | agency_admin
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    status: Mapped[str] = mapped_column(String(10), default="active")  # pending|active|revoked
    granted_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """Who changed what: role decisions, group setups, agency imports, deadline moves."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))  # "cli" or a LINE user id
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="{}")
