"""The monthly XLSX is read in a short transaction and built outside it; issue #15: frozen and
filterable headings, print set-up, regional and local sheets with province totals, IIT/EIT and
the simulated total, "not sent" written out, Buddhist-Era month names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from models.registry import Province

JANUARY = "2027-01"
SHEETS = ["ม.ค. 2570", "ส่วนภูมิภาค ม.ค. 2570", "อปท. ม.ค. 2570"]
FIRST_ITEM = 3  # column D, the first item


def seed(runner) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC), tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0


def cells(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def book_of(db, month: str = JANUARY, today: dt.date | None = None):
    from models.oit.report import build_workbook, report_rows

    with db.session() as session:
        data = report_rows(session, session.scalar(select(Province)), month, today)
    return data, load_workbook(io.BytesIO(build_workbook(data)))


def values(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def framework_and_agencies(session):
    from models.registry.tables import Agency
    from models.year.frameworks import active_framework

    province = session.scalar(select(Province))
    framework = active_framework(session, province, dt.date(2027, 1, 31))
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    return framework, agencies


def add_links(db, links: dict[str, dict[str, str]], at=dt.datetime(2027, 1, 10, 3)) -> None:
    """{agency code: {item code: review}} as links in place on `at` (naive UTC)."""
    from models.oit.submissions import Submission

    with db.session() as session:
        framework, agencies = framework_and_agencies(session)
        for code, items in links.items():
            for item, review in items.items():
                session.add(
                    Submission(agency_id=agencies[code].id, framework_id=framework.id,
                               item_code=item, urls='["https://example.go.th/a"]', review=review,
                               submitted_by="cli", created_at=at, event_at=at)
                )  # fmt: skip


def add_scores(db, scores: dict[tuple[str, str], float], at=dt.datetime(2027, 1, 20, 3)) -> None:
    """{(agency code, IIT|EIT): score} as reported by chat on `at` (naive UTC)."""
    from models.oit.submissions import ToolScore

    with db.session() as session:
        framework, agencies = framework_and_agencies(session)
        for (code, tool), score in scores.items():
            session.add(
                ToolScore(agency_id=agencies[code].id, framework_id=framework.id, tool=tool,
                          score=score, recorded_by="test", recorded_at=at)
            )  # fmt: skip


def rows_by_code(sheet) -> dict[str, list]:
    return {row[0]: row for row in values(sheet)[2:] if row[0]}


def header(sheet) -> list:
    return values(sheet)[1]


def test_report_rows_are_plain_values_and_the_workbook_needs_no_session(runner, db):
    seed(runner)
    data, book = book_of(db)
    json.dumps(dataclasses.asdict(data), ensure_ascii=False)  # no ORM objects inside
    regional, local = book[SHEETS[1]], book[SHEETS[2]]
    assert header(regional)[3] == "O1" and header(local)[3] == "O1"
    assert len(rows_by_code(regional)) + len(rows_by_code(local)) == len(data.lines) == 40
    assert all("มกราคม 2570" in book[name]["A1"].value for name in SHEETS)


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


def test_regional_agencies_and_local_governments_are_on_sheets_of_their_own(runner, db):
    seed(runner)
    _, book = book_of(db)
    assert book.sheetnames == SHEETS and book.active.title == SHEETS[0]
    regional, local = rows_by_code(book[SHEETS[1]]), rows_by_code(book[SHEETS[2]])
    assert len(regional) == 18 and all(code.startswith("R") for code in regional)
    assert len(local) == 22 and all(code.startswith("L") for code in local)
    kinds = {row[2] for row in local.values()}
    assert "ส่วนราชการส่วนภูมิภาค" not in kinds and "องค์การบริหารส่วนตำบล" in kinds


def test_each_sheet_ends_with_the_province_totals_row(runner, db):
    seed(runner)
    links = {
        "R001": {"O1": "approved", "O2": "pending"},
        "R002": {"O1": "approved"},
        "R003": {"O2": "fix"},
        "L001": {"O1": "approved", "O3": "approved"},
    }
    add_links(db, links)
    _, book = book_of(db)
    for name, agencies, approved_o1 in ((SHEETS[1], 18, 2), (SHEETS[2], 22, 1)):
        sheet = book[name]
        head, last = header(sheet), values(sheet)[-1]
        assert "รวมทั้งจังหวัด" in last[1] and f"{agencies} หน่วยงาน" in last[1]
        by_column = dict(zip(head, last, strict=True))
        assert by_column["O1"] == approved_o1  # per item: how many approved
        statuses = [by_column[s] for s in ("ผ่าน", "รอตรวจ", "แก้ไข", "ยังไม่ส่ง")]
        assert sum(statuses) == agencies * (head.index("ผ่าน") - FIRST_ITEM)
    regional = dict(zip(header(book[SHEETS[1]]), values(book[SHEETS[1]])[-1], strict=True))
    assert [regional[s] for s in ("ผ่าน", "รอตรวจ", "แก้ไข")] == [2, 1, 1]
    local = dict(zip(header(book[SHEETS[2]]), values(book[SHEETS[2]])[-1], strict=True))
    assert (local["O2"], local["O3"], local["ผ่าน"]) == (0, 1, 2)
    summary = values(book[SHEETS[0]])
    province = next(row for row in summary if row[0] == "รวมทั้งจังหวัด")
    assert province[2] == 40 and province[3] == 4  # agencies, items approved


def test_items_not_yet_sent_say_so_instead_of_an_empty_cell(runner, db):
    seed(runner)
    add_links(db, {"R001": {"O1": "approved"}})
    _, book = book_of(db)
    sheet = book[SHEETS[1]]
    head = header(sheet)
    items = slice(FIRST_ITEM, head.index("ผ่าน"))
    r001, r002 = rows_by_code(sheet)["R001"], rows_by_code(sheet)["R002"]
    assert r001[items][0] == "ผ่าน" and set(r001[items][1:]) == {"ยังไม่ส่ง"}
    assert set(r002[items]) == {"ยังไม่ส่ง"} and None not in r002[items]


def test_iit_eit_and_the_simulated_total_are_shown_only_when_known(runner, db):
    from models.oit import progress

    seed(runner)
    add_links(db, {"R001": {"O1": "approved"}})
    add_scores(db, {("R001", "IIT"): 88.5, ("R001", "EIT"): 91.25, ("R002", "IIT"): 70.0})
    add_scores(db, {("R003", "IIT"): 80.0, ("R003", "EIT"): 82.0}, at=dt.datetime(2027, 2, 5))
    data, book = book_of(db)
    sheet = book[SHEETS[1]]
    head = header(sheet)
    assert head[-4:] == ["OIT จำลอง", "IIT", "EIT", "คะแนนรวมจำลอง"]
    rows = rows_by_code(sheet)
    line = next(line for line in data.lines if line.code == "R001")
    with db.session() as session:
        framework, _ = framework_and_agencies(session)
        expected = progress.simulate(framework, line.counts, {"IIT": 88.5, "EIT": 91.25})
    assert expected.total is not None
    assert rows["R001"][-4:] == [expected.oit, 88.5, 91.25, expected.total]
    assert rows["R002"][-3:] == [70.0, None, None]  # no EIT: no total either
    assert rows["R004"][-3:] == [None, None, None]  # nothing recorded: blank, not 0
    assert rows["R003"][-3:] == [None, None, None]  # reported after January ended
    _, february = book_of(db, "2027-02", dt.date(2027, 2, 10))
    assert rows_by_code(february["ส่วนภูมิภาค ก.พ. 2570"])["R003"][-3:-1] == [80.0, 82.0]
    totals = dict(zip(head, values(sheet)[-1], strict=True))
    assert totals["IIT"] is None and totals["คะแนนรวมจำลอง"] is None  # no made-up averages


def test_headings_stay_in_view_and_the_header_row_filters(runner, db):
    seed(runner)
    _, book = book_of(db)
    for name, agencies in ((SHEETS[1], 18), (SHEETS[2], 22)):
        sheet = book[name]
        assert sheet.freeze_panes == "D3"  # title and header rows, code/name/kind columns
        assert sheet["A2"].value == "รหัส"
        last_column = sheet.cell(2, len(header(sheet))).column_letter
        # the header row and the agencies, not the totals row below them
        assert sheet.auto_filter.ref == f"A2:{last_column}{2 + agencies}"


def test_every_sheet_prints_landscape_one_page_wide_with_the_headings_repeated(runner, db):
    seed(runner)
    _, book = book_of(db)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage  # else Excel ignores fitToWidth
        assert sheet.print_title_rows == "$1:$2"


@pytest.mark.parametrize("month", [f"2026-{m:02d}" for m in range(10, 13)]
                         + [f"2027-{m:02d}" for m in range(1, 10)])  # fmt: skip
def test_sheet_titles_and_the_file_name_are_in_buddhist_era(month):
    from models.oit.report import file_name
    from models.oit.report_sheets import LOCAL, REGIONAL, group_title, sheet_title

    year = int(month[:4]) + 543
    titles = [sheet_title(month), group_title(REGIONAL, month), group_title(LOCAL, month)]
    for title in titles:
        assert title.endswith(f" {year}") and len(title) <= 31
        assert not set(title) & set("[]:*?/\\")
    assert titles[0].split(" ")[0] in {"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                                       "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."}  # fmt: skip
    assert file_name(month) == f"ita-oit-{year}-{month[5:]}.xlsx" and file_name(month).isascii()


def test_a_sheet_title_excel_would_refuse_is_made_safe():
    from models.oit.report_sheets import safe_title

    assert safe_title("อปท. [ทต.]/อบต.: ม.ค.? 2570*\\") == "อปท. -ทต.--อบต.- ม.ค.- 2570--"
    assert len(safe_title("องค์การบริหารส่วนตำบล " * 3)) == 31
