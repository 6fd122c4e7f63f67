"""The monthly XLSX is read in a short transaction and built outside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from models.registry import Province


def seed(runner) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC), tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0


def cells(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_report_rows_are_plain_values_and_the_workbook_needs_no_session(runner, db):
    from models.oit.report import build_workbook, report_rows

    seed(runner)
    with db.session() as session:
        province = session.scalar(select(Province))
        data = report_rows(session, province, "2027-01")
    json.dumps(dataclasses.asdict(data), ensure_ascii=False)  # no ORM objects inside
    sheet = cells(build_workbook(data))
    assert sheet[1][3] == "O1" and len(sheet) >= 42 and "มกราคม" in sheet[0][0]


def test_link_and_cli_build_the_workbook_with_no_connection_held(
    app, runner, db, client, tmp_path, monkeypatch
):
    from openpyxl import Workbook

    from bot import reports
    from models.oit import report

    seed(runner)
    held = []

    def watching():
        held.append(db.engine.pool.checkedout())
        return Workbook()

    monkeypatch.setattr(report, "Workbook", watching)
    out = tmp_path / "r.xlsx"
    args = ["report", "--province", "สิงห์บุรี", "--month", "2027-01", "--out", str(out)]
    with time_machine.travel(dt.datetime(2027, 2, 10, 3, tzinfo=dt.UTC), tick=False):
        assert runner.invoke(args=args).exit_code == 0  # a month not yet come is refused
        answer = client.get(reports.report_url(app, 1, "2027-01").split("127.0.0.1:8000")[1])
    assert answer.status_code == 200 and cells(answer.data) == cells(out.read_bytes())
    assert held == [0, 0]
