"""POST /callback: signature first, one inbox row per event id, fast and quiet."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import func, select

from bot.dev.eventfactory import base_event, sign, text_event
from models.queues import InboxEvent

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


# Item 6: odd signed bodies never get a 5xx, and one odd event never costs the others.

LONG = "x" * 100_000
ODD_EVENTS = {
    "timestamp NaN": {"timestamp": float("nan")},
    "timestamp Infinity": {"timestamp": float("inf")},
    "timestamp -Infinity": {"timestamp": float("-inf")},
    "timestamp 1e300": {"timestamp": 1e300},
    "timestamp -1e300": {"timestamp": -1e300},
    "timestamp huge int": {"timestamp": 10**40},
    "100 KB group id": {"source": {"type": "group", "groupId": LONG, "userId": LONG}},
    "100 KB reply token": {"replyToken": LONG},
    "100 KB type and mode": {"type": LONG, "mode": LONG},
    "100 KB message id": {"message": {"type": "text", "id": LONG, "text": "ก"}},
    "userId a number": {"source": {"type": "user", "userId": 12345}},
    "userId a dict": {"source": {"type": "group", "groupId": "Cg", "userId": {"a": 1}}},
    "groupId a list": {"source": {"type": "group", "groupId": ["C1"]}},
    "source a string": {"source": "Cg"},
    "deliveryContext a list": {"deliveryContext": [True]},
    "message.id an object": {"message": {"type": "text", "id": {"x": 1}, "text": "ก"}},
    "message a list": {"message": ["text"]},
    "type a dict": {"type": {"x": [1, 2]}},
    "mode a number": {"mode": 3},
    "replyToken a dict": {"replyToken": {"t": 1}},
    "unsend messageId a list": {"type": "unsend", "unsend": {"messageId": [1]}},
    "lone surrogate": {"message": {"type": "text", "id": "1", "text": "ก\ud800ข"}},
    "NUL in ids": {"source": {"type": "group", "groupId": "C\x00g", "userId": "U\x00"}},
}


def odd_event(fields: dict, webhook_event_id: str = "odd-event") -> dict:
    return dict(text_event("ปกติ", group_id="Cgroup1"), webhookEventId=webhook_event_id, **fields)


def stored_rows(db) -> list[InboxEvent]:
    with db.session() as session:
        return list(session.scalars(select(InboxEvent)))


def test_odd_event_is_stored_beside_the_good_events_of_its_body(client, db):
    for number, (name, fields) in enumerate(ODD_EVENTS.items()):
        good = [text_event(f"ข้อความ {i}", group_id="Cgroup1") for i in range(9)]
        key = f"odd-{number}"
        events = [*good[:4], odd_event(fields, key), *good[4:]]
        response = signed_post(client, json.dumps({"events": events}))  # \ud800 escaped
        assert response.status_code == 200, name
        ids = {row.webhook_event_id for row in stored_rows(db)}
        assert {e["webhookEventId"] for e in good} | {key} <= ids, name
    for row in stored_rows(db):
        assert len(row.webhook_event_id) <= 64 and len(row.event_type) <= 40
        assert len(row.mode) <= 16
        for column in ("chat_id", "user_id", "message_id"):
            value = getattr(row, column)
            assert value is None or (isinstance(value, str) and len(value) <= 64), column
        assert row.reply_token is None or len(row.reply_token) <= 255
        json.loads(row.payload)


def test_long_event_id_is_cut_to_its_column(post_events, db):
    event = dict(text_event("ก"), webhookEventId="E" * 100_000)
    assert post_events(event).status_code == 200
    assert [row.webhook_event_id for row in stored_rows(db)] == ["E" * 64]


def nested(depth: int):
    value: object = "ลึก"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def signed_post(client, body: str | bytes):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(
        "/callback", data=data, headers={"X-Line-Signature": sign("test-secret", data)}
    )


def test_body_nested_too_deep_for_json_is_400(client, db):
    body = '{"events": [' + "[" * 5000 + "]" * 5000 + "]}"
    assert signed_post(client, body).status_code == 400
    assert count(db) == 0


def test_deep_event_is_kept_as_an_invalid_row_beside_the_good_ones(post_events, db, worker):
    good = text_event("ปกติ", group_id="Cgroup1")
    deep = dict(text_event("ลึก"), webhookEventId="deep-1", extra=nested(200))
    anonymous = {"type": "message", "extra": nested(200)}  # no id: dropped, nothing to key on
    assert post_events(good, deep, anonymous).status_code == 200
    rows = {row.webhook_event_id: row for row in stored_rows(db)}
    assert set(rows) == {good["webhookEventId"], "deep-1"}
    invalid = rows["deep-1"]
    assert (invalid.event_type, invalid.kind, invalid.status) == ("invalid", "unknown", "ignored")
    assert json.loads(invalid.payload) == {"webhookEventId": "deep-1"}
    worker.run_once()
    assert count(db, status="ignored") == 1


def test_signed_body_that_is_not_an_events_object_is_400(client, db):
    for body in ("[]", '"events"', "1", "null", '{"events": {}}', '{"events": "x"}', "{}"):
        assert signed_post(client, body).status_code == 400, body
    invalid_utf8 = b'{"events": [{"type": "message", "x": "\xff\xfe"}]}'
    assert signed_post(client, invalid_utf8).status_code == 400
    assert count(db) == 0


def test_signature_is_checked_on_the_raw_bytes(client, db):
    body = json.dumps({"events": [text_event("ก")]}, ensure_ascii=False).encode("utf-8")
    assert signed_post(client, body).status_code == 200
    assert count(db) == 1
    header = {"X-Line-Signature": "ลายเซ็น"}  # not ASCII: refused, not a crash
    assert client.post("/callback", data=body, headers=header).status_code == 400


def test_event_the_database_refuses_is_kept_as_invalid_and_the_others_stored(
    post_events, db, monkeypatch, caplog
):
    from bot import webhook

    original = webhook.inbox_row

    def refusing(raw, received_at):
        row = original(raw, received_at)
        if raw.get("webhookEventId") == "refused" and "type" in raw:  # not its invalid row
            row["payload"] = object()  # no driver can bind this
        return row

    monkeypatch.setattr(webhook, "inbox_row", refusing)
    good = [text_event(f"ข้อความ {i}") for i in range(3)]
    refused = dict(text_event("ก"), webhookEventId="refused")
    assert post_events(good[0], refused, *good[1:]).status_code == 200
    rows = {row.webhook_event_id: row for row in stored_rows(db)}
    assert set(rows) == {e["webhookEventId"] for e in good} | {"refused"}
    assert (rows["refused"].event_type, rows["refused"].status) == ("invalid", "ignored")
    assert "ข้อความ" not in caplog.text  # the driver's error quotes the rows: never logged


# Item 7: C0 controls never reach the database; mentions still point at the right text.

C0_ALLOWED = {"\n", "\t"}


def controls_in(value) -> list[str]:
    """Every C0 control (other than newline and tab) in a JSON value, keys included."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found += [c for c in item if c < " " and c not in C0_ALLOWED]
        elif isinstance(item, dict):
            stack += list(item) + list(item.values())
        elif isinstance(item, list):
            stack += item
    return found


