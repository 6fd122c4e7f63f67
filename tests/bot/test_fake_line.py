"""The LINE stand-in rejects what LINE rejects, so tests catch it before LINE does."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.line_client import LineClient, LineError

AUTH = {"Authorization": "Bearer test-token"}


def text(t="สวัสดี", **extra):
    return {"type": "text", "text": t, **extra}


def quick(labels):
    return {
        "items": [
            {"type": "action", "action": {"type": "message", "label": label, "text": label}}
            for label in labels
        ]
    }


def button(label):
    return {
        "type": "flex",
        "altText": "x",
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "layout": "vertical",
                "contents": [
                    {
                        "type": "button",
                        "action": {"type": "uri", "label": label, "uri": "https://x"},
                    }
                ],
            },
        },
    }


BAD = {
    "no messages": [],
    "six messages": [text()] * 6,
    "text over 5000 UTF-16 units": [text("😀" * 2501)],
    "unknown type": [{"type": "hologram"}],
    "14 quick replies": [text(quickReply=quick([str(i) for i in range(14)]))],
    "quick reply label over 20": [text(quickReply=quick(["ก" * 21]))],
    "quick reply not on the last message": [text(quickReply=quick(["a"])), text()],
    "template label over 20": [
        {
            "type": "template",
            "altText": "x",
            "template": {
                "type": "buttons",
                "text": "t",
                "actions": [{"type": "message", "label": "ข" * 21, "text": "x"}],
            },
        }
    ],
    "flex button label over 40": [button("ค" * 41)],
    "altText over 1500": [{"type": "flex", "altText": "a" * 1501, "contents": {}}],
    "postback data over 300": [
        {
            "type": "template",
            "altText": "x",
            "template": {
                "type": "buttons",
                "text": "t",
                "actions": [{"type": "postback", "label": "ok", "data": "d" * 301}],
            },
        }
    ],
    "textV2 with 21 substitutions": [
        {
            "type": "textV2",
            "text": "x",
            "substitution": {f"k{i}": {"type": "mention"} for i in range(21)},
        }
    ],
}


@pytest.mark.parametrize("messages", BAD.values(), ids=BAD.keys())
def test_what_line_rejects_is_rejected_with_lines_error_shape(fake_line, messages):
    answer = requests.post(
        f"{fake_line.base_url}/v2/bot/message/push",
        headers=AUTH,
        json={"to": "Cg", "messages": messages},
        timeout=5,
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"] and (
        body.get("details") or "messages" in body["message"].lower() or body["details"]
    )
    assert fake_line.state.sent == []


def test_limits_themselves_are_accepted(fake_line):
    messages = [
        text("😀" * 2500),
        button("ค" * 40),
        text(quickReply=quick(["ก" * 20] + [str(i) for i in range(12)])),
    ]
    answer = requests.post(
        f"{fake_line.base_url}/v2/bot/message/push",
        headers=AUTH,
        json={"to": "Cg", "messages": messages},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def test_wrong_token_is_401_and_big_body_is_413(fake_line):
    url = f"{fake_line.base_url}/v2/bot/message/push"
    assert requests.post(url, json={}, timeout=5).status_code == 401
    big = {"to": "Cg", "messages": [text("x" * (3 * 1024 * 1024))]}
    assert requests.post(url, headers=AUTH, json=big, timeout=5).status_code == 413


def test_reply_token_is_single_use(fake_line):
    client = LineClient("test-token", fake_line.base_url, 2.0)
    assert len(client.reply("tok-1", [text(), text()]).message_ids) == 2
    with pytest.raises(LineError) as error:
        client.reply("tok-1", [text()])
    assert error.value.invalid_reply_token


def test_push_retry_key_is_accepted_once(fake_line):
    client = LineClient("test-token", fake_line.base_url, 2.0)
    key = str(uuid.uuid4())
    first = client.push("Cg", [text()], retry_key=key)
    with pytest.raises(LineError) as error:
        client.push("Cg", [text()], retry_key=key)
    assert error.value.already_accepted and first.message_ids
    assert len(fake_line.state.sent) == 1
    bad = requests.post(
        f"{fake_line.base_url}/v2/bot/message/push",
        timeout=5,
        headers={**AUTH, "X-Line-Retry-Key": "not-a-uuid"},
        json={"to": "Cg", "messages": [text()]},
    )
    assert bad.status_code == 400


def test_planned_failures_and_late_answers(fake_line):
    client = LineClient("test-token", fake_line.base_url, 0.5)
    fake_line.state.fail_next("push", status=503, times=2)
    for _ in range(2):
        with pytest.raises(LineError) as error:
            client.push("Cg", [text()], retry_key=str(uuid.uuid4()))
        assert error.value.transient
    fake_line.state.fail_next("reply", status=0, delay=1.0)
    with pytest.raises(LineError) as error:  # accepted by "LINE", but we stopped waiting
        client.reply("tok-late", [text()])
    assert error.value.status is None and error.value.transient
    assert [r["reply_token"] for r in fake_line.state.wait_for(1)] == ["tok-late"]


def test_group_lookups_have_defaults_and_can_be_set(fake_line):
    client = LineClient("test-token", fake_line.base_url, 2.0)
    assert client.group_member_count("Cg") == 10
    fake_line.state.set_member_count("Cg", 31)
    fake_line.state.set_profile("U1234", "สมชาย ใจดี")
    fake_line.state.set_group_name("Cg", "ITA อปท. สิงห์บุรี")
    assert client.group_member_count("Cg") == 31
    assert client.group_member_name("Cg", "U1234") == "สมชาย ใจดี"
    assert client.group_member_name("Cg", "Uzzzz9876") == "ผู้ใช้ 9876"
    assert client.group_name("Cg") == "ITA อปท. สิงห์บุรี"


def test_deliver_signs_events_for_the_bot(app, fake_line, db):
    import threading

    from sqlalchemy import func, select
    from werkzeug.serving import make_server

    from bot.dev.eventfactory import text_event
    from bot.dev.fake_line import start_fake_line
    from models.queues import InboxEvent

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    relay = start_fake_line(
        webhook_url=f"http://127.0.0.1:{server.server_port}/callback", channel_secret="test-secret"
    )
    try:
        answer = requests.post(
            f"{relay.base_url}/_fake/deliver",
            timeout=5,
            json={"destination": "U0", "events": [text_event("ช่วยเหลือ")]},
        )
        assert answer.json() == {"status": 200}
    finally:
        relay.shutdown()
        server.shutdown()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(InboxEvent)) == 1
