"""Background link checks against a local server: outcomes, limits and the private-address rule."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from bot import link_fetch
from bot.dev.eventfactory import text_event
from bot.link_fetch import fetch
from bot.link_jobs import LinkChecker
from models.oit import LinkCheck
from models.oit.link_verdict import (
    DEAD,
    LOGIN,
    OK,
    UNCHECKED,
    UNREACHABLE,
    WRONG_YEAR,
    Fetched,
    verdict,
)
from tests.oit.test_oit_chat import LOCAL

PAGE = "<html><head><title>{title}</title></head><body>{body}</body></html>"


class Site(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        html = ("Content-Type", "text/html; charset=utf-8")
        routes = {
            "/ok": (200, PAGE.format(title="แผนปี ๒๕๗๐", body="ปีงบประมาณ พ.ศ. ๒๕๗๐"), [html]),
            "/old": (200, PAGE.format(title="แผน", body="ข้อมูลปี 2568 และ 2567"), [html]),
            "/gone": (404, "not here", [html]),
            "/blocked": (403, "no bots", [html]),
            "/loop": (302, "", [("Location", "/loop")]),
            "/hop": (301, "", [("Location", "/ok")]),
            "/inside": (302, "", [("Location", "http://10.20.30.40/admin")]),
            "/login": (302, "", [("Location", "/signin?next=/x")]),
            "/signin": (200, PAGE.format(title="เข้าสู่ระบบ", body="<input type=password>"), [html]),
        }
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(1.5)
            return self._send(200, b"late")
        if path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(200):  # 20 MB offered; the checker stops at its cap
                try:
                    self.wfile.write(b"x" * 100_000)
                except OSError:
                    return
            return
        status, body, headers = routes.get(path, (404, "", []))
        self._send(status, body.encode(), headers)


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://agency.test:{server.server_port}"
    server.shutdown()


TRUSTED = {"agency.test": "127.0.0.1"}


def check(url, year=2570):
    page = fetch(url, timeout=0.8, max_bytes=200_000, trusted=TRUSTED)
    return page, verdict(page, year)


def test_a_good_page_is_ok_and_its_title_recorded(site):
    page, (outcome, _) = check(f"{site}/ok")
    assert outcome == OK and page.status == 200 and "๒๕๗๐" in page.body


def test_outcomes(site):
    assert check(f"{site}/gone")[1][0] == DEAD
    assert check(f"{site}/blocked")[1][0] == UNCHECKED
    assert check(f"{site}/old")[1] == (
        WRONG_YEAR,
        "หน้านี้กล่าวถึงปี 2567, 2568 แต่ข้อนี้ต้องเป็นข้อมูลปี 2570",
    )
    assert check(f"{site}/login")[1][0] == LOGIN
    hop, (outcome, _) = check(f"{site}/hop")
    assert outcome == OK and hop.final_url.endswith("/ok")


def test_redirect_loop_stops_after_five_hops(site):
    page, (outcome, _) = check(f"{site}/loop")
    assert page.error == "redirects" and outcome == UNCHECKED


def test_redirect_to_a_private_address_is_never_followed(site, monkeypatch):
    connects = []
    monkeypatch.setattr(link_fetch, "_get", _spy(link_fetch._get, connects))
    page, (outcome, _) = check(f"{site}/inside")
    assert page.error == "private" and outcome == DEAD
    assert connects == ["127.0.0.1"], "only the public first hop was connected to"


def _spy(real, seen):
    def spy(url, address, *args):
        seen.append(address)
        return real(url, address, *args)

    return spy


def test_huge_body_is_capped_and_slow_server_times_out(site):
    page, _ = check(f"{site}/huge")
    assert page.status == 200 and len(page.body) <= 200_000
    page, (outcome, _) = check(f"{site}/slow")
    assert page.error == "timeout" and outcome == UNCHECKED


def test_a_name_that_resolves_to_any_private_address_is_refused(monkeypatch):
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.9", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    assert fetch("http://rebind.example.go.th/x").error == "private"


def test_dns_failure_is_unreachable_once_and_dead_when_it_failed_before(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    page = fetch("http://no-such-agency.go.th/")
    assert page.error == "dns" and verdict(page, 2570)[0] == UNREACHABLE
    assert verdict(page, 2570, failed_before=True)[0] == DEAD


@pytest.mark.parametrize(
    "body, year, expected",
    [
        ("แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๙", 2570, WRONG_YEAR),
        ("แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2570 (ฉบับปรับปรุง ๒๕๖๙)", 2570, OK),
        ("รายงานผลการดำเนินงาน ปี 2569", 2569, OK),
        ("ข่าวประชาสัมพันธ์ ไม่มีปี", 2570, OK),
        ("© 2024 สงวนลิขสิทธิ์ โทร 0 2555 1234", 2570, OK),
    ],
)
def test_year_on_real_style_pages(body, year, expected):
    page = Fetched(200, "https://x.go.th/", "text/html", PAGE.format(title="t", body=body))
    assert verdict(page, year)[0] == expected


def test_checks_run_in_the_background_and_are_told_to_the_agency(
    runner, app, db, post_events, worker, fake_line, site
):
    port = site.rsplit(":", 1)[1]
    app.config["LINK_CHECK_TEST_HOSTS"] = {"www.bangrachan-sao.go.th": "127.0.0.1"}
    app.config["LINK_CHECK_TIMEOUT_SECONDS"] = 1.0
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"])
    base = f"http://www.bangrachan-sao.go.th:{port}"
    post_events(text_event(f"O1 {base}/ok\nO2 {base}/gone", group_id=LOCAL, user_id="Uadmin01"))
    worker.run_once()
    with db.session() as session:
        assert session.scalars(select(LinkCheck.status)).all() == ["pending", "pending"]
    assert LinkChecker(app).check_due() == 2
    with db.session() as session:
        rows = session.execute(select(LinkCheck.url, LinkCheck.verdict, LinkCheck.title)).all()
    assert sorted(r[1] for r in rows) == [DEAD, OK]
    post_events(text_event(f"O3 {base}/ok", group_id=LOCAL, user_id="Uadmin01"))
    worker.run_once()
    assert "O2 ลิงก์เสีย" in fake_line.state.sent[-1]["messages"][0]["text"]
    result = runner.invoke(args=["links", "recheck", "--province", "สิงห์บุรี"])
    assert "3 ลิงก์" in result.output
