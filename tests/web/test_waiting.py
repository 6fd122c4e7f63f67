"""Questions and registrations on the web: answered and decided through the same calls as
ตอบ / เพิ่มคำถาม / อนุมัติ / ปฏิเสธ, the asker and the requester told the same way."""

from __future__ import annotations

import re

from models.faq import FaqEntry, OpenQuestion
from tests.oit.test_oit_chat import LOCAL, text_of
from tests.web.test_sign_in import csrf_of, signed_in


def post(client, path, **form):
    page = client.get("/web/waiting")
    return client.post(path, data={"csrf": csrf_of(page.data), **form})


def test_a_question_is_answered_to_its_asker_and_kept_as_an_entry(
    client, bot, say, runner, db, fake_line, worker
):
    assert runner.invoke(args=["faq", "load"]).exit_code == 0
    say("ถาม งบประชาสัมพันธ์ปีนี้เหลือเท่าไร", LOCAL, "Uofficer")
    signed_in(client, bot)
    html = client.get("/web/waiting").get_data(as_text=True)
    number = re.search(r"<strong>#(\d+)</strong>", html).group(1)
    assert "งบประชาสัมพันธ์" in html
    assert post(client, f"/web/questions/{number}", answer="").status_code == 400
    done = post(client, f"/web/questions/{number}", answer="ดูได้ที่กองคลัง", keep="1")
    assert done.status_code == 302
    before = len(fake_line.state.sent)
    worker.run_once()
    pushed = [m for r in fake_line.state.sent[before:] if r["to"] == LOCAL for m in r["messages"]]
    assert pushed and "กองคลัง" in pushed[0]["text"] and pushed[0].get("quoteToken")
    with db.session() as session:
        assert session.get(OpenQuestion, int(number)).status == "answered"
        assert session.query(FaqEntry).filter_by(key=f"added-{number}").count() == 1
    assert "กองคลัง" in text_of(say("ถาม งบประชาสัมพันธ์ปีนี้เหลือเท่าไร", LOCAL, "Uother"))


def test_registrations_are_approved_or_refused_with_a_reason(client, bot, say, db):
    say("ลงทะเบียน L001", LOCAL, "Unew1")
    say("ลงทะเบียน L002", LOCAL, "Unew2")
    assert "รอผู้ประสานงานยืนยัน" in text_of(say("ฉันคือใคร", None, "Unew1"))
    signed_in(client, bot)
    html = client.get("/web/waiting").get_data(as_text=True)
    first, second = dict.fromkeys(re.findall(r"/web/registrations/(\d+)", html))
    approved = post(client, f"/web/registrations/{first}", decision="approve")
    assert approved.status_code == 302
    assert "อนุมัติแล้ว" in client.get(approved.location).get_data(as_text=True)
    refused = post(client, f"/web/registrations/{second}", decision="refuse")
    assert refused.status_code == 400, "a refusal needs its reason"
    reason = "ไม่ใช่เจ้าหน้าที่ของหน่วยงาน"
    assert (
        post(client, f"/web/registrations/{second}", decision="refuse", reason=reason).status_code
        == 302
    )
    assert "รอผู้ประสานงานยืนยัน" not in text_of(say("ฉันคือใคร", None, "Unew1"))
    assert "แอดมิน" in text_of(say("ฉันคือใคร", None, "Unew1"))
    assert "ยังไม่มีบทบาท" in text_of(say("ฉันคือใคร", None, "Unew2"))
    assert "ไม่มีคำขอรอพิจารณา" in client.get("/web/waiting").get_data(as_text=True)


def test_admins_have_no_waiting_page(client, bot):
    signed_in(client, bot, "Uadmin01")
    assert client.get("/web/waiting").status_code == 403
    page = client.get("/web/home")
    answer = client.post("/web/questions/1", data={"csrf": csrf_of(page.data), "answer": "x"})
    assert answer.status_code == 403, "the role check, past the CSRF check"
