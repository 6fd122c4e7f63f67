"""The LINE client's friendship, bot-info and quota calls, against the stand-in, which answers
as LINE does: 404 for a non-friend's one-to-one profile, usage counted once per recipient."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.dev.fake_line import (  # the import path from before the split
    FakeLineState,
    start_fake_line,
    utf16_len,
    validate_messages,
)
from bot.line_client import LineClient, LineError, add_friend_url

TEXT = [{"type": "text", "text": "สวัสดี"}]


@pytest.fixture
def client(fake_line):
    return LineClient("test-token", fake_line.base_url, 2.0)


def test_is_friend_200_404_and_other_failures(client, fake_line):
    fake_line.state.set_profile("Ufriend", "สมชาย")
    fake_line.state.set_friend("Ufriend", True)
    assert client.is_friend("Ufriend") is True
    assert client.friend_name("Ufriend") == "สมชาย"
    fake_line.state.set_friend("Ustranger", False)
    assert client.is_friend("Ustranger") is False
    assert client.friend_name("Ustranger") is None
    fake_line.state.fail_next("profile", status=500)
    with pytest.raises(LineError) as error:
        client.is_friend("Ufriend")
    assert error.value.status == 500 and error.value.transient


def test_the_group_member_profile_answers_for_non_friends_too(client, fake_line):
    fake_line.state.set_friend("Ustranger", False)
    fake_line.state.set_profile("Ustranger", "สมศรี")
    assert client.group_member_name("Cg", "Ustranger") == "สมศรี"
    with pytest.raises(LineError) as error:
        client.profile_name("Ustranger")
    assert error.value.status == 404


def test_basic_id_and_the_add_friend_link(client, fake_line):
    assert client.basic_id() == "@itabot"
    fake_line.state.basic_id = "@123abcd"
    assert client.basic_id() == "@123abcd"
    assert add_friend_url("@123abcd") == "https://line.me/R/ti/p/%40123abcd"
    fake_line.state.fail_next("info", status=503)
    with pytest.raises(LineError):
        client.basic_id()


def test_quota_and_consumption(client, fake_line):
    assert client.message_quota() == 300 and client.quota_consumption() == 0
    fake_line.state.quota_limit = None
    assert client.message_quota() is None
    fake_line.state.add_usage(7)
    assert client.quota_consumption() == 7
    fake_line.state.fail_next("quota", status=500)
    with pytest.raises(LineError):
        client.quota_consumption()


def test_consumption_counts_each_recipient_and_replies_are_free(client, fake_line):
    fake_line.state.set_member_count("Cbig", 31)
    client.push("Cbig", TEXT * 3, retry_key=str(uuid.uuid4()))  # 3 bubbles, 31 recipients
    client.push("Csmall", TEXT, retry_key=str(uuid.uuid4()))  # the count endpoint's 10
    client.push("Uone", TEXT * 2, retry_key=str(uuid.uuid4()))
    client.reply("tok-1", TEXT)
    assert client.quota_consumption() == 31 + 10 + 1
    key = str(uuid.uuid4())
    client.push("Uone", TEXT, retry_key=key)
    with pytest.raises(LineError):  # the same retry key: accepted once, counted once
        client.push("Uone", TEXT, retry_key=key)
    fake_line.state.fail_next("push", status=500)
    with pytest.raises(LineError):  # refused: not counted
        client.push("Cbig", TEXT, retry_key=str(uuid.uuid4()))
    assert client.quota_consumption() == 31 + 10 + 1 + 1


def test_a_planned_any_failure_leaves_the_read_endpoints_alone(client, fake_line):
    fake_line.state.set_friend("Ufriend", True)
    fake_line.state.fail_next()  # "any": reply and push only, as before
    assert client.is_friend("Ufriend") and client.basic_id() and client.message_quota() == 300
    with pytest.raises(LineError):
        client.push("Uone", TEXT, retry_key=str(uuid.uuid4()))


def test_control_endpoints_set_friendship_and_quota(client, fake_line):
    base = fake_line.base_url
    requests.post(f"{base}/_fake/friends", json={"user_id": "Ux", "is_friend": False}, timeout=5)
    assert client.is_friend("Ux") is False
    requests.post(f"{base}/_fake/friends", json={"user_id": "Ux", "is_friend": True}, timeout=5)
    assert client.is_friend("Ux") is True
    answer = requests.post(f"{base}/_fake/quota", json={"limit": 500, "add_usage": 12}, timeout=5)
    assert answer.json() == {"ok": True, "limit": 500, "used": 12}
    assert client.message_quota() == 500 and client.quota_consumption() == 12
    requests.post(f"{base}/_fake/quota", json={"limit": None}, timeout=5)
    assert client.message_quota() is None
    requests.post(f"{base}/_fake/reset", timeout=5)
    assert client.message_quota() == 300 and client.quota_consumption() == 0


def test_the_split_stand_in_keeps_its_import_path():
    assert FakeLineState().is_friend("Uanyone") is False  # as on LINE, until they add the bot
    assert utf16_len("😀") == 2 and validate_messages([]) != []


def test_nobody_is_a_friend_by_default_and_delivered_follow_events_change_that(client, fake_line):
    assert fake_line.state.default_friend is False
    assert client.is_friend("Unamed") is False
    fake_line.state.learn_friendship(
        [
            {"type": "follow", "source": {"type": "user", "userId": "Unamed"}},
            {"type": "unfollow", "source": {"type": "user", "userId": "Ugone"}},
            {"type": "message", "source": {"type": "user", "userId": "Uother"}},
        ]
    )
    assert client.is_friend("Unamed") is True
    requests.post(f"{fake_line.base_url}/_fake/friends", json={"default": True}, timeout=5)
    assert client.is_friend("Ugone") is False and client.is_friend("Uother") is True


def test_follow_events_delivered_through_the_stand_in_make_friends(fake_line):
    relay = start_fake_line(
        webhook_url=f"{fake_line.base_url}/_fake/reset",  # any loopback endpoint taking a POST
        channel_secret="test-secret",
    )
    try:
        relay.state.default_friend = False
        events = [{"type": "follow", "source": {"type": "user", "userId": "Ufollower"}}]
        deliver = f"{relay.base_url}/_fake/deliver"
        answer = requests.post(deliver, json={"events": events}, timeout=5)
        assert answer.json() == {"status": 200}
        assert relay.state.is_friend("Ufollower") and not relay.state.is_friend("Uother")
    finally:
        relay.shutdown()
