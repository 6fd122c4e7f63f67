"""A link is recorded for the agency the message names, or refused: never redirected."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.dev.chat import chat_ids
from bot.dev.demo import GROUPS
from bot.dev.eventfactory import text_event
from models.oit import Submission
from models.registry import Agency
from models.registry.agency_import import import_agencies, province_named

LOCAL = chat_ids(GROUPS["local"], "")[0]


@pytest.fixture
def say(runner, post_events, worker, fake_line, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"]).exit_code == 0
    with db.session() as session:  # another province whose codes repeat and differ
        other = province_named(session, "อ่างทอง", create=True)
        rows = [
            {"code": "L004", "name": "เทศบาลตำบลโพสะ", "type": "เทศบาลตำบล"},
            {"code": "X900", "name": "องค์การบริหารส่วนตำบลบ้านอิฐ", "type": "อบต."},
            {"code": "R001", "name": "สำนักงานจังหวัดอ่างทอง", "type": "ส่วนราชการส่วนภูมิภาค"},
        ]
        import_agencies(session, rows, other)

    def send(text, user_id="Uadmin01"):
        before = len(fake_line.state.sent)
        post_events(text_event(text, group_id=LOCAL, user_id=user_id))
        worker.run_once()
        return "\n".join(m["text"] for r in fake_line.state.sent[before:] for m in r["messages"])

    return send


def submissions(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Submission))


@pytest.mark.parametrize(
    "named",
    ["R001", "X900", "x900", "L005", "Z123", "องค์การบริหารส่วนตำบลบ้านอิฐ"],
)
def test_naming_an_agency_that_is_not_yours_is_refused_not_redirected(say, db, named):
    answer = say(f"ส่ง {named} O2 https://www.bangrachan-sao.go.th/o2")
    assert "ขออภัย" in answer or "ไม่พบหน่วยงาน" in answer
    assert "บันทึก O2" not in answer
    assert submissions(db) == 0


def test_own_code_and_no_code_are_recorded_for_own_agency(say, db):
    assert "บันทึก O2" in say("ส่ง L004 O2 https://www.bangrachan-sao.go.th/o2")
    assert "บันทึก O3" in say("เรียนผู้ประสานงาน O3 https://www.bangrachan-sao.go.th/o3")
    with db.session() as session:
        codes = session.scalars(
            select(Agency.code).join(Submission, Submission.agency_id == Agency.id)
        ).all()
    assert set(codes) == {"L004"} and submissions(db) == 2
