"""POST /callback: signature first, one inbox row per event id, fast and quiet."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import func, select

from bot.eventfactory import base_event, sign, text_event
from models import InboxEvent

FIXTURES = Path(__file__).parent / "fixtures"


def count(db, **where) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(InboxEvent)
        for key, value in where.items():
            query = query.where(getattr(InboxEvent, key) == value)
        return session.scalar(query)


def test_official_signature_vector():
    body = '{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}'
    assert (
        sign("8c570fa6dd201bb328f1c1eac23a96d8", body)
        == "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs="
    )


def test_verify_ping_answers_200(client, app):
    body = '{"destination":"U1","events":[]}'
    response = client.post(
        "/callback", data=body, headers={"X-Line-Signature": sign("test-secret", body)}
    )
    assert response.status_code == 200


def test_missing_or_wrong_signature_is_400_and_stores_nothing(client, db, post_events):
    body = json.dumps({"events": [text_event("สวัสดี")]})
    assert client.post("/callback", data=body).status_code == 400
    assert (
        client.post("/callback", data=body, headers={"X-Line-Signature": "AAAA"}).status_code == 400
    )
    assert post_events(text_event("สวัสดี"), secret="another-secret").status_code == 400
    assert count(db) == 0


def test_each_event_stored_once_even_when_redelivered(post_events, db):
    event = text_event("ช่วยเหลือ", group_id="Cgroup1")
    for _ in range(3):
        assert post_events(event).status_code == 200
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    assert post_events(redelivered).status_code == 200
    assert count(db) == 1


def test_several_events_in_one_body(post_events, db):
    events = [text_event(f"ข้อความ {i}", group_id="Cgroup1") for i in range(5)]
    assert post_events(*events).status_code == 200
    assert count(db) == 5


def test_unknown_and_invalid_events_are_stored_then_ignored_as_unknown(post_events, db, worker):
    future = base_event("somethingNew", group_id="Cg", newField={"x": 1})
    broken = text_event("ไม่มี quoteToken")
    del broken["message"]["quoteToken"]
    assert post_events(future, broken).status_code == 200
    assert count(db) == 2
    worker.run_once()
    assert count(db, kind="unknown") == 2
    assert count(db, status="ignored") == 2


def test_sdk_fixtures_of_every_kind_are_all_stored(client, db):
    for name in ("webhook-v3.json", "webhook-v2-era.json"):
        payload = json.loads((FIXTURES / name).read_text())
        for index, event in enumerate(payload["events"]):
            event["webhookEventId"] = f"{name}-{index}"
        body = json.dumps(payload)
        response = client.post(
            "/callback", data=body, headers={"X-Line-Signature": sign("test-secret", body)}
        )
        assert response.status_code == 200
    assert count(db) == 28 + len(
        json.loads((FIXTURES / "webhook-v2-era.json").read_text())["events"]
    )


def test_events_without_an_id_are_deduplicated_by_content(client, db):
    payload = json.loads((FIXTURES / "webhook-v2-era.json").read_text())
    event = payload["events"][0]
    event.pop("webhookEventId", None)
    body = json.dumps({"events": [event]})
    headers = {"X-Line-Signature": sign("test-secret", body)}
    client.post("/callback", data=body, headers=headers)
    client.post("/callback", data=body, headers=headers)
    assert count(db) == 1


def test_body_over_one_megabyte_is_413(client, db):
    body = json.dumps({"events": [text_event("ก" * 600_000)]})
    response = client.post(
        "/callback", data=body, headers={"X-Line-Signature": sign("test-secret", body)}
    )
    assert response.status_code == 413
    assert count(db) == 0


def test_malformed_signed_body_is_400(client):
    body = "not json"
    response = client.post(
        "/callback", data=body, headers={"X-Line-Signature": sign("test-secret", body)}
    )
    assert response.status_code == 400


def test_no_line_call_and_no_body_in_logs(post_events, fake_line, caplog):
    caplog.set_level(logging.DEBUG)
    secret_text = "เลขบัตรประชาชน 1234567890123"
    assert post_events(text_event(secret_text, group_id="Cg")).status_code == 200
    assert fake_line.state.requests == []
    assert secret_text not in caplog.text
