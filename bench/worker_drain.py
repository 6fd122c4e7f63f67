"""The worker drains 1,000 text events, each answered through the LINE stand-in (target < 10 s)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import create_app  # noqa: E402
from bot.dev.eventfactory import body_of, sign, text_event  # noqa: E402
from bot.dev.fake_line import start_fake_line  # noqa: E402
from bot.worker import Worker  # noqa: E402

EVENTS = 1000


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ita-drain-"))
    fake_line = start_fake_line(access_token="bench-token")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'drain.sqlite3'}",
            "LINE_CHANNEL_SECRET": "bench-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": "bench-token",
            "SECRET_KEY": "bench-key",
            "LINE_API_BASE_URL": fake_line.base_url,
            "LOCAL_LINE": False,
        }
    )
    app.extensions["db"].upgrade()
    client = app.test_client()
    events = [text_event("ช่วยเหลือ", group_id="Cdrain", user_id=f"U{i % 50}") for i in range(EVENTS)]
    for start in range(0, EVENTS, 100):
        body = body_of(*events[start : start + 100])
        response = client.post(
            "/callback",
            data=body.encode(),
            headers={"X-Line-Signature": sign("bench-secret", body)},
        )
        assert response.status_code == 200
    with app.app_context():
        worker = Worker(app)
        began = time.perf_counter()
        worker.run_once()
        elapsed = time.perf_counter() - began
    fake_line.shutdown()
    replies = sum(1 for record in fake_line.state.sent if record["kind"] == "reply")
    print(
        f"worker drained {EVENTS} text events with {replies} replies in {elapsed:.2f} s "
        f"({EVENTS / elapsed:.0f} events/s; target < 10 s)"
    )
    ok = replies == EVENTS and elapsed < 10
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
