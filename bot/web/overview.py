"""The first page after sign-in: a coordinator's provinces at a glance (progress by phase, share
approved, projection against the national target, the agencies furthest behind, questions and
registrations waiting); an agency admin's agencies with their items per status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, current_app, g

from bot.db import get_db
from bot.web.charts import HEIGHT, WIDTH, trend_bars
from bot.web.session import STATUS_WORDS, page, signed_in
from models.base import local_today, utcnow
from models.faq.questions import waiting
from models.notices.budget import month_utc, province_spend, push_spend
from models.oit import progress
from models.oit.context import framework_for
from models.oit.submissions import APPROVED, FIX, MISSING, PENDING
from models.oit.summary import Overview, overview, weekly_trend
from models.registry.registrations import pending_requests
from models.year.calendar import thai_date

blueprint = Blueprint("web_overview", __name__, url_prefix="/web")
STATUSES = tuple((key, STATUS_WORDS[key]) for key in (APPROVED, PENDING, FIX, MISSING))


@dataclass
class ProvinceView:
    seen: Overview | None
    name: str
    questions: int
    requests: int
    bars: list
    labels: list
    spent: int  # this province's messages this month


@blueprint.get("/home")
@signed_in
def home():
    today = local_today(utcnow())
    provinces, agencies = [], []
    month = month_utc(utcnow().replace(tzinfo=dt.UTC))
    with get_db().session() as db:
        channel = push_spend(db, *month)[1] if g.user.provinces else 0
        for province in g.user.provinces:
            province = db.merge(province, load=False)
            _, open_questions = waiting(db, [province.id], limit=1)
            requests = len(pending_requests(db, [province.id]))
            seen = overview(db, province, None, today)
            bars, labels = trend_bars(weekly_trend(db, province, today))
            spent = province_spend(db, province.id, *month)
            views = ProvinceView(seen, province.name, open_questions, requests, bars, labels, spent)
            provinces.append(views)
        for agency in g.user.agencies:
            agency = db.merge(agency, load=False)
            framework = framework_for(db, agency, utcnow())
            if framework is not None:
                standing = progress.standing(db, agency, framework)
                agencies.append((agency.code, agency.name, standing))
        db.expunge_all()
    return page(
        "home.html", user=g.user, provinces=provinces, agencies=agencies, statuses=STATUSES,
        missing=MISSING, thai_date=thai_date, today=thai_date(today), channel=channel,
        budget=current_app.config["LINE_MONTHLY_MESSAGE_BUDGET"], chart=(WIDTH, HEIGHT),
    )  # fmt: skip
