"""Operator commands for notices: see what the clock would send, and the message budget."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import click
from flask import Flask, current_app

from bot.cli.options import existing_province
from bot.db import get_db
from models.base import utcnow
from models.notices.budget import (
    DEFAULT_GROUP_SIZE,
    assumed_sizes,
    month_bounds,
    stale_between,
    store_sizes,
)
from models.notices.candidates import BANGKOK
from models.notices.forecast import month_report
from models.notices.preview import preview
from models.oit.report import build_workbook, file_name, parse_month, report_rows, report_signer
from models.year.calendar import thai_month
from scheduler.notify import fetch_sizes

notifications_cli = click.Group("notifications", help="แจ้งเตือนตามปฏิทิน")


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"อ่านวันเวลา {text!r} ไม่ได้ (ใช้ ISO เช่น 2027-01-28T09:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


@notifications_cli.command("preview")
@click.option("--at", "at", required=True, help="ISO datetime (Bangkok if no offset)")
@click.option("--until", "until", help="ISO datetime: every moment from --at to this")
@click.option("--province", help="ชื่อจังหวัด")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.option("--offline", is_flag=True, help="Do not ask LINE for group sizes not known yet.")
def notifications_preview(
    at: str, until: str | None, province: str | None, as_json: bool, offline: bool
):
    """Print, without sending, every notice the clock would queue at that moment or span."""
    config, start = current_app.config, _moment(at)
    end = _moment(until) if until else start
    with get_db().session() as session:
        province_id = existing_province(session, province).id if province else None
        stale = [] if offline else stale_between(session, start, end, config, utcnow())
    sizes = fetch_sizes(stale, config)  # as the clock does: outside any transaction
    with get_db().session() as session:
        store_sizes(session, sizes, utcnow())
        rows = preview(session, start, end, config, report_signer(config), province_id)
        assumed = assumed_sizes(session)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['at']} {row['province']} {row['group_kind']} {row['kind']} "
                   f"{row['delivery']} ~{row['estimated_messages']}\n{row['text']}\n")  # fmt: skip
    _say_assumed([assumed[r["group_id"]] for r in rows if r["size_assumed"]])


def _say_assumed(names: list[str]) -> None:
    if names:
        click.echo(f"ยังไม่ทราบจำนวนสมาชิก ใช้ประมาณ {DEFAULT_GROUP_SIZE} คน: "
                   + ", ".join(dict.fromkeys(names))
                   + " (บอทถามจำนวนจริงจาก LINE เมื่อรัน notifications preview โดยไม่ใส่ --offline"
                   " และก่อนแจ้งเตือนรอบ 09:00)")  # fmt: skip


@click.command("budget")
@click.option("--json", "as_json", is_flag=True)
@click.option("--month", "month_text", help="YYYY-MM: any month's plan (default: this month)")
def budget_command(as_json: bool, month_text: str | None):
    """A month's LINE message use, the plan of notices with their routes, the forecast and
    what is held; LINE's own count beside the bot's."""
    config, now = current_app.config, dt.datetime.now(BANGKOK)
    at = _month_start(month_text) if month_text else now
    if month_bounds(at)[0] == month_bounds(now)[0]:
        at = now
    with get_db().session() as session:
        report = month_report(session, at, now, config["LINE_MONTHLY_MESSAGE_BUDGET"])
        assumed = assumed_sizes(session)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    routes = Counter(p["route"] for p in report["plan"])
    click.echo(f"{report['month']}: ใช้ไป {report['used']} คาดว่าทั้งเดือน {report['forecast']} "
               f"จากโควตา {report['budget']} งดส่ง {len(report['held'])} รายการ · "
               f"แผนที่เหลือ: ส่งเข้ากลุ่ม {routes['group']} ส่งส่วนตัว {routes['one_to_one']} "
               f"รอแนบคำตอบ {routes['held']}")  # fmt: skip
    _say_assumed([assumed[g] for g in report["assumed_sizes"]])


def _month_start(text: str) -> dt.datetime:
    try:
        month = dt.datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise click.BadParameter(f"อ่านเดือน {text!r} ไม่ได้ (ใช้ YYYY-MM เช่น 2027-03)") from None
    return month.replace(tzinfo=BANGKOK)


@click.command("report")
@click.option("--province", required=True, help="ชื่อจังหวัด")
@click.option("--month", required=True, help="ปปปป-ดด: 2569-11 (พ.ศ.) หรือ 2026-11")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), help="ไฟล์ที่จะเขียน (ita-oit-2569-11.xlsx)"
)
def report_command(province: str, month: str, out: str | None):
    """Write the monthly XLSX report (agency × item matrix) the coordinators receive by link."""
    today = dt.datetime.now(BANGKOK).date()
    try:
        month = parse_month(month, today)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--month") from None
    with get_db().session() as session:
        rows = report_rows(session, existing_province(session, province), month, today)
    data = build_workbook(rows)
    path = Path(out or file_name(month))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # reports/2569/ need not exist yet
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"เขียนไฟล์ {path} ไม่ได้: {error.strerror}") from None
    click.echo(f"เขียนรายงาน OIT {thai_month(month)} จังหวัด{rows.province} แล้ว: {path} "
               f"({len(data):,} ไบต์)")  # fmt: skip


def init_app(app: Flask) -> None:
    app.cli.add_command(notifications_cli)
    app.cli.add_command(budget_command)
    app.cli.add_command(report_command)
