"""The admin's OIT form: the same records and rules as the chat, many items saved at once, bad
links explained and not saved, only the admin's own agencies."""

from __future__ import annotations

from tests.oit.test_oit_chat import SITE, current
from tests.web.test_sign_in import csrf_of, signed_in

FORM = "/web/agency/L004/oit"


def save(client, **items):
    page = client.get(FORM)
    return client.post(FORM, data={"csrf": csrf_of(page.data), **items})


def test_the_form_lists_every_item_with_its_requirement(client, bot):
    signed_in(client, bot, "Uadmin01")
    html = client.get(FORM).get_data(as_text=True)
    assert html.count("<textarea") == 26 and "O26" in html and "ยังไม่ส่ง" in html
    assert FORM in client.get("/web/home").get_data(as_text=True), "linked from the home page"


def test_two_items_saved_at_once_and_the_chat_agrees(client, bot, say, db):
    signed_in(client, bot, "Uadmin01")
    answer = save(client, **{"item-O1": f"{SITE}/structure", "item-O2": f"{SITE}/executives"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "บันทึกแล้ว: O1, O2" in html
    assert set(current(db)) == {"O1", "O2"}
    assert "ส่งแล้ว 2 ข้อ" in say("สถานะ")[0]["altText"], "chat and form: the same records"
    say(f"O3 {SITE}/contact")
    assert f"{SITE}/contact" in client.get(FORM).get_data(as_text=True), "the form shows chat's"


def test_a_bad_link_is_explained_kept_as_typed_and_not_saved(client, bot, db):
    signed_in(client, bot, "Uadmin01")
    html = save(
        client, **{"item-O1": "http://192.168.1.10/structure", "item-O2": f"{SITE}/executives"}
    ).get_data(as_text=True)
    assert "ยังไม่บันทึก" in html and "192.168.1.10" in html
    assert set(current(db)) == {"O2"}, "the good item is saved, the bad one is not"


def test_unchanged_items_are_not_sent_again(client, bot, db):
    signed_in(client, bot, "Uadmin01")
    save(client, **{"item-O1": f"{SITE}/structure"})
    html = save(client, **{"item-O1": f"{SITE}/structure"}).get_data(as_text=True)
    assert "ไม่มีลิงก์ที่เปลี่ยน" in html


def test_another_agency_and_a_coordinator_without_agencies_get_nothing(client, bot, db):
    signed_in(client, bot, "Uadmin01")
    assert client.get("/web/agency/L001/oit").status_code == 404
    page = client.get(FORM)
    refused = client.post("/web/agency/L001/oit", data={"csrf": csrf_of(page.data)})
    assert refused.status_code == 404
    assert client.post(FORM, data={"item-O1": f"{SITE}/x"}).status_code == 400, "no CSRF"
    assert current(db) == {}


def test_the_groups_status_points_admins_to_the_form_without_a_link(say):
    import json

    card = json.dumps(say("สถานะ")[0], ensure_ascii=False)
    assert "พิมพ์ เว็บ ในแชตส่วนตัวกับบอท" in card
    assert "/web/sign-in" not in card and "?t=" not in card, "never a sign-in link in a group"
