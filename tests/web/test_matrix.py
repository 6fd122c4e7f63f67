"""The matrix: agencies × items coloured by status, filters, a cell opening its submission,
and the same view as CSV (with a BOM, so Excel shows Thai) and XLSX."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.oit.test_oit_chat import COORDINATOR, COORDS, SITE, text_of
from tests.web.test_sign_in import signed_in


def test_cells_show_status_and_open_the_submission(client, bot, say):
    assert "บันทึก" in text_of(say(f"O1 {SITE}/structure\nO2 {SITE}/executives"))
    assert "O1 ผ่าน" in text_of(say("ตรวจ L004 O1 ผ่าน", COORDS, COORDINATOR))
    signed_in(client, bot)
    html = client.get("/web/matrix").get_data(as_text=True)
    assert 'class="cell approved"' in html and 'class="cell pending"' in html
    assert html.count('class="cell missing"') >= 24
    link = html.split('class="cell approved"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    detail = client.get(link).get_data(as_text=True)
    assert f"{SITE}/structure" in detail and "ผ่าน" in detail


def test_filters_keep_the_agencies_asked_for(client, bot, say):
    say(f"O1 {SITE}/structure")
    signed_in(client, bot)
    local = client.get("/web/matrix?kind=local").get_data(as_text=True)
    everyone = client.get("/web/matrix").get_data(as_text=True)
    assert local.count("<tr><th>") < everyone.count("<tr><th>")
    waiting = client.get("/web/matrix?status=pending").get_data(as_text=True)
    assert waiting.count("<tr><th>") == 2 and "L004" in waiting, "the header and one agency"
    assert client.get("/web/matrix?status=nonsense").status_code == 200, "an odd filter is ignored"


def test_exports_carry_the_same_view(client, bot, say):
    say(f"O1 {SITE}/structure")
    signed_in(client, bot)
    csv = client.get("/web/matrix.csv?status=pending")
    assert (
        csv.data.startswith("\ufeff".encode())
        and "attachment" in csv.headers["Content-Disposition"]
    )
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("L004") and "รอตรวจ" in lines[1]
    book = load_workbook(io.BytesIO(client.get("/web/matrix.xlsx").data))
    sheet = book.active
    assert sheet["A1"].value == "รหัส" and sheet.max_row > 2 and sheet.freeze_panes == "C2"
    html = client.get("/web/matrix").get_data(as_text=True)
    assert "openExternalBrowser=1" in html


def test_admins_have_no_matrix_and_see_a_thai_refusal(client, bot):
    signed_in(client, bot, "Uadmin01")
    refused = client.get("/web/matrix")
    assert refused.status_code == 403 and "ผู้ประสานงาน" in refused.get_data(as_text=True)
    assert client.get("/web/matrix.csv").status_code == 403
    assert client.get("/web/submission/1").status_code == 404


def test_the_honour_list_downloads_with_its_heading(client, bot, say):
    signed_in(client, bot)
    csv = client.get("/web/honour.csv")
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    assert csv.data.decode("utf-8-sig").splitlines()[0] == "รหัส,หน่วยงาน,อำเภอ"
    book = load_workbook(io.BytesIO(client.get("/web/honour.xlsx").data))
    assert book.active["B1"].value == "หน่วยงาน"
    assert "/web/honour.xlsx" in client.get("/web/matrix").get_data(as_text=True)


def test_the_monthly_committee_workbook_is_one_click_away(client, bot):
    signed_in(client, bot)
    html = client.get("/web/matrix").get_data(as_text=True)
    link = html.split("/reports/", 1)[1].split('"', 1)[0]
    assert link.endswith("?openExternalBrowser=1")
    answer = client.get("/reports/" + link)
    assert answer.status_code == 200 and answer.data[:2] == b"PK", "an XLSX file"


def test_another_provinces_submission_is_out_of_reach(client, bot, db):
    from models.oit import Submission
    from models.registry import Agency, Province
    from models.year import Framework

    with db.session() as session:
        other = Province(name="ลพบุรี", fiscal_year=2570)
        session.add(other)
        session.flush()
        agency = Agency(province_id=other.id, code="X001", name="อบต.อื่น", kind="sao", extra="{}")
        session.add(agency)
        session.flush()
        framework = session.query(Framework).filter_by(fiscal_year=2570).one()
        row = Submission(agency_id=agency.id, framework_id=framework.id, item_code="O1",
                         urls='["https://x.go.th/o1"]', submitted_by="Ux")  # fmt: skip
        session.add(row)
        session.flush()
        number = row.id
    signed_in(client, bot)
    assert client.get(f"/web/submission/{number}").status_code == 404
    page = client.get("/web/review")
    assert "x.go.th" not in page.get_data(as_text=True)
    from tests.web.test_sign_in import csrf_of

    posted = client.post(
        f"/web/review/{number}", data={"csrf": csrf_of(page.data), "outcome": "approved"}
    )
    assert posted.status_code == 404
    with db.session() as session:
        assert session.get(Submission, number).review == "pending"
