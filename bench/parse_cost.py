"""Worker time for one group text message of 5,000 adversarial characters (target < 50 ms).

Each message goes through the router's dispatch on a handler Context, as the worker runs it,
against a temporary SQLite database with the demo data: once from a registered agency admin
(every recogniser, then the submission parser and its checks) and once from a stranger
(every recogniser only), and once one-to-one from a stranger: addressed text, so it reaches
the FAQ's whole decision (Thai segmentation, BM25, the sentence encoder) and, when nothing
matches, the forward to coordinators. The FAQ's segmentation alone is timed too. Nothing is
committed: each dispatch is rolled back. Run:
    .venv/bin/python bench/parse_cost.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import create_app  # noqa: E402
from bot.dev.chat import chat_ids  # noqa: E402
from bot.dev.demo import GROUPS  # noqa: E402
from bot.dev.eventfactory import text_event  # noqa: E402
from handlers.events import Event  # noqa: E402
from handlers.router import Context  # noqa: E402
from models.base import utcnow  # noqa: E402
from models.faq.thai_text import tokens  # noqa: E402

SIZE, RUNS, TARGET_MS = 5000, 5, 50
LOCAL = chat_ids(GROUPS["local"], "")[0]
SITE = "https://www.bangrachan-sao.go.th/x"


def fill(head: str, unit: str) -> str:
    """`head` and then `unit` repeated up to SIZE characters."""
    return (head + unit * SIZE)[:SIZE]


MESSAGES = {
    "normal chatter": "รับทราบค่ะ ขอบคุณมากนะคะ เดี๋ยวส่งลิงก์ O1 ให้พรุ่งนี้ค่ะ",
    "normal submission": f"เรียนจังหวัด ส่ง OIT ค่ะ\nO1 {SITE}/1\nO2 {SITE}/2 ค่ะ",
    "link + .คะ ×1,600": fill(f"O1 {SITE}", ".คะ"),
    "link + คะ. no item": fill(SITE, "คะ."),
    "link + นะคะ)": fill(f"O1 {SITE}", "นะคะ)"),
    "O1 repeated": fill("", "O1 "),
    "O1 link lines": fill("", f"O1 {SITE}\n"),
    "O then spaces": fill("O", " "),
    "O, spaces, link": fill("O", " ")[:-20] + " https://a.b/c",
    "O1- then spaces": fill("O1 https://a.b/ O1-O", " "),
    "https://a.b/ repeated": fill("O1 ", "https://a.b/"),
    "https:// repeated": fill("O1 ", "https://"),
    "O1 many links": fill("O1", f" {SITE}"),
    "Thai without spaces": fill("", "ส่งลิงก์ข้อมูลของหน่วยงานประจำปีงบประมาณ"),
    "ข้อ repeated": fill("", "ข้อ"),
    "ข้อ 1 lines": fill("", "ข้อ 1\n"),
    "IIT pairs": fill("", "IIT 1/2 "),
    "IIT digits": fill("IIT ", "1"),
    "IIT then spaces": fill("IIT", " ")[:-4] + "1/2x",
}


def make_app(workdir: Path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'parse.sqlite3'}",
            "LINE_CHANNEL_SECRET": "bench-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": "bench-token",
            "SECRET_KEY": "bench-key",
            "LINE_API_BASE_URL": "http://127.0.0.1:9",  # dispatch never calls LINE
            "LOCAL_LINE": False,
            "FAQ_VECTOR_CACHE": str(workdir / "faq-vectors.npz"),
        }
    )
    app.extensions["db"].upgrade()
    return app


def seed(app) -> None:
    """The demo province, its groups and coordinator; Uadmin01 an admin of L004."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"]).exit_code == 0
    assert runner.invoke(args=["faq", "load"]).exit_code == 0


def dispatch_ms(app, text: str, user_id: str, group_id: str | None = LOCAL) -> float:
    """One router dispatch of a text message, rolled back; milliseconds."""
    db, router = app.extensions["db"], app.extensions["router"]
    event = Event(text_event(text, group_id=group_id, user_id=user_id))
    with db.sessions() as session:
        ctx = Context(session=session, event=event, now=utcnow(), config=app.config, router=router)
        began = time.perf_counter()
        router.dispatch(ctx)
        elapsed = time.perf_counter() - began
        session.rollback()
    return elapsed * 1000


def timed_ms(func, text: str) -> float:
    began = time.perf_counter()
    func(text)
    return (time.perf_counter() - began) * 1000


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ita-parse-") as workdir:
        return measure(make_app(Path(workdir)))


def measure(app) -> int:
    began = time.perf_counter()
    paths = {
        "admin": lambda t: dispatch_ms(app, t, "Uadmin01"),
        "stranger": lambda t: dispatch_ms(app, t, "Ustranger"),
        "one-to-one": lambda t: dispatch_ms(app, t, "Ustranger", None),
        "FAQ tokens": lambda t: timed_ms(tokens, t),
    }
    medians, peaks = [], []
    with app.app_context():
        seed(app)
        for run in paths.values():  # first-use imports, caches and statement compilation
            run(MESSAGES["normal submission"])
            run(MESSAGES["normal chatter"])  # a stranger's item link is answered before the FAQ
        print(f"{'message':24} {'chars':>5}" + "".join(f"{p:>18}" for p in paths))
        print(f"{'':30}" + "      median    max" * len(paths) + "  (ms)")
        for name, text in MESSAGES.items():
            row = f"{name:24} {len(text):5}"
            for run in paths.values():
                figures = [run(text) for _ in range(RUNS)]
                medians.append(statistics.median(figures))
                peaks.append(max(figures))
                row += f"{medians[-1]:12.1f}{peaks[-1]:7.1f}"
            print(row)
    app.extensions["db"].engine.dispose()
    print(
        f"slowest message: median {max(medians):.1f} ms, single run {max(peaks):.1f} ms "
        f"(target: under {TARGET_MS} ms per message, judged on the median; a single run also "
        "carries whatever else this machine is doing)"
    )
    print(f"whole bench: {time.perf_counter() - began:.1f} s")
    print("PASS" if max(medians) < TARGET_MS else "FAIL")
    return 0 if max(medians) < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
