"""A socket guard for the suite: only loopback and unix sockets may be reached."""

from __future__ import annotations

import ipaddress
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(RuntimeError):
    """Raised when a test tries to reach anything but this machine."""


def check_address(address) -> None:
    if isinstance(address, str | bytes):  # a unix socket
        return
    host = address[0]
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        if host == "localhost":
            return
    raise NetworkBlocked(f"tests may not reach {host!r}: only loopback is allowed")


def _guarded_connect(self, address):
    check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    check_address(address)
    return _real_connect_ex(self, address)


def install() -> None:
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
