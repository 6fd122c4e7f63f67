"""Coverage of a whole round of reminders by route (the fixture of tests/notices/coverage_round):
the share of (agency behind, deadline, lead) reminders delivered, and each month's messages by
route, with 0 %, 60 % and 100 % of admins friends of the bot. Target: >= 90 % at 60 % within
300 messages a month. Runs against any commit that has the fixture file (to compare planners).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import time_machine  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.dev.chat import chat_ids  # noqa: E402
from bot.dev.demo import GROUPS  # noqa: E402
from models.registry import Group  # noqa: E402
from scheduler.notify import send  # noqa: E402
from tests.notices.coverage_round import SIZES, describe, run_round  # noqa: E402


def one_round(friends: float):
    app = create_app({"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/c.sqlite3",
                      "LOCAL_LINE": False, "LINE_CHANNEL_ACCESS_TOKEN": "bench",
                      "LINE_CHANNEL_SECRET": "bench", "SECRET_KEY": "bench",
                      "LINE_API_BASE_URL": "http://127.0.0.1:9"})  # nothing is sent  # fmt: skip
    database = app.extensions["db"]
    database.upgrade()
    moment = time_machine.travel(dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC), tick=False)
    with moment, app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    sizes = {chat_ids(GROUPS[kind], "")[0]: size for kind, size in SIZES.items()}
    with database.session() as session:
        for group in session.scalars(select(Group)):
            group.member_count = sizes[group.line_group_id]
            group.member_count_at = dt.datetime(2030, 1, 1)

    def clock(db, at, config, now):
        with time_machine.travel(at, tick=False), app.app_context():
            send(db, at, config, now)

    return run_round(database, app.config, clock, friends)


def main() -> int:
    results = {}
    for friends in (0.0, 0.6, 1.0):
        results[friends] = outcome = one_round(friends)
        print(describe(outcome, f"admins friends of the bot {friends:.0%}"))
    worst = max(sum(r.values()) for o in results.values() for r in o.months.values())
    print(f"largest month: {worst} messages (budget 300)")
    return 0 if results[0.6].coverage >= 0.9 and worst <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
