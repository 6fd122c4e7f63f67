"""Agencies: import from CSV or XLSX, and finding them by code or name as people type them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.oit.context import resolve_agency
from models.registry import Agency
from models.registry.agency_lookup import clear_winner, find_agencies

CSV = """code,name,type,district,website,itas_code,iit_target
L1,องค์การบริหารส่วนตำบลบางระจัน,อบต.,บางระจัน,bangrachan-sao.go.th,2001,30
L2,เทศบาลตำบลบางระจัน,ทต,บางระจัน,https://bangrachan.go.th/,2002,40
R1,สำนักงานสาธารณสุขจังหวัดสิงห์บุรี,ส่วนราชการส่วนภูมิภาค,เมือง,,1001,
X1,,อบต.,บางระจัน,,,
X2,หน่วยงานแปลก,กระทรวง,เมือง,,,
"""


def test_agency_import_reports_bad_rows_and_updates_on_reimport(runner, db, tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_text(CSV, encoding="utf-8")
    result = runner.invoke(args=["agencies", "import", str(path), "--province", "สิงห์บุรี"])
    assert result.exit_code == 0
    assert "บรรทัด 5" in result.output and "บรรทัด 6" in result.output
    path.write_text(
        CSV.replace("ทต,บางระจัน,https://bangrachan.go.th/", "ทต.,บางระจัน,bangrachan.go.th")
    )
    runner.invoke(args=["agencies", "import", str(path), "--province", "สิงห์บุรี"])
    with db.session() as session:
        agencies = {a.code: a for a in session.scalars(select(Agency))}
    assert set(agencies) == {"L1", "L2", "R1"}
    assert agencies["L1"].kind == "sao" and agencies["L2"].kind == "subdistrict_municipality"
    assert agencies["L1"].website == "https://bangrachan-sao.go.th"
    assert json.loads(agencies["L1"].extra) == {"iit_target": "30", "itas_code": "2001"}


NAMES = [  # (typed, expected code)
    ("อบต.บางระจัน", "L004"),
    ("อบต บางระจัน", "L004"),
    ("อบตบางระจัน", "L004"),
    ("องค์การบริหารส่วนตำบลบางระจัน", "L004"),
    ("ทต.บางระจัน", "L003"),
    ("เทศบาลตำบลบางระจัน", "L003"),
    ("ทต บางระจัน", "L003"),
    ("อบต.บางระจรร", "L004"),
    ("อบจ.สิงห์บุรี", "L001"),
    ("อบจ สิงห์บุรี", "L001"),
    ("ทม.สิงห์บุรี", "L002"),
    ("เทศบาลเมืองสิงห์บุรี", "L002"),
    ("อบต.ไม้ดัด", "L013"),
    ("อบต.ไม้ดด", "L013"),
    ("อบต.เชิงกลัด", "L014"),
    ("อบต แม่ลา", "L015"),
    ("อบต.บ้านจ่า", "L016"),
    ("อบต.พักทัน", "L017"),
    ("อบต.สระแจง", "L018"),
    ("อบต.ต้นโพธิ์", "L019"),
    ("อบต.ต้นโพธ", "L019"),
    ("อบต.บางมัญ", "L020"),
    ("อบต.จักรสีห์", "L021"),
    ("ทต.บางน้ำเชี่ยว", "L022"),
    ("ทต.ท่าช้าง", "L009"),
    ("อบต.ถอนสมอ", "L010"),
    ("ทต.โพทะเล", "L011"),
    ("อบต.โพสังโฆ", "L012"),
    ("อบต.พระงาม", "L008"),
    ("สนง.สาธารณสุขจังหวัดสิงห์บุรี", "R002"),
    ("สำนักงานสาธารณสุขจังหวัด สิงห์บุรี", "R002"),
    ("สนง.คลังจังหวัดสิงห์บุรี", "R008"),
    ("L004", "L004"),
    ("r002", "R002"),
]


@pytest.fixture
def demo(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    return db


@pytest.mark.parametrize(("typed", "code"), NAMES, ids=[n for n, _ in NAMES])
def test_agency_names_as_people_type_them(demo, typed, code):
    with demo.session() as session:
        matches = find_agencies(session, typed)
        assert matches and matches[0].agency.code == code, [
            (m.agency.name, m.score) for m in matches
        ]


def test_ambiguous_name_has_no_clear_winner(demo):
    with demo.session() as session:
        matches = find_agencies(session, "บางระจัน")
        assert clear_winner(matches) is None
        assert {m.agency.code for m in matches[:2]} == {"L003", "L004"}


def test_an_admins_agency_is_named_by_a_leading_code_or_the_whole_hint(demo):
    """A leading word only decides when it is a code: "สาธารณสุข บางระจัน" could be either
    agency of an admin of R002 and L004, so the bot must ask, not take the first word."""
    with demo.session() as session:
        agencies = {a.code: a for a in session.scalars(select(Agency))}
        mine = [agencies["R002"], agencies["L004"]]
        chosen = {
            hint: tuple(a and a.code for a in resolve_agency(session, hint, mine, []))
            for hint in ("สาธารณสุข บางระจัน", "l004 เรียนจังหวัด", "R003 ครับ")
        }
    assert chosen == {
        "สาธารณสุข บางระจัน": (None, None),
        "l004 เรียนจังหวัด": ("L004", None),
        "R003 ครับ": (None, "R003"),
    }
