"""The suite itself refuses to reach anything but this machine."""

from __future__ import annotations

import socket

import pytest

from tests.netguard import NetworkBlocked


def test_a_public_address_is_refused_before_any_packet():
    with pytest.raises(NetworkBlocked), socket.create_connection(("203.0.113.7", 443), timeout=1):
        pass


def test_the_line_sdk_is_stopped_too():
    from bot.line_client import LineClient

    client = LineClient("token", "https://203.0.113.7", 1.0)
    with pytest.raises(NetworkBlocked):
        client.group_member_count("Cg")


def test_loopback_is_allowed(fake_line):
    host, port = fake_line.base_url.removeprefix("http://").split(":")
    socket.create_connection((host, int(port)), timeout=1).close()
