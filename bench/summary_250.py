"""`สรุป` for a province of 250 agencies × 28 items with history (target: under 200 ms).

Runs on SQLite by default; set DATABASE_URL to a PostgreSQL database to measure that too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.app import create_app  # noqa: E402
from models.oit import Submission, ToolScore  # noqa: E402
from models.oit.records import items_of  # noqa: E402
from models.oit.summary import summary_text  # noqa: E402
from models.registry import Agency, Province  # noqa: E402
from models.year import Phase  # noqa: E402
from models.year.frameworks import load_shipped  # noqa: E402

AGENCIES, RUNS = 250, 30
TODAY = dt.date(2027, 5, 15)  # after all three phase deadlines, so the honour list is computed


def build(session, fiscal_year: int = 2568) -> Province:
    """A province of AGENCIES agencies with submissions and history in one round."""
    frameworks = {f.fiscal_year: f for f, _ in load_shipped(session)}
    framework = frameworks[fiscal_year]
    province = Province(name="ทดสอบ", fiscal_year=fiscal_year)
    session.add(province)
    session.flush()
    for number, deadline in enumerate(
        (dt.date(2027, 1, 31), dt.date(2027, 3, 31), dt.date(2027, 4, 30)), start=1
    ):
        session.add(
            Phase(province_id=province.id, fiscal_year=fiscal_year, number=number,
                  title=f"ระยะ {number}",
                  deadline=deadline)
        )  # fmt: skip
    session.execute(
        insert(Agency),
        [
            {"province_id": province.id, "code": f"A{i:03d}", "name": f"หน่วยงานทดสอบ {i}",
             "kind": "regional" if i % 3 == 0 else "sao", "extra": "{}"}
            for i in range(AGENCIES)
        ],
    )  # fmt: skip
    agency_ids = [a.id for a in session.query(Agency).filter_by(province_id=province.id)]
    codes = [item.code for item in items_of(session, framework.id)]
    rng, rows, scores = random.Random(7), [], []
    for agency_id in agency_ids:
        for code in codes[: rng.randint(10, len(codes))]:
            first = dt.datetime(2027, 1, rng.randint(5, 28), 3)
            for version in range(rng.randint(1, 3)):  # older versions superseded: history
                last = version == 2 or rng.random() < 0.5
                at = first + dt.timedelta(days=20 * version)
                rows.append(
                    {"agency_id": agency_id, "framework_id": framework.id, "item_code": code,
                     "urls": json.dumps([f"https://a{agency_id}.go.th/{code}/{version}"]),
                     "state": "current" if last else "superseded",
                     "review": rng.choice(["pending", "approved", "approved", "fix"]),
                     "submitted_by": "Ubench", "event_at": at, "created_at": at,
                     "ended_at": None if last else at + dt.timedelta(days=20)}
                )  # fmt: skip
                if last:
                    break
        for tool in ("IIT", "EIT"):
            scores.append(
                {"agency_id": agency_id, "framework_id": framework.id, "tool": tool,
                 "score": rng.uniform(70, 99), "recorded_by": "Ubench"}
            )  # fmt: skip
    session.execute(insert(Submission), rows)
    session.execute(insert(ToolScore), scores)
    print(f"data: {AGENCIES} agencies × {len(codes)} items, {len(rows)} submission rows")
    return province


def main() -> int:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/summary.sqlite3"
    app = create_app({"DATABASE_URL": url, "LOCAL_LINE": False})
    database = app.extensions["db"]
    database.upgrade()
    with database.session() as session:
        province_id = build(session).id
    timings = []
    with database.session() as session:
        province = session.get(Province, province_id)
        text = summary_text(session, province, None, TODAY)
        for _ in range(RUNS):
            start = time.perf_counter()
            summary_text(session, province, None, TODAY)
            timings.append((time.perf_counter() - start) * 1000)
    print(text.splitlines()[0])
    print(f"database: {database.engine.dialect.name}")
    print(f"สรุป over {RUNS} runs: p50 {statistics.median(timings):.1f} ms, "
          f"max {max(timings):.1f} ms (target < 200 ms)")  # fmt: skip
    return 0 if statistics.median(timings) < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
