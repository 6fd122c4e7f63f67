"""Who is signed in, for how long, and what they may see now: the session holds only the LINE
user id and two times; roles are read again on every request, so a revoked role is out on the
next click. A CSRF token per session guards every form."""

from __future__ import annotations

import functools
import secrets
import time
from dataclasses import dataclass

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from bot.db import get_db
from models.oit.submissions import APPROVED, STATUS_TEXT
from models.registry import roles
from models.registry.tables import Agency, Province

blueprint = Blueprint(
    "web_static", __name__, static_folder="static", static_url_path="/web/static",
    template_folder="templates",
)  # fmt: skip
LIFETIME, IDLE = 8 * 3600, 2 * 3600
# The chat's status words; a web page says "ตรวจผ่าน" where a card has room only for "ผ่าน".
STATUS_WORDS = {**STATUS_TEXT, APPROVED: "ตรวจผ่าน"}


@dataclass
class WebUser:
    line_user_id: str
    name: str
    provinces: list[Province]  # coordinated
    agencies: list[Agency]  # administered


def start(line_user_id: str) -> None:
    session.clear()
    now = int(time.time())
    session.update(user=line_user_id, started=now, seen=now, csrf=secrets.token_urlsafe(24))


def current() -> WebUser | None:
    """The signed-in person with their roles as of now, or None (and the session is cleared)."""
    user, now = session.get("user"), int(time.time())
    if not user:
        return None
    if now - session.get("started", 0) > LIFETIME or now - session.get("seen", 0) > IDLE:
        session.clear()
        return None
    with get_db().session() as db:
        who = roles.person(db, user)
        found = WebUser(
            user, roles.display_name(who), roles.coordinator_provinces(db, who),
            roles.admin_agencies(db, who),
        )  # fmt: skip
        db.expunge_all()
    if not found.provinces and not found.agencies:
        session.clear()
        return None
    session["seen"] = now
    return found


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    """Every POST carries the session's token; a missing or wrong one changes nothing."""
    sent = request.form.get("csrf", "")
    expected = session.get("csrf", "")
    if not sent or not secrets.compare_digest(sent.encode(), expected.encode()):
        abort(400, "แบบฟอร์มหมดอายุหรือไม่ครบ โปรดเปิดหน้าใหม่แล้วลองอีกครั้ง")


def signed_in(view):
    """A page for signed-in people only; others are sent to the page that says how to sign in."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.user = current()
        if g.user is None:
            return redirect(url_for("web_signin.how_to"))
        if request.method == "POST":
            check_csrf()
        return view(*args, **kwargs)

    return wrapper


def coordinators_only(view):
    """After `signed_in`: a page for coordinators; others get a Thai refusal."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.user.provinces:
            abort(403, "หน้านี้สำหรับผู้ประสานงานจังหวัด")
        return view(*args, **kwargs)

    return wrapper


@blueprint.app_context_processor
def template_values() -> dict:
    return {"csrf_token": csrf_token}


def page(template: str, status: int = 200, **values):
    return render_template(f"web/{template}", **values), status