def test_control_characters_are_stripped_and_mentions_shifted(post_events, db):
    from bot.dev.eventfactory import BOT_USER_ID
    from handlers.events import Event

    text = "ถาม \x00ราคา\x07 \x1b@ITA Bot\r\nค่า\x00ธรรมเนียม\tเท่าไร @สม\x00ชาย ครับ\r"
    bot_at, other_at = text.index("@ITA Bot"), text.index("@สม")
    event = text_event(text, group_id="C\x00group", user_id="U\x00one")
    event["message"]["mention"] = {
        "mentionees": [
            {"index": bot_at, "length": 8, "type": "user", "userId": BOT_USER_ID, "isSelf": True},
            {"index": other_at, "length": 7, "type": "user", "userId": "U\x00two"},
        ]
    }
    event["message"]["emojis"] = [
        {"index": text.index("ครับ"), "length": 4, "productId": "p", "emojiId": "001"}
    ]
    event["unknown\x00key"] = ["\x01", {"deep": "a\x1fb"}]
    postback = dict(base_event("postback", group_id="Cg"), postback={"data": "action=\x00ok"})
    assert post_events(event, postback).status_code == 200
    rows = {row.event_type: row for row in stored_rows(db)}
    stored = json.loads(rows["message"].payload)
    assert controls_in(stored) == []
    assert controls_in(json.loads(rows["postback"].payload)) == []
    cleaned = "ถาม ราคา @ITA Bot\nค่าธรรมเนียม\tเท่าไร @สมชาย ครับ\n"
    assert stored["message"]["text"] == cleaned
    bot_mention, other = stored["message"]["mention"]["mentionees"]
    assert cleaned[bot_mention["index"] :][: bot_mention["length"]] == "@ITA Bot"
    assert cleaned[other["index"] :][: other["length"]] == "@สมชาย"
    emoji = stored["message"]["emojis"][0]
    assert cleaned[emoji["index"] :][: emoji["length"]] == "ครับ"
    words = Event(stored).text_without_bot_mention.split()
    assert words == ["ถาม", "ราคา", "ค่าธรรมเนียม", "เท่าไร", "@สมชาย", "ครับ"]
    assert rows["message"].chat_id == "Cgroup" and rows["message"].user_id == "Uone"
    assert json.loads(rows["postback"].payload)["postback"]["data"] == "action=ok"


def test_question_with_nul_is_handled_once_not_retried(runner, post_events, worker, fake_line, db):
    """On PostgreSQL the NUL failed the worker's writes five times and the asker got nothing."""
    from tests.oit.test_oit_chat import LOCAL

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0
    question = "ถาม \x00ลืมพาสเวิร์ด e-GP\x00 เข้าไม่ได้\x07 ทำไงดีคะ"  # unanswered: stored
    assert post_events(text_event(question, group_id=LOCAL, user_id="Uofficer")).status_code == 200
    worker.run_once()
    [row] = stored_rows(db)
    assert (row.status, row.attempts) == ("done", 0)
    assert fake_line.state.sent, "the asker was answered"
