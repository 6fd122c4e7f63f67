"""The review desk on the web: the same verdicts and outcomes as `ตรวจ` in chat, CSRF and roles
checked, a reason required to send back."""

from __future__ import annotations

import re

import pytest

from tests.oit.test_oit_chat import COORDINATOR, COORDS, SITE, current, text_of
from tests.web.test_sign_in import csrf_of, signed_in


@pytest.fixture
def submitted(say):
    assert "บันทึก" in text_of(say(f"O1 {SITE}/structure\nO2 {SITE}/executives"))
    return say


def decide(client, path, **form):
    page = client.get("/web/review")
    return client.post(path, data={"csrf": csrf_of(page.data), **form})


def desk_path(client, item: str) -> str:
    html = client.get("/web/review").get_data(as_text=True)
    block = html.split(f"· {item} ", 1)[1]
    return re.search(r'action="(/web/review/\d+)"', block).group(1)


def test_the_desk_shows_each_link_with_its_requirement(client, bot, submitted):
    signed_in(client, bot)
    html = client.get("/web/review").get_data(as_text=True)
    assert "รอตรวจ 2 รายการ" in html and f"{SITE}/structure" in html
    assert "ข้อกำหนด:" in html and 'target="_blank"' in html
    assert "ไม่ใช่เว็บไซต์หลักของหน่วยงาน" in html, "common reasons one click away"


def test_approving_on_the_web_is_a_chat_review(client, bot, submitted, db, fake_line, worker):
    signed_in(client, bot)
    answer = decide(client, desk_path(client, "O1"), outcome="approved")
    assert answer.status_code == 302 and "done" not in answer.location, "no note in the address"
    assert current(db)["O1"][1] == "approved"
    desk = client.get("/web/review").get_data(as_text=True)
    assert "รอตรวจ 1 รายการ" in desk and "บันทึกแล้ว: L004 O1 ผ่าน" in desk
    assert "บันทึกแล้ว" not in client.get("/web/review?done=forged").get_data(as_text=True)
    told = text_of(submitted("สถานะ"))
    assert "O1 ผ่าน" in told, "the admin hears the outcome as after a chat review"
    from models.registry import AuditEntry

    with db.session() as session:
        assert session.query(AuditEntry).filter_by(action="oit.review").count() == 1


def test_sending_back_needs_a_reason_and_csrf(client, bot, submitted, db):
    signed_in(client, bot)
    path = desk_path(client, "O2")
    assert decide(client, path, outcome="fix").status_code == 400
    assert client.post(path, data={"outcome": "approved"}).status_code == 400, "no CSRF token"
    assert current(db)["O2"][1] == "pending", "nothing changed"
    assert decide(client, path, outcome="fix", common="ลิงก์เปิดไม่ได้หรือต้องเข้าสู่ระบบ").status_code == 302
    assert current(db)["O2"][1] == "fix"
    assert "ลิงก์เปิดไม่ได้" in text_of(submitted("สถานะ"))


def test_an_admin_has_no_desk_and_cannot_post_verdicts(client, bot, submitted, db):
    signed_in(client, bot, "Uadmin01")
    assert client.get("/web/review").status_code == 403
    page = client.get("/web/home")
    refused = client.post("/web/review/1", data={"csrf": csrf_of(page.data), "outcome": "approved"})
    assert refused.status_code == 404 and current(db)["O1"][1] == "pending"


def test_with_htmx_a_refusal_shows_on_the_desk_and_odd_ids_are_refused(client, bot, submitted, db):
    signed_in(client, bot)
    page = client.get("/web/review")
    path = desk_path(client, "O1")
    submitted(f"O1 {SITE}/structure-2")
    token = csrf_of(page.data)
    answer = client.post(
        path, data={"csrf": token, "outcome": "approved"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200 and "มีลิงก์ใหม่แล้ว" in answer.get_data(as_text=True)
    odd = client.post(
        "/web/review/approve-selected", data={"csrf": token, "ids": ["²", "๑๒", "9" * 30]}
    )
    assert odd.status_code == 302 and "ผ่าน 0 รายการ" in client.get("/web/review").get_data(
        as_text=True
    )
    assert client.get("/web/submission/" + "9" * 30).status_code == 404
    assert client.post("/web/sign-out", data={"csrf": "ก"}).status_code == 400


def test_a_replaced_link_is_not_reviewed(client, bot, submitted, db):
    signed_in(client, bot)
    path = desk_path(client, "O1")
    submitted(f"O1 {SITE}/structure-2")
    assert decide(client, path, outcome="approved").status_code == 409
    assert text_of(submitted("รอตรวจ", COORDS, COORDINATOR))


def test_with_htmx_a_verdict_returns_the_next_link_in_one_request(client, bot, submitted, db):
    signed_in(client, bot)
    page = client.get("/web/review")
    path = desk_path(client, "O1")
    answer = client.post(
        path,
        data={"csrf": csrf_of(page.data), "outcome": "approved"},
        headers={"HX-Request": "true"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'id="desk"' in html, "no redirect: the desk itself"
    assert "บันทึกแล้ว: L004 O1 ผ่าน" in html and "· O2 " in html, "the next link is shown"
    assert current(db)["O1"][1] == "approved"


def test_several_links_approved_at_once_tell_the_admin_once(client, bot, submitted, db):
    signed_in(client, bot)
    html = client.get("/web/review").get_data(as_text=True)
    ids = re.findall(r'name="ids" value="(\d+)"', html)
    assert len(ids) == 2
    page = client.get("/web/review")
    answer = client.post(
        "/web/review/approve-selected", data={"csrf": csrf_of(page.data), "ids": ids}
    )
    assert answer.status_code == 302
    assert "ผ่าน 2 รายการ" in client.get("/web/review").get_data(as_text=True)
    assert {current(db)[c][1] for c in ("O1", "O2")} == {"approved"}
    told = text_of(submitted("สถานะ"))
    assert "O1 ผ่าน" in told and "O2 ผ่าน" in told
    assert told.count("ผลตรวจลิงก์ OIT") == 1, "one message for both"
