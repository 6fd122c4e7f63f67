"""The coordinator's overview: the weekly trend as server-made SVG, the month's messages
(the channel's, shared by all provinces, and this province's), the agencies furthest behind."""

from __future__ import annotations

import re

from tests.oit.test_oit_chat import COORDINATOR, COORDS, SITE, text_of
from tests.web.test_sign_in import signed_in


def test_the_trend_counts_this_weeks_links_and_approvals(client, bot, say):
    say(f"O1 {SITE}/structure\nO2 {SITE}/executives")
    assert "O1 ผ่าน" in text_of(say("ตรวจ L004 O1 ผ่าน", COORDS, COORDINATOR))
    signed_in(client, bot)
    html = client.get("/web/home").get_data(as_text=True)
    assert "<svg" in html and "<script" not in html.split("<main>")[1]
    values = dict(re.findall(r'class="(sent|approved)"><title>(\d+)</title>', html)[-2:])
    assert values == {"sent": "2", "approved": "1"}, "this week: two sent, one approved"
    assert "ทั้งช่องทาง" in html and "ของจังหวัดนี้" in html
    assert html.count("ยังไม่ส่ง 26 ข้อ") == 3, "the three furthest behind"


def test_a_provinces_share_counts_its_groups_and_people_only(bot, db):
    import datetime as dt

    from models.base import utcnow
    from models.notices.budget import month_utc, province_spend, push_spend
    from models.queues.leases import SENT
    from models.queues.outbox import OutboxMessage
    from tests.oit.test_oit_chat import LOCAL

    now = utcnow()
    with db.session() as session:
        for to, recipients in ((LOCAL, 40), (COORDINATOR, 1), ("Cother-province", 30)):
            session.add(OutboxMessage(to=to, messages="[]", method="push", status=SENT,
                                      recipients=recipients, sent_at=now))  # fmt: skip
    with db.session() as session:
        month = month_utc(now.replace(tzinfo=dt.UTC))
        assert push_spend(session, *month)[1] == 71
        assert province_spend(session, 1, *month) == 41
