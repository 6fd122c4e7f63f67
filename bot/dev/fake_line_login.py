"""LINE Login (OpenID Connect) in the stand-in, so the whole sign-in flow runs offline and in
tests: /authorize logs in as the user a test (or the developer) chose, /token gives an ID token
signed, as LINE does for web login, with HS256 and the login channel's secret."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

import jwt
from flask import Flask, jsonify, redirect, request

from bot.dev.fake_line_state import FakeLineState

ISSUER = "https://access.line.me"


def register_login(app: Flask, state: FakeLineState) -> None:
    codes: dict[str, dict] = {}

    @app.get("/oauth2/v2.1/authorize")
    def authorize():
        user = state.login_user
        if user is None:
            return 'LINE จำลอง: ยังไม่ได้เลือกผู้ใช้ (POST /_fake/login {"user_id": "U…"})', 400
        code = secrets.token_urlsafe(16)
        codes[code] = {
            "user": user, "nonce": request.args.get("nonce"),
            "client_id": request.args.get("client_id"),
            "redirect_uri": request.args.get("redirect_uri"),
        }  # fmt: skip
        back = {"code": code, "state": request.args.get("state", "")}
        return redirect(f"{request.args.get('redirect_uri')}?{urlencode(back)}")

    @app.post("/oauth2/v2.1/token")
    def token():
        found = codes.pop(request.form.get("code", ""), None)
        if found is None or found["redirect_uri"] != request.form.get("redirect_uri"):
            return jsonify(error="invalid_grant"), 400
        if found["client_id"] != request.form.get("client_id"):
            return jsonify(error="invalid_client"), 400
        now = int(time.time())
        claims = {
            "iss": ISSUER, "sub": found["user"], "aud": found["client_id"], "iat": now,
            "exp": now + 3600, "nonce": found["nonce"], "name": "ผู้ใช้ทดสอบ",
        }  # fmt: skip
        signed = jwt.encode(claims, request.form.get("client_secret", ""), algorithm="HS256")
        return jsonify(access_token="fake", token_type="Bearer", expires_in=3600, id_token=signed)

    @app.post("/_fake/login")
    def login_as():
        state.login_user = (request.get_json(silent=True) or {}).get("user_id")
        return jsonify(login_user=state.login_user)
