"""Operator commands for the fiscal year: frameworks and a province's calendar."""

from __future__ import annotations

import json
from pathlib import Path

import click
import yaml
from flask import Flask
from sqlalchemy import select

from bot.cli.options import existing_province, today
from bot.db import get_db
from models.registry import Province
from models.year import Framework
from models.year.calendar import CalendarError, round_year
from models.year.calendar import replace as replace_calendar
from models.year.calendar import show as show_calendar
from models.year.framework_file import FrameworkError
from models.year.frameworks import active_framework, load_file, load_shipped

framework_cli = click.Group("framework", help="Fiscal-year frameworks (data/frameworks/*.yaml).")


@framework_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def framework_load(path: str):
    """Validate a framework file and load it; a bad file changes nothing."""
    try:
        with get_db().session() as session:
            framework, changed = load_file(session, path)
            label = f"{framework.scheme} {framework.fiscal_year} ({framework.status})"
    except FrameworkError as error:
        raise click.ClickException(f"{path}: {error}") from None
    click.echo(f"{'โหลดแล้ว' if changed else 'ไม่มีการเปลี่ยนแปลง'}: {label}", err=True)


@framework_cli.command("list")
def framework_list():
    """Frameworks in the database, and which one each province uses."""
    with get_db().session() as session:
        for fw in session.scalars(
            select(Framework).order_by(Framework.scheme, Framework.fiscal_year)
        ):
            click.echo(f"{fw.scheme} {fw.fiscal_year} {fw.status:13} {fw.title}")
        for province in session.scalars(select(Province).order_by(Province.name)):
            fw = active_framework(session, province, today())
            chosen = fw.fiscal_year if fw else "—"
            click.echo(f"จังหวัด{province.name}: ใช้กรอบปี {chosen}")


calendar_cli = click.Group("calendar", help="A province's ITA calendar for a fiscal year.")


@calendar_cli.command("show")
@click.option("--province", required=True)
@click.option("--year", type=int, default=None, help="ปีงบประมาณ พ.ศ. (ค่าเริ่มต้น: ปีปัจจุบัน)")
@click.option("--json", "as_json", is_flag=True)
def calendar_show(province: str, year: int | None, as_json: bool):
    """Print the calendar as the JSON object `calendar load` accepts."""
    with get_db().session() as session:
        found = existing_province(session, province)
        document = show_calendar(session, found, year or round_year(found, today()))
    click.echo(json.dumps(document, ensure_ascii=False, indent=None if as_json else 2))


@calendar_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--province", required=True)
def calendar_load(path: str, province: str):
    """Replace the province's calendar for the file's fiscal year (JSON or YAML)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        with get_db().session() as session:
            year = replace_calendar(session, existing_province(session, province), document)
    except (CalendarError, yaml.YAMLError) as error:
        raise click.ClickException(f"{path}: {error}") from None
    click.echo(f"โหลดกำหนดการปี {year} ของจังหวัด{province}แล้ว", err=True)


def load_frameworks() -> None:
    """`init-db` loads the shipped frameworks (data/frameworks/*.yaml)."""
    with get_db().session() as session:
        load_shipped(session)


def init_app(app: Flask) -> None:
    app.cli.add_command(framework_cli)
    app.cli.add_command(calendar_cli)
    app.extensions.setdefault("data_loaders", []).append(load_frameworks)
