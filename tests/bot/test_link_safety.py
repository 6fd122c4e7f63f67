"""The link checker against hostile servers and addresses: one deadline, no wrapped private IPs."""

from __future__ import annotations

import ipaddress
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot import link_jobs
from bot.dev.eventfactory import text_event
from bot.link_fetch import fetch
from bot.link_jobs import LinkChecker
from models.oit import LinkCheck
from models.oit.link_verdict import DEAD, UNCHECKED, Fetched, verdict
from models.oit.url_rules import is_public_address, url_problem
from tests.oit.test_oit_chat import LOCAL

TIMEOUT = 2.0
DRIP_SECONDS = 30  # the server gives up by then, so the old code fails instead of hanging


class Drip(BaseHTTPRequestHandler):
    """Sends one byte a second: of the body, of a header line, or a redirect after a pause."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if self.path == "/body":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._drip()
        elif self.path == "/headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._drip()
        elif self.path == "/bad-port":
            self.send_response(302)
            self.send_header("Location", "http://drip.test:99999/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/crawl":  # each hop is quick enough alone, not six in a row
            self.server.stop.wait(0.6)
            self.send_response(302)
            self.send_header("Location", "/crawl")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def _drip(self):
        for _ in range(DRIP_SECONDS):
            try:
                self.wfile.write(b"x")
            except OSError:
                return
            if self.server.stop.wait(1.0):
                return


@pytest.fixture
def drip():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://drip.test:{server.server_port}"
    server.stop.set()
    server.shutdown()
    server.server_close()


def check(url):
    page = fetch(url, timeout=TIMEOUT, trusted={"drip.test": "127.0.0.1"})
    return page, verdict(page, 2570)


# Item 13: one wall-clock deadline for the whole check.


def test_a_body_sent_a_byte_a_second_ends_at_the_deadline(drip):
    page, (outcome, _) = check(f"{drip}/body")
    assert page.error == "timeout" and outcome == UNCHECKED


def test_headers_sent_a_byte_a_second_end_at_the_deadline(drip):
    page, (outcome, _) = check(f"{drip}/headers")
    assert page.error == "timeout" and outcome == UNCHECKED


def test_redirect_hops_share_one_deadline(drip):
    page, (outcome, _) = check(f"{drip}/crawl")
    assert page.error == "timeout" and outcome == UNCHECKED


def test_a_resolver_that_never_answers_ends_at_the_deadline(monkeypatch):
    released = threading.Event()

    def stuck(*args, **kwargs):
        released.wait(DRIP_SECONDS)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    try:
        page = fetch("http://slow-dns.example.go.th/", timeout=TIMEOUT)
    finally:
        released.set()
    assert page.error == "timeout"


def test_a_closed_port_is_a_connection_failure_not_a_slow_site():
    """urllib3's NewConnectionError is a ConnectTimeoutError: it must not read as slowness."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    page, (outcome, note) = check(f"http://drip.test:{port}/")
    assert page.error == "connect" and outcome == UNCHECKED and "ช้า" not in note


def test_a_redirect_to_a_bad_port_is_a_verdict_not_a_crash(drip):
    page, (outcome, _) = check(f"{drip}/bad-port")
    assert page.error == "connect" and outcome == UNCHECKED


def test_each_row_is_leased_afresh_before_its_fetch(
    runner, app, db, post_events, worker, monkeypatch
):
    """A batch is checked row by row: the last must still be leased when its turn comes."""
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"])
    base = "https://www.bangrachan-sao.go.th"
    lines = "\n".join(f"O{n} {base}/page{n}" for n in range(1, 5))
    post_events(text_event(lines, group_id=LOCAL, user_id="Uadmin01"))
    worker.run_once()
    clock = [link_jobs.utcnow()]
    monkeypatch.setattr(link_jobs, "utcnow", lambda: clock[0])
    spare = []

    def slow_fetch(url, timeout, **kwargs):
        with db.session() as session:
            row = session.scalars(select(LinkCheck).where(LinkCheck.url == url)).one()
            spare.append((row.lease_until - clock[0]).total_seconds())
        clock[0] += timedelta(seconds=timeout * 4)  # far slower than any real check may be
        return Fetched(final_url=url, error="timeout")

    monkeypatch.setattr(link_jobs, "fetch", slow_fetch)
    assert LinkChecker(app).check_due() == 4
    timeout = app.config["LINK_CHECK_TIMEOUT_SECONDS"]
    assert len(spare) == 4 and all(seconds > timeout for seconds in spare), spare


