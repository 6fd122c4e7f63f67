"""Optional LINE Login through the stand-in: the ID token's signature, issuer, audience,
expiry and nonce are checked; state must match; a person without a role is refused."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from tests.oit.test_oit_chat import COORDINATOR

SECRET, CHANNEL = "a-login-channel-secret-of-32-bytes!", "1234567890"


@pytest.fixture
def login(app, client, bot, fake_line):
    app.config.update(
        LINE_LOGIN_CHANNEL_ID=CHANNEL, LINE_LOGIN_CHANNEL_SECRET=SECRET,
        LINE_LOGIN_BASE_URL=fake_line.base_url,
    )  # fmt: skip

    def as_user(user_id: str, state: str | None = None):
        requests.post(f"{fake_line.base_url}/_fake/login", json={"user_id": user_id}, timeout=5)
        started = client.get("/web/login")
        assert started.status_code == 302 and "/oauth2/v2.1/authorize?" in started.location
        back = requests.get(started.location, allow_redirects=False, timeout=5)
        path = back.headers["Location"].split("127.0.0.1:8000", 1)[1]
        if state is not None:
            path = path.split("&state=")[0] + f"&state={state}"
        return client.get(path)

    return as_user


def test_a_coordinator_signs_in_with_line(client, login):
    answer = login(COORDINATOR)
    assert answer.status_code == 302 and answer.location.endswith("/web/home")
    assert client.get("/web/home").status_code == 200


def test_the_landing_page_offers_line_login_when_it_is_set_up(client, app):
    app.config.update(LINE_LOGIN_CHANNEL_ID=CHANNEL, LINE_LOGIN_CHANNEL_SECRET=SECRET)
    landing = client.get("/web/")
    assert landing.status_code == 401 and "/web/login" in landing.get_data(as_text=True)


def test_a_wrong_state_or_a_person_without_a_role_is_refused(client, login):
    assert login(COORDINATOR, state="forged").status_code == 400
    assert client.get("/web/home").status_code == 302
    refused = login("Unobody")
    assert refused.status_code == 403 and "ยังไม่มีบทบาท" in refused.get_data(as_text=True)


def token(**changes) -> str:
    now = int(time.time())
    claims = {"iss": "https://access.line.me", "sub": "U1", "aud": CHANNEL, "iat": now,
              "exp": now + 60, "nonce": "n1"} | changes  # fmt: skip
    key = claims.pop("key", SECRET)
    return jwt.encode(claims, key, algorithm="HS256")


def test_the_id_token_is_checked_claim_by_claim(app):
    from bot.web.line_login import verified_user

    app.config.update(LINE_LOGIN_CHANNEL_ID=CHANNEL, LINE_LOGIN_CHANNEL_SECRET=SECRET)
    with app.app_context():
        assert verified_user(token(), "n1") == "U1"
        assert verified_user(token(), "other nonce") is None
        assert verified_user(token(aud="someone-else"), "n1") is None
        assert verified_user(token(iss="https://evil.example"), "n1") is None
        assert verified_user(token(exp=int(time.time()) - 600), "n1") is None
        assert verified_user(token(key="another-secret-also-32-bytes-long!"), "n1") is None


def test_real_line_login_goes_to_lines_own_hosts(client, app):
    app.config.update(LINE_LOGIN_CHANNEL_ID=CHANNEL, LINE_LOGIN_CHANNEL_SECRET=SECRET)
    app.config.pop("LINE_LOGIN_BASE_URL", None)
    started = client.get("/web/login")
    assert started.location.startswith("https://access.line.me/oauth2/v2.1/authorize?")


def test_without_line_login_settings_the_route_says_so(client, app):
    app.config.update(LINE_LOGIN_CHANNEL_ID="", LINE_LOGIN_CHANNEL_SECRET="")
    assert client.get("/web/login").status_code == 404
