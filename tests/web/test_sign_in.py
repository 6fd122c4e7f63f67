"""Signing in through the bot: `เว็บ` one-to-one only, a link LINE's preview cannot use up, one
use, ten minutes, CSRF on every form, sessions that end, roles re-read on every request."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from models.registry import SignInToken
from tests.oit.test_oit_chat import COORDINATOR, LOCAL

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"(https?://\S+/web/sign-in\?t=(\S+))")


def link_for(bot, user_id=COORDINATOR) -> tuple[str, str]:
    found = LINK.search(bot("เว็บ", user_id))
    assert found, "one-to-one, a coordinator gets a sign-in link"
    return found.group(1).split("127.0.0.1:8000", 1)[-1], found.group(2)


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()


def signed_in(client, bot, user_id=COORDINATOR):
    path, token = link_for(bot, user_id)
    page = client.get(path)
    response = client.post("/web/sign-in", data={"token": token, "csrf": csrf_of(page.data)})
    assert response.status_code == 302 and response.location.endswith("/web/home")
    return token


def test_a_group_gets_no_link_and_a_stranger_no_link(bot):
    in_group = bot("เว็บ", COORDINATOR, LOCAL)
    assert "แชตส่วนตัว" in in_group and "http" not in in_group
    assert "http" not in bot("แดชบอร์ด", "Ustranger") and "ผู้ประสานงาน" in bot("เว็บ", "Ustranger")


def test_opening_the_link_does_not_use_it_and_the_post_does_once(client, bot, db):
    path, token = link_for(bot)
    for _ in range(2):  # LINE's preview, then the person
        page = client.get(path)
        assert page.status_code == 200 and "เข้าสู่ระบบ" in page.get_data(as_text=True)
    with db.session() as session:
        assert session.query(SignInToken).one().used_at is None
    refused = client.post("/web/sign-in", data={"token": token})
    assert refused.status_code == 400, "no CSRF token, nothing happens"
    with db.session() as session:
        assert session.query(SignInToken).one().used_at is None
    assert (
        client.post("/web/sign-in", data={"token": token, "csrf": csrf_of(page.data)}).status_code
        == 302
    )
    home = client.get("/web/home").get_data(as_text=True)
    assert "จังหวัด" in home and "ยังขาดมากที่สุด" in home
    again = client.get(path)
    assert again.status_code == 410 and "ใช้ไปแล้ว" in again.get_data(as_text=True)


def test_a_link_older_than_ten_minutes_is_refused(client, bot, db):
    path, _ = link_for(bot)
    with db.session() as session:
        row = session.query(SignInToken).one()
        row.created_at -= dt.timedelta(minutes=11)
    answer = client.get(path)
    assert answer.status_code == 410 and "หมดอายุ" in answer.get_data(as_text=True)
    assert client.get("/web/sign-in?t=nonsense").status_code == 404


def test_pages_need_a_session_and_it_ends_idle_or_long(client, bot, monkeypatch):
    assert client.get("/web/home").status_code == 302
    signed_in(client, bot)
    assert client.get("/web/home").status_code == 200
    import bot.web.session as web_session

    now = web_session.time.time()
    monkeypatch.setattr(web_session.time, "time", lambda: now + 2 * 3600 + 5)
    assert client.get("/web/home").status_code == 302, "two hours idle"


def test_a_session_ends_after_eight_hours_however_busy(client, bot, monkeypatch):
    import bot.web.session as web_session

    signed_in(client, bot)
    start, clock = web_session.time.time(), [0.0]
    monkeypatch.setattr(web_session.time, "time", lambda: start + clock[0])
    for hour in range(1, 8):  # a click every hour: never idle
        clock[0] = hour * 3600
        assert client.get("/web/home").status_code == 200
    clock[0] = 8 * 3600 + 60
    assert client.get("/web/home").status_code == 302, "eight hours after signing in"


def test_a_revoked_coordinator_is_out_on_the_next_click(client, bot, runner, db):
    signed_in(client, bot)
    from models.registry import RoleGrant

    with db.session() as session:
        for grant in session.query(RoleGrant).all():
            grant.status = "revoked"
    assert client.get("/web/home").status_code == 302


def test_an_admin_sees_their_own_agency_only(client, bot):
    signed_in(client, bot, "Uadmin01")
    home = client.get("/web/home").get_data(as_text=True)
    assert "ตรวจผ่าน" in home and "ยังขาดมากที่สุด" not in home, "no province overview"


def test_sign_out_needs_the_form_token_and_ends_the_session(client, bot):
    signed_in(client, bot)
    page = client.get("/web/home")
    assert client.post("/web/sign-out").status_code == 400
    assert client.post("/web/sign-out", data={"csrf": csrf_of(page.data)}).status_code == 200
    assert client.get("/web/home").status_code == 302


def test_headers_forbid_inline_code_and_referers_and_cookies_are_guarded(client, bot, say):
    path, _ = link_for(bot)
    page = client.get(path)
    policy = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert page.headers["Referrer-Policy"] == "no-referrer"
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    signed_in(client, bot)
    for url in ("/web/home", "/web/review", "/web/matrix", "/web/waiting", path):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html and " hx-on" not in html, url
    assert '"includeIndicatorStyles": false' in client.get("/web/review").get_data(as_text=True)


def test_the_token_never_reaches_the_access_log(tmp_path):
    """gunicorn as the Procfile runs it: the request line is logged without its query string."""
    import shlex
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    command = (ROOT / "Procfile").read_text().split("web:", 1)[1].splitlines()[0]
    fmt = shlex.split(command)[shlex.split(command).index("--access-logformat") + 1]
    assert fmt in (ROOT / "bot" / "dev" / "serve.py").read_text(), "make run logs the same way"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite3",
           "LOCAL_LINE_SECRET_FILE": str(tmp_path / "secret"), "FAKE_LINE_PORT": "9"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
         "--access-logfile", "-", "--access-logformat", fmt, "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/web/sign-in?t=SECRETTOKEN42")
                break
            except urllib.error.HTTPError:
                break  # any answer: the request was served and logged
            except OSError:
                time.sleep(0.3)
        time.sleep(0.5)
    finally:
        server.terminate()
        log = server.communicate(timeout=20)[0].decode()
    assert '"GET /web/sign-in"' in log, log[-500:]
    assert "SECRETTOKEN42" not in log