# Item 14: an IPv4 address wrapped in IPv6 is judged by the IPv4 address.

ADDRESSES = [
    ("8.8.8.8", True),
    ("2606:4700:4700::1111", True),
    ("127.0.0.1", False),
    ("10.1.2.3", False),
    ("100.64.0.1", False),
    ("224.0.0.1", False),
    ("::1", False),
    ("fe80::1%eth0", False),
    ("fd00::1", False),
    ("ff0e::1", False),
    # IPv4-mapped ::ffff:a.b.c.d
    ("::ffff:127.0.0.1", False),
    ("::ffff:192.168.1.1", False),
    ("::ffff:8.8.8.8", True),
    # IPv4-translated ::ffff:0:a.b.c.d
    ("::ffff:0:127.0.0.1", False),
    ("::ffff:0:10.0.0.1", False),
    ("::ffff:0:8.8.8.8", True),
    # IPv4-compatible ::a.b.c.d
    ("::127.0.0.1", False),
    ("::169.254.169.254", False),
    ("::8.8.8.8", True),
    # NAT64 well-known prefix 64:ff9b::/96
    ("64:ff9b::7f00:1", False),
    ("64:ff9b::169.254.169.254", False),
    ("64:ff9b::8.8.8.8", True),
    # NAT64 local-use prefix 64:ff9b:1::/48: refused whatever follows
    ("64:ff9b:1::7f00:1", False),
    ("64:ff9b:1::808:808", False),
    # 6to4 2002:aabb:ccdd::/48
    ("2002:7f00:1::1", False),
    ("2002:c0a8:101:5::1", False),
    ("2002:808:808::1", True),
    # Teredo 2001:0:server:flags:port:~client: refused whatever it wraps
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # client 127.0.0.1
    ("2001:0:7f00:1:8000:63bf:f7f7:f7f7", False),  # server 127.0.0.1
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", False),  # both public
]


@pytest.mark.parametrize("address, public", ADDRESSES)
def test_is_public_address(address, public):
    assert is_public_address(address) is public


def wrappings(ipv4: ipaddress.IPv4Address) -> dict[str, ipaddress.IPv6Address]:
    """Every IPv6 form that carries an IPv4 address, built bit by bit."""
    n, public = int(ipv4), int(ipaddress.IPv4Address("8.8.8.8"))
    teredo = 0x2001_0000 << 96
    return {
        "mapped": ipaddress.IPv6Address(0xFFFF << 32 | n),
        "translated": ipaddress.IPv6Address(0xFFFF << 48 | n),
        "compatible": ipaddress.IPv6Address(n),
        "nat64": ipaddress.IPv6Address(0x0064_FF9B << 96 | n),
        "6to4": ipaddress.IPv6Address(0x2002 << 112 | n << 80 | 1),
        "teredo client": ipaddress.IPv6Address(teredo | public << 64 | (n ^ 0xFFFF_FFFF)),
        "teredo server": ipaddress.IPv6Address(teredo | n << 64 | (public ^ 0xFFFF_FFFF)),
    }


def test_wrappings_are_built_right():
    loopback = ipaddress.IPv4Address("127.0.0.1")
    forms = wrappings(loopback)
    assert forms["mapped"].ipv4_mapped == loopback and forms["6to4"].sixtofour == loopback
    assert forms["teredo client"].teredo[1] == loopback
    assert forms["teredo server"].teredo[0] == loopback
    assert str(forms["nat64"]) == "64:ff9b::7f00:1"


@given(st.ip_addresses(v=4).filter(lambda ip: not ip.is_global))
def test_every_ipv6_wrapping_of_a_non_global_ipv4_is_refused(ipv4):
    for form, address in wrappings(ipv4).items():
        assert not is_public_address(str(address)), (form, str(address))


def test_a_name_resolving_to_nat64_loopback_is_refused_without_connecting(monkeypatch):
    answers = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::7f00:1", 80, 0, 0))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    attempts = []

    def record(sock, address):
        attempts.append(address)
        raise OSError("no connection in this test")

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket.socket, "connect_ex", record)
    page = fetch("http://nat64.example.go.th/x", timeout=TIMEOUT)
    assert page.error == "private" and verdict(page, 2570)[0] == DEAD
    assert attempts == []


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "::ffff:0:7f00:1", "2002:7f00:1::1"])
def test_wrapped_address_literals_are_refused_at_submit(address):
    assert url_problem(f"http://[{address}]/x") is not None
