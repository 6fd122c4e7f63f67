"""Review permissions, the review card's buttons, the simulated score, import and stats."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.dev.eventfactory import postback_event
from models.oit import Submission
from models.oit.progress import simulate
from models.year import Framework
from models.year.framework_file import read
from models.year.frameworks import SHIPPED
from tests.oit.test_oit_chat import COORDINATOR, COORDS, LOCAL, SITE, current, say, text_of  # noqa: F401 (fixture)


def _submit(say):
    say(f"O1 {SITE}/a\nO2 {SITE}/b\nO3 {SITE}/c")


def test_only_coordinators_of_the_agencys_province_review(say, runner, tmp_path):
    _submit(say)
    sheet = tmp_path / "chainat.csv"
    sheet.write_text(
        "code,name,type,district,website\nC001,สำนักงานจังหวัดชัยนาท,ส่วนราชการส่วนภูมิภาค,เมือง,\n"
    )
    assert (
        runner.invoke(args=["agencies", "import", str(sheet), "--province", "ชัยนาท"]).exit_code == 0
    )
    assert (
        runner.invoke(
            args=["roles", "grant", "Uchainat", "coordinator", "--province", "ชัยนาท"]
        ).exit_code
        == 0
    )
    assert "ไม่พบหน่วยงาน" in text_of(say("ตรวจ L004 O1 ผ่าน", None, "Uchainat"))
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in text_of(say("ตรวจ L004 O1 ผ่าน", LOCAL, "Uofficer"))
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in text_of(say("รอตรวจ", LOCAL, "Uadmin01"))
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in text_of(say("ส่งแทน L004 O5 " + SITE, LOCAL, "Uadmin01"))
    assert "เหตุผล" in text_of(say("ตรวจ L004 O1 แก้ไข", COORDS, COORDINATOR))


def test_the_review_card_buttons(say, db, post_events, worker, fake_line):
    _submit(say)
    [card] = say("ตรวจ L004", COORDS, COORDINATOR)
    assert card["type"] == "flex" and "ส่งแล้ว 3 ข้อ รอตรวจ 3 ข้อ" in card["altText"]
    buttons = [
        b["action"]
        for row in card["contents"]["contents"][0]["body"]["contents"][2:]
        for b in row["contents"][1:]
    ]
    approve, fix = buttons[0], buttons[1]
    assert fix["inputOption"] == "openKeyboard" and fix["fillInText"].startswith("ตรวจ #")
    post_events(postback_event(approve["data"], group_id=COORDS, user_id="Uofficer"))
    worker.run_once()
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in fake_line.state.sent[-1]["messages"][0]["text"]
    post_events(postback_event(approve["data"], group_id=COORDS, user_id=COORDINATOR))
    worker.run_once()
    assert "O1 ผ่าน" in fake_line.state.sent[-1]["messages"][0]["text"]
    fix_o2 = buttons[3]["fillInText"] + "ไม่มีวันที่"
    assert "O2 ต้องแก้ไข: ไม่มีวันที่" in text_of(say(fix_o2, COORDS, COORDINATOR))
    assert {c: r for c, (_, r) in current(db).items()} == {
        "O1": "approved",
        "O2": "fix",
        "O3": "pending",
    }


def test_on_behalf_is_kept_with_who_did_it(say, db):
    reply = text_of(say(f"ส่งแทน อบต.บางระจัน O5 {SITE}/plan", COORDS, COORDINATOR))
    assert "บันทึก O5" in reply and "ผู้ประสานงานบันทึกแทน" in reply
    with db.session() as session:
        row = session.scalar(select(Submission))
        assert row.on_behalf and row.submitted_by == COORDINATOR
    assert "ถอนลิงก์ O5" in text_of(say("ส่งแทน L004 ยกเลิก O5", COORDS, COORDINATOR))


def test_simulated_score_worked_example():
    """26 items: 20 approved, 3 waiting, 3 missing; IIT 92.5, EIT 88.

    OIT   = 100 × 20 / 26                     = 76.92 (waiting items do not count)
    total = 0.3 × 92.5 + 0.3 × 88 + 0.4 × 76.92 = 27.75 + 26.40 + 30.77 = 84.92
    84.92 is under 85, so the label is the first rule it meets: ต้องปรับปรุง (70 or more).
    """
    framework = Framework(document=json.dumps(read(SHIPPED / "2570.yaml")))
    counts = {"approved": 20, "pending": 3, "fix": 0, "missing": 3}
    result = simulate(framework, counts, {"IIT": 92.5, "EIT": 88.0})
    assert (result.oit, result.total, result.label) == (76.92, 84.92, "ต้องปรับปรุง")
    result = simulate(framework, {"approved": 26}, {"IIT": 90, "EIT": 90})
    assert (result.oit, result.total, result.label) == (100.0, 94.0, "ผ่านดี")
    assert simulate(framework, counts, {"IIT": 90}).total is None


def test_scores_by_chat_and_status_shows_the_estimate(say):
    _submit(say)
    assert "ผู้ประสานงานหรือแอดมิน" in text_of(say("คะแนน L004 IIT 90 EIT 80", LOCAL, "Uofficer"))
    assert "ระหว่าง 0 ถึง 100" in text_of(say("คะแนน L004 IIT 190", COORDS, COORDINATOR))
    [card] = say("คะแนน L004 IIT 92.5 EIT 88", COORDS, COORDINATOR)
    body = json.dumps(card, ensure_ascii=False)
    assert "คะแนน OIT จำลอง 0.00" in body and "คะแนนรวมจำลอง" in body and "ประมาณการ" in body


def test_import_a_precheck_sheet_and_stats(say, runner, db, tmp_path):
    sheet = tmp_path / "precheck.csv"
    sheet.write_text(
        "code,item,url,status,note\n"
        f"L004,O1,{SITE}/a,ผ่าน,\n"
        f"L004,O2,{SITE}/b,แก้ไข,ไม่มีปี\n"
        f"L004,3,{SITE}/c,,\n"
        f"X999,O1,{SITE}/a,ผ่าน,\n"
        "L004,O4,http://10.0.0.1/,ผ่าน,\n"
        f"L004,O5,{SITE}/e,งง,\n"
    )
    result = runner.invoke(args=["submissions", "import", str(sheet), "--province", "สิงห์บุรี"])
    assert "บันทึก 3 รายการ" in result.output and "ผิดพลาด 3" in result.output
    assert "บรรทัด 5" in result.output and "บรรทัด 6" in result.output and "บรรทัด 7" in result.output
    again = runner.invoke(args=["submissions", "import", str(sheet), "--province", "สิงห์บุรี"])
    assert "บันทึก 0 รายการ ไม่เปลี่ยน 3" in again.output
    stats = json.loads(runner.invoke(args=["stats", "--json"]).output)
    assert stats["submissions"] == {
        "total": 3,
        "by_status": {"approved": 1, "fix": 1, "pending": 1},
    }


def test_phase_punctuality_and_honour_list_come_from_history(runner, db):
    import datetime as dt

    from models.oit.records import items_of, record, withdraw
    from models.oit.summary import summary_text
    from models.registry import Agency, Province
    from models.year.frameworks import active_framework

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    today = dt.date(2027, 5, 1)  # after the demo's three phase deadlines (31 Jan, 31 Mar, 25 Apr)
    with db.session() as session:
        province = session.scalar(select(Province))
        framework = active_framework(session, province, today)
        codes = [item.code for item in items_of(session, framework.id)]
        agency = {a.code: a for a in session.scalars(select(Agency))}

        def submit_all(code, day):
            for item in codes:
                record(session, agency[code], framework, item, [f"{SITE}/{item}"], by="U", now=day)

        submit_all("L004", dt.datetime(2027, 1, 10, 3))  # on time in every phase
        submit_all("L005", dt.datetime(2027, 2, 15, 3))  # late for phase 1 only
        submit_all("L007", dt.datetime(2027, 1, 10, 3))
        withdraw(session, agency["L007"], framework, "O3", "U", dt.datetime(2027, 3, 1, 3))
        record(
            session, agency["L007"], framework, "O3", [SITE], by="U", now=dt.datetime(2027, 4, 1)
        )
        text = summary_text(session, province, "local", today)
    assert "ระยะที่ 1: ส่งครบภายในกำหนด 2 จาก 22 หน่วยงาน" in text
    assert "ระยะที่ 2: ส่งครบภายในกำหนด 2 จาก 22 หน่วยงาน" in text  # L007 had withdrawn O3
    assert "ระยะที่ 3: ส่งครบภายในกำหนด 3 จาก 22 หน่วยงาน" in text
    assert "ส่งครบตรงเวลาทุกระยะที่ผ่านมา 1 หน่วยงาน: L004" in text
    assert "ส่งครบ 3 · กำลังส่ง 0 · ยังไม่เริ่ม 19 (จาก 22 หน่วยงาน)" in text


def test_coordinators_see_link_problems(say, db):
    from models.oit import LinkCheck

    _submit(say)
    with db.session() as session:
        checks = session.scalars(select(LinkCheck).order_by(LinkCheck.id)).all()
        for check, (verdict, note) in zip(
            checks,
            [("dead", "ไม่พบหน้านี้ (404)"), ("unchecked", "403"), ("ok", "เปิดได้")],
            strict=True,
        ):
            check.status, check.verdict, check.note = "done", verdict, note
    reply = text_of(say("ลิงก์มีปัญหา", COORDS, COORDINATOR))
    assert "ลิงก์มีปัญหา 1 รายการ · ตรวจอัตโนมัติไม่ได้ 1 รายการ" in reply
    assert "L004 O1 ลิงก์เสีย: ไม่พบหน้านี้ (404)" in reply and "L004 O2" in reply
    assert "ผู้ประสานงานจังหวัดเท่านั้น" in text_of(say("ลิงก์มีปัญหา"))
