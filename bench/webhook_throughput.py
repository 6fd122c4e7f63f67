"""Webhook acknowledgement under load: the bot vs. a signature-only floor, both on gunicorn -w 2.

Each turn posts 600 signed single-event bodies from 8 client threads as fast as they are
answered; three turns per app, alternating. Prints events/s, ack p50/p99 and non-200 counts.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.dev.eventfactory import body_of, sign, text_event  # noqa: E402

SECRET = "bench-secret"
BODIES, THREADS, TURNS = 600, 8, 3


def start(app: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            post(port, b"{}", "bad")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{app} did not start")


def post(port: int, body: bytes, signature: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "POST",
            "/callback",
            body=body,
            headers={"X-Line-Signature": signature, "Content-Type": "application/json"},
        )
        return connection.getresponse().status
    finally:
        connection.close()


def turn(port: int) -> dict:
    bodies = []
    for i in range(BODIES):
        body = body_of(text_event(f"ข้อความที่ {i} ในกลุ่ม", group_id="Cbench", user_id=f"U{i % 40}"))
        bodies.append((body.encode(), sign(SECRET, body)))
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    cursor = iter(range(BODIES))

    def client():
        nonlocal failures
        for index in cursor:
            body, signature = bodies[index]
            began = time.perf_counter()
            try:
                status = post(port, body, signature)
            except OSError:
                status = 0
            spent = time.perf_counter() - began
            with lock:
                latencies.append(spent)
                failures += status != 200

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "events_per_s": BODIES / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "non_200": failures,
    }


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ita-bench-"))
    env = dict(
        os.environ,
        LINE_CHANNEL_SECRET=SECRET,
        LINE_CHANNEL_ACCESS_TOKEN="bench-token",
        SECRET_KEY="bench-key",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        LINE_API_BASE_URL="http://127.0.0.1:9",
        LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "init-db"], cwd=ROOT, env=env, check=True
    )
    floor_env = dict(env, PYTHONPATH=str(ROOT / "bench"))
    apps = {"floor": start("floor_app:app", 18081, floor_env), "bot": start("wsgi:app", 18080, env)}
    ports = {"floor": 18081, "bot": 18080}
    results: dict[str, list[dict]] = {"floor": [], "bot": []}
    try:
        for name in ports:  # warm both up
            for _ in range(50):
                body = body_of(text_event("warm-up", group_id="Cwarm"))
                post(ports[name], body.encode(), sign(SECRET, body))
        for number in range(1, TURNS + 1):
            for name in ("floor", "bot"):
                figures = turn(ports[name])
                results[name].append(figures)
                print(
                    f"turn {number} {name:5}: {figures['events_per_s']:7.1f} events/s  "
                    f"p50 {figures['p50_ms']:5.1f} ms  p99 {figures['p99_ms']:5.1f} ms  "
                    f"non-200 {figures['non_200']}"
                )
    finally:
        for process in apps.values():
            process.terminate()
            process.wait(timeout=10)

    def median(name, key):
        return statistics.median(r[key] for r in results[name])

    ratio = median("bot", "events_per_s") / median("floor", "events_per_s")
    bot_p99 = median("bot", "p99_ms")
    non_200 = sum(r["non_200"] for rs in results.values() for r in rs)
    print(
        f"median throughput: bot {median('bot', 'events_per_s'):.1f}/s, "
        f"floor {median('floor', 'events_per_s'):.1f}/s -> {ratio:.0%} of the floor "
        f"(target >= 70%)"
    )
    print(
        f"median p99: bot {bot_p99:.1f} ms (target < 50 ms); "
        f"median p50: bot {median('bot', 'p50_ms'):.1f} ms, "
        f"floor {median('floor', 'p50_ms'):.1f} ms"
    )
    print(f"non-200 responses: {non_200} (target 0)")
    ok = ratio >= 0.70 and bot_p99 < 50 and non_200 == 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
