"""One rule decides which province a chat is about, for the FAQ and the calendar alike."""

from __future__ import annotations

from sqlalchemy import select

from bot.dev.chat import chat_ids
from bot.dev.demo import DEMO_COORDINATOR, GROUPS
from models.faq import OpenQuestion
from models.registry import Province, roles
from models.registry.agency_import import import_agencies, province_named

LOCAL = chat_ids(GROUPS["local"], "")[0]
PERSON = "U" + "5" * 32


def test_group_setup_decides_and_one_to_one_the_coordinator_role_comes_first(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with db.session() as session:
        other = province_named(session, "อ่างทอง", create=True)
        import_agencies(session, [{"code": "A01", "name": "เทศบาลตำบลโพสะ", "type": "เทศบาลตำบล"}],
                        other)  # fmt: skip
    assert runner.invoke(args=["agencies", "bind-user", PERSON, "L004"]).exit_code == 0
    with db.session() as session:
        assert roles.chat_province(session, LOCAL, PERSON).name == "สิงห์บุรี"
        assert roles.chat_province(session, "Cnot-set-up", PERSON) is None
        assert roles.chat_province(session, None, PERSON).name == "สิงห์บุรี"  # admin only
        assert roles.chat_province(session, None, "Unobody") is None
        person = roles.person(session, PERSON)
        roles.grant(session, person, roles.COORDINATOR, province_named(session, "อ่างทอง"))
    with db.session() as session:  # coordinator of อ่างทอง, admin in สิงห์บุรี: coordination wins
        assert roles.chat_province(session, None, PERSON).name == "อ่างทอง"
        assert roles.chat_province(session, LOCAL, PERSON).name == "สิงห์บุรี"
    coordinator = chat_ids(None, DEMO_COORDINATOR)[1]
    with db.session() as session:
        assert roles.chat_province(session, None, coordinator).name == "สิงห์บุรี"


def test_faq_and_calendar_agree_one_to_one(runner, db, post_events, worker, fake_line):
    """An admin of สิงห์บุรี who coordinates อ่างทอง: both answers are about อ่างทอง."""
    from bot.dev.eventfactory import text_event

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with db.session() as session:
        province_named(session, "อ่างทอง", create=True)
    assert runner.invoke(args=["agencies", "bind-user", PERSON, "L004"]).exit_code == 0
    grant = runner.invoke(args=["roles", "grant", PERSON, "coordinator", "--province", "อ่างทอง"])
    assert grant.exit_code == 0
    post_events(text_event("กำหนดการ", user_id=PERSON))
    worker.run_once()
    [calendar] = [m["text"] for r in fake_line.state.sent for m in r["messages"]]
    assert "อ่างทอง" in calendar and "สิงห์บุรี" not in calendar
    post_events(text_event("ถาม เรื่องนี้บอทตอบไม่ได้แน่นอน ประชุมห้องไหน", user_id=PERSON))
    worker.run_once()
    with db.session() as session:  # the unanswered question goes to อ่างทอง's coordinators
        [province_id] = session.scalars(select(OpenQuestion.province_id)).all()
        assert session.get(Province, province_id).name == "อ่างทอง"


def test_calendar_one_to_one_from_a_person_with_no_province_does_not_say_this_group(
    runner, post_events, worker, fake_line
):
    from bot.dev.eventfactory import text_event

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    post_events(text_event("กำหนดการ", user_id="U" + "6" * 32))
    worker.run_once()
    [answer] = [m["text"] for r in fake_line.state.sent for m in r["messages"]]
    assert "กลุ่มนี้" not in answer and "ลงทะเบียน" in answer
