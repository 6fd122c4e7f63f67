"""What several nouns' commands share: the province a `--province` names, and today in Bangkok."""

from __future__ import annotations

import datetime as dt

import click
from sqlalchemy.orm import Session

from models.base import local_today, utcnow
from models.registry import Province
from models.registry.agency_import import province_named


def today() -> dt.date:
    return local_today(utcnow())


def existing_province(session: Session, name: str) -> Province:
    """The province named, or a message telling the operator to import its agencies first."""
    province = province_named(session, name)
    if province is None:
        raise click.ClickException(f"ไม่พบจังหวัด {name} (นำเข้าหน่วยงานด้วย agencies import ก่อน)")
    return province
