"""The web face: sign-in through the bot (`เว็บ` one-to-one), then server-rendered pages for
coordinators and agency admins. No inline scripts or styles (the CSP forbids them), a CSRF token
on every form, sessions that end after 8 hours or 2 idle ones, roles re-checked on every request."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from bot.web import line_login, matrix, oit_form, overview, review, session, signin, waiting
from bot.web.session import page
from models.oit.report import link_secret

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def secure_headers(response):
    """Every web page: the CSP, no sniffing, no framing, and no Referer (a sign-in address must
    never travel to another site)."""
    if request.path.startswith("/web"):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def in_thai(error: HTTPException):
    """A refusal on a web page is a Thai page; elsewhere (the webhook) the usual answer."""
    if not request.path.startswith("/web"):
        return error
    known = error.description if error.description and not error.description.isascii() else None
    return page("problem.html", error.code or 500, text=known or "ไม่พบหน้านี้หรือทำรายการนี้ไม่ได้")


def compressed(response):
    """Web pages are sent compressed (a 250-agency matrix: 585 KB of HTML, 28 KB gzipped, by
    bench/web_pages.py); the webhook's tiny answers are left alone."""
    if request.path.startswith("/web"):
        return COMPRESS.after_request(response)
    return response


COMPRESS = Compress()


def init_app(app: Flask) -> None:
    app.secret_key = link_secret(app.config.get("SECRET_KEY"), app.config["LINE_CHANNEL_SECRET"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=urlparse(app.config["PUBLIC_BASE_URL"]).scheme == "https",
        SESSION_COOKIE_NAME="ita_web",
    )
    app.register_blueprint(session.blueprint)
    app.register_blueprint(signin.blueprint)
    app.register_blueprint(overview.blueprint)
    app.register_blueprint(review.blueprint)
    app.register_blueprint(oit_form.blueprint)
    app.register_blueprint(matrix.blueprint)
    app.register_blueprint(waiting.blueprint)
    app.register_blueprint(line_login.blueprint)
    app.register_error_handler(HTTPException, in_thai)
    app.after_request(secure_headers)
    app.config.setdefault("COMPRESS_REGISTER", False)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    COMPRESS.init_app(app)
    app.after_request(compressed)
