"""The web overview and matrix for a province of 250 agencies × 26 items with history (targets:
each page under 300 ms on SQLite and PostgreSQL, under 200 KB as sent compressed and under 1 MB
uncompressed). Runs on SQLite by default; set DATABASE_URL to a PostgreSQL database for that."""

from __future__ import annotations

import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import time_machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.summary_250 import AGENCIES, TODAY, build  # noqa: E402
from bot.app import create_app  # noqa: E402
from models.base import utcnow  # noqa: E402
from models.registry import Province, roles, sign_in  # noqa: E402
from models.registry.roles import COORDINATOR  # noqa: E402

RUNS = 20
PAGES = ("/web/home", "/web/matrix")


def signed_in_client(app, province_id: int):
    """A test client signed in as the province's coordinator, the way a person signs in."""
    with app.extensions["db"].session() as session:
        who = roles.person(session, "Ubenchcoordinator")
        roles.grant(session, who, COORDINATOR, session.get(Province, province_id))
        token = sign_in.issue(session, "Ubenchcoordinator", utcnow())
    client = app.test_client()
    page = client.get(f"/web/sign-in?t={token}")
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    assert client.post("/web/sign-in", data={"token": token, "csrf": csrf}).status_code == 302
    return client


def main() -> int:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/web.sqlite3"
    app = create_app({"DATABASE_URL": url, "LOCAL_LINE": False})
    database = app.extensions["db"]
    database.upgrade()
    with time_machine.travel(TODAY.isoformat() + " 09:00 +0700", tick=True):
        with database.session() as session:
            province_id = build(session, 2570).id
        client = signed_in_client(app, province_id)
        print(f"database: {database.engine.dialect.name}; {AGENCIES} agencies")
        failed = False
        for path in PAGES:
            timings = []
            for _ in range(RUNS):
                start = time.perf_counter()
                response = client.get(path, headers={"Accept-Encoding": "gzip"})
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            sent = len(response.data)
            plain = len(gzip.decompress(response.data))
            p50 = statistics.median(timings)
            print(
                f"{path}: p50 {p50:.0f} ms, max {max(timings):.0f} ms over {RUNS} (< 300 ms); "
                f"sent {sent / 1024:.0f} KB gzip (< 200 KB), {plain / 1024:.0f} KB plain (< 1 MB)"
            )
            failed |= p50 >= 300 or sent >= 200 * 1024 or plain >= 1024 * 1024
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
