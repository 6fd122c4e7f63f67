"""Optional LINE Login (OpenID Connect), for people who bookmark the pages: when
LINE_LOGIN_CHANNEL_ID and _SECRET are set (the stand-in serves it offline). The ID token is
verified for issuer, audience, expiry and the nonce this session sent. The LINE Login channel
must be under the same provider as the bot's channel, or the user ids differ."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import jwt
import requests
from flask import Blueprint, current_app, redirect, request, session, url_for

from bot.db import get_db
from bot.web.session import page, start
from models.registry import roles

blueprint = Blueprint("web_login", __name__, url_prefix="/web")
ISSUER = "https://access.line.me"
AUTHORIZE, TOKEN = "https://access.line.me", "https://api.line.me"
FAILED = "เข้าสู่ระบบด้วย LINE ไม่สำเร็จ ลองอีกครั้ง หรือพิมพ์ เว็บ ในแชตส่วนตัวกับบอทเพื่อรับลิงก์"


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("LINE_LOGIN_CHANNEL_ID") and config.get("LINE_LOGIN_CHANNEL_SECRET"))


def _callback_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("web_login.callback")


@blueprint.get("/login")
def login():
    if not enabled():
        return page("problem.html", 404, text="ยังไม่ได้ตั้งค่า LINE Login: พิมพ์ เว็บ ในแชตส่วนตัวกับบอท")
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session["login"] = {"state": state, "nonce": nonce}
    base = current_app.config.get("LINE_LOGIN_BASE_URL") or AUTHORIZE
    query = {
        "response_type": "code", "client_id": current_app.config["LINE_LOGIN_CHANNEL_ID"],
        "redirect_uri": _callback_url(), "state": state, "scope": "openid profile",
        "nonce": nonce,
    }  # fmt: skip
    return redirect(f"{base.rstrip('/')}/oauth2/v2.1/authorize?{urlencode(query)}")


def verified_user(id_token: str, nonce: str) -> str | None:
    """The LINE user id of a valid ID token (signature, issuer, audience, expiry, nonce)."""
    config = current_app.config
    try:
        claims = jwt.decode(
            id_token, config["LINE_LOGIN_CHANNEL_SECRET"], algorithms=["HS256"],
            audience=config["LINE_LOGIN_CHANNEL_ID"], issuer=ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )  # fmt: skip
    except jwt.InvalidTokenError:
        return None
    if not nonce or not secrets.compare_digest(
        str(claims.get("nonce", "")).encode(), nonce.encode()
    ):
        return None
    return claims["sub"]


@blueprint.get("/login/callback")
def callback():
    sent = session.pop("login", None) or {}
    state = request.args.get("state", "")
    expected = sent.get("state", "").encode()
    if not enabled() or not sent or not secrets.compare_digest(state.encode(), expected):
        return page("problem.html", 400, text=FAILED)
    config = current_app.config
    base = config.get("LINE_LOGIN_BASE_URL") or TOKEN
    form = {
        "grant_type": "authorization_code", "code": request.args.get("code", "")[:200],
        "redirect_uri": _callback_url(), "client_id": config["LINE_LOGIN_CHANNEL_ID"],
        "client_secret": config["LINE_LOGIN_CHANNEL_SECRET"],
    }  # fmt: skip
    try:
        answer = requests.post(
            f"{base.rstrip('/')}/oauth2/v2.1/token", data=form,
            timeout=config["LINE_TIMEOUT_SECONDS"],
        )  # fmt: skip
        id_token = answer.json().get("id_token", "") if answer.ok else ""
    except (requests.RequestException, ValueError):
        id_token = ""
    user = verified_user(id_token, sent.get("nonce", "")) if id_token else None
    if user is None:
        return page("problem.html", 400, text=FAILED)
    with get_db().session() as db:
        who = roles.person(db, user)
        allowed = roles.coordinator_provinces(db, who) or roles.admin_agencies(db, who)
        if allowed:
            roles.audit(db, user, "web.sign_in", via="line_login")
    if not allowed:
        return page("problem.html", 403, text="บัญชี LINE นี้ยังไม่มีบทบาทผู้ประสานงานหรือแอดมินหน่วยงาน")
    start(user)
    return redirect(url_for("web_overview.home"))
