"""`make run`: web, worker and clock as separate processes (plus the LINE stand-in when local)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def _wait_healthy(url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def run_all(config, port: int) -> int:
    """Start every process, print how to talk to the bot, stop them all on Ctrl-C."""
    processes: dict[str, subprocess.Popen] = {}
    env = dict(os.environ)
    if config["LOCAL_LINE"]:
        env.setdefault("LINE_API_BASE_URL", config["LINE_API_BASE_URL"])
        processes["fake-line"] = subprocess.Popen(
            FLASK + ["fake-line", "--webhook-url", f"http://127.0.0.1:{port}/callback"], env=env
        )
    processes["web"] = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "wsgi:app",
        ],
        env=env,
    )
    processes["worker"] = subprocess.Popen(FLASK + ["worker"], env=env)
    processes["clock"] = subprocess.Popen(FLASK + ["clock"], env=env)
    processes["links"] = subprocess.Popen(FLASK + ["links", "work"], env=env)
    healthy = _wait_healthy(f"http://127.0.0.1:{port}/healthz")
    if not healthy:
        print("บอทยังไม่ตอบ /healthz ภายใน 60 วินาที ดูข้อความผิดพลาดด้านบน", file=sys.stderr)
    elif config["LOCAL_LINE"]:
        print(
            f"\nบอทพร้อมแล้วที่ http://127.0.0.1:{port} (ใช้ LINE จำลองในเครื่อง)\n"
            "เปิดอีกหน้าต่างแล้วพิมพ์:\n"
            "  .venv/bin/flask --app wsgi chat --group ทดสอบ --user สมชาย\n"
            "แล้วลองพิมพ์ ช่วยเหลือ   (กด Ctrl-C ที่นี่เพื่อหยุดบอท)\n",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(f"บอทพร้อมแล้วที่ http://127.0.0.1:{port}/callback", file=sys.stderr, flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes.values()):
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    failed = [name for name, p in processes.items() if p.returncode not in (0, -15, None)]
    return 1 if failed and not stopping else 0
