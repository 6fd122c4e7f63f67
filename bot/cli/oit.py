"""Operator commands for OIT links: import a pre-check sheet, re-check links, run the checker."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from bot.cli.options import existing_province, today
from bot.cli.processes import stop_on_signals
from bot.db import get_db
from bot.link_jobs import LinkChecker
from models.base import utcnow
from models.oit import Submission
from models.oit.link_checks import queue_recheck
from models.oit.sheet_import import COLUMNS, import_submissions
from models.registry.agency_import import read_rows
from models.year.frameworks import active_framework

submissions_cli = click.Group("submissions", help="ลิงก์ OIT ที่หน่วยงานส่ง")
links_cli = click.Group("links", help="ตรวจลิงก์ OIT อัตโนมัติ")


@submissions_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--province", required=True, help="ชื่อจังหวัด")
def submissions_import(path: str, province: str):
    """Import a pre-check spreadsheet (CSV/XLSX: code,item,url,status,note)."""
    try:
        rows = read_rows(path, COLUMNS)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    with get_db().session() as session:
        found = existing_province(session, province)
        framework = active_framework(session, found, today())
        report = import_submissions(session, rows, found, framework, utcnow())
    for error in report.errors:
        click.echo(error, err=True)
    click.echo(
        f"บันทึก {report.recorded} รายการ ไม่เปลี่ยน {report.unchanged} ผิดพลาด {len(report.errors)}"
    )


@links_cli.command("recheck")
@click.option("--province", required=True, help="ชื่อจังหวัด")
def links_recheck(province: str):
    """Queue a fresh check of every current link of a province."""
    with get_db().session() as session:
        queued = queue_recheck(session, existing_province(session, province).id, utcnow())
    click.echo(f"ส่งลิงก์เข้าคิวตรวจ {queued} ลิงก์ (ตัวตรวจลิงก์จะตรวจต่อในเบื้องหลัง)")


@links_cli.command("work")
@click.option("--once", is_flag=True, help="Check what is queued, then exit.")
def links_work(once: bool):
    """Run the background link checker (its own process: Procfile `links:`)."""
    checker = LinkChecker(current_app._get_current_object())
    if once:
        done = 0
        while step := checker.check_due():
            done += step
            click.echo(f"ตรวจแล้ว {done} ลิงก์", err=True)
        click.echo(f"checked {done} link(s)", err=True)
        return
    checker.run_forever(stop_on_signals())


def submission_stats(session) -> dict:
    """Top-level stats key: submissions (current ones, by review status)."""
    by_status = dict(
        session.execute(
            select(Submission.review, func.count())
            .where(Submission.state == "current")
            .group_by(Submission.review)
        ).all()
    )
    return {"submissions": {"total": sum(by_status.values()), "by_status": by_status}}


def init_app(app: Flask) -> None:
    app.cli.add_command(submissions_cli)
    app.cli.add_command(links_cli)
    app.extensions.setdefault("stats_collectors", []).append(submission_stats)
