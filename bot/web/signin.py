"""Signing in with the bot's link: GET only shows a button (LINE's servers open links to build
previews, and that must not use the link up); the POST uses the token and starts the session."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for

from bot.db import get_db
from bot.web.session import check_csrf, current, page, start
from models.base import utcnow
from models.registry import roles, sign_in

blueprint = Blueprint("web_signin", __name__, url_prefix="/web")
PROBLEM = {
    sign_in.UNKNOWN: "ลิงก์นี้ไม่ถูกต้อง โปรดคัดลอกลิงก์จากแชตกับบอทให้ครบ "
    "หรือพิมพ์ เว็บ ในแชตส่วนตัวกับบอทเพื่อขอลิงก์ใหม่",
    sign_in.USED: "ลิงก์นี้ใช้ไปแล้ว (ใช้ได้ครั้งเดียว) พิมพ์ เว็บ ในแชตส่วนตัวกับบอทเพื่อขอลิงก์ใหม่",
    sign_in.EXPIRED: "ลิงก์นี้หมดอายุแล้ว (ใช้ได้ 10 นาที) พิมพ์ เว็บ ในแชตส่วนตัวกับบอทเพื่อขอลิงก์ใหม่",
}


def refused(problem: str):
    return page("problem.html", 404 if problem == sign_in.UNKNOWN else 410, text=PROBLEM[problem])


@blueprint.get("/sign-in")
def confirm():
    token = request.args.get("t", "")[:100]
    with get_db().session() as db:
        problem = sign_in.peek(db, token, utcnow()) if token else sign_in.UNKNOWN
    if problem:
        return refused(problem)
    return page("sign_in.html", token=token)


@blueprint.post("/sign-in")
def sign_in_now():
    check_csrf()
    token = request.form.get("token", "")[:100]
    with get_db().session() as db:
        user, problem = sign_in.consume(db, token, utcnow())
        if user:
            roles.audit(db, user, "web.sign_in")
    if problem:
        return refused(problem)
    start(user)
    return redirect(url_for("web_overview.home"))


@blueprint.post("/sign-out")
def sign_out():
    check_csrf()
    session.clear()
    return page("problem.html", text="ออกจากระบบแล้ว")


@blueprint.get("/")
def how_to():
    """The landing page of anyone not signed in."""
    if current() is not None:
        return redirect(url_for("web_overview.home"))
    return page("landing.html", 401)
