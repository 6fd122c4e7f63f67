"""`make run`: web, worker and clock as separate processes (plus the LINE stand-in when local)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
DEFAULT_PORT, DEFAULT_LINE_URL = 8000, "http://127.0.0.1:8001"
BUSY = (
    "พอร์ต {port} ({what_th}) มีโปรแกรมอื่นใช้อยู่ อาจเป็นบอทที่ยังเปิดค้างไว้ ปิดโปรแกรมนั้นก่อน"
    " หรือเลือกพอร์ตอื่น เช่น {var}={other} make run\n"
    "Port {port} ({what_en}) is already in use, perhaps by a bot still running: stop it,"
    " or choose another port, e.g. {var}={other} make run"
)

NOT_READY = (
    "บอทไม่พร้อม: มีโปรแกรมหยุดไป หรือ /healthz ไม่ตอบภายใน 60 วินาที ดูข้อความด้านบน\n"
    "The bot is not ready: a process stopped or /healthz did not answer; see the errors above"
)


# Path without the query string and no Referer: a sign-in link's token never reaches a log.
ACCESS_LOG = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'


def port_busy(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could not listen on host:port now (bound as gunicorn binds)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def port_problems(port: int, line_port: int | None) -> list[str]:
    """Why the processes could not start on these ports: found before anything says "ready"."""
    wanted = [(port, "เว็บของบอท", "the bot's web server", "PORT")]
    if line_port is not None:
        if line_port == port:
            return [f"PORT และ FAKE_LINE_PORT ต้องต่างกัน (ทั้งสองเป็น {port})\n"
                    f"PORT and FAKE_LINE_PORT must differ (both are {port})"]  # fmt: skip
        wanted.append((line_port, "LINE จำลอง", "the LINE stand-in", "FAKE_LINE_PORT"))
    return [
        BUSY.format(port=p, what_th=th, what_en=en, var=var, other=p + 10)
        for p, th, en, var in wanted
        if port_busy(p)
    ]


def chat_command(port: int, line_url: str) -> str:
    """The chat command that reaches this bot and its stand-in from another terminal."""
    prefix = ""
    if line_url.rstrip("/") != DEFAULT_LINE_URL:
        parsed = urlparse(line_url)
        local = parsed.hostname == "127.0.0.1" and parsed.port and not parsed.path.strip("/")
        prefix = f"FAKE_LINE_PORT={parsed.port} " if local else f"LINE_API_BASE_URL={line_url} "
    bot = "" if port == DEFAULT_PORT else f" --bot-url http://127.0.0.1:{port}"
    return f"{prefix}.venv/bin/flask --app wsgi chat{bot} --group ทดสอบ --user สมชาย"


def ready_text(port: int, line_url: str) -> str:
    """What make run prints once the bot answers, naming the ports actually in use."""
    return (
        f"\nบอทพร้อมแล้วที่ http://127.0.0.1:{port} (ใช้ LINE จำลองในเครื่องที่ {line_url})\n"
        "เปิดอีกหน้าต่างแล้วพิมพ์:\n"
        f"  {chat_command(port, line_url)}\n"
        "แล้วลองพิมพ์ ช่วยเหลือ   (กด Ctrl-C ที่นี่เพื่อหยุดบอท)\n"
        "หน้าเว็บของผู้ประสานงาน: คุยกับบอทแบบส่วนตัวในฐานะผู้ประสานงานตัวอย่าง\n"
        f"  {web_chat_command(port, line_url)}\n"
        "แล้วพิมพ์ เว็บ และเปิดลิงก์ที่ได้ในเบราว์เซอร์\n"
    )


def web_chat_command(port: int, line_url: str) -> str:
    """The chat command for the demo coordinator one-to-one, where `เว็บ` gives a link."""
    return chat_command(port, line_url).replace("--group ทดสอบ --user สมชาย", "--user ผู้ประสานงาน")


def _wait_healthy(url: str, processes: dict, seconds: float = 60) -> bool:
    """True once /healthz answers 200; False at the deadline or as soon as a process stops."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes.values()):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def run_all(config, port: int) -> int:
    """Start every process, print how to talk to the bot, stop them all on Ctrl-C."""
    line_port = urlparse(config["LINE_API_BASE_URL"]).port if config["LOCAL_LINE"] else None
    problems = port_problems(port, line_port)
    if problems:
        print("\n".join(problems), file=sys.stderr, flush=True)
        return 2
    processes: dict[str, subprocess.Popen] = {}
    env = dict(os.environ)
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")  # sign-in links reach this port
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
            "--access-logformat",
            ACCESS_LOG,
            "wsgi:app",
        ],
        env=env,
    )
    processes["worker"] = subprocess.Popen(FLASK + ["worker"], env=env)
    processes["clock"] = subprocess.Popen(FLASK + ["clock"], env=env)
    processes["links"] = subprocess.Popen(FLASK + ["links", "work"], env=env)
    healthy = _wait_healthy(f"http://127.0.0.1:{port}/healthz", processes)
    if not healthy:
        print(NOT_READY, file=sys.stderr, flush=True)
    elif config["LOCAL_LINE"]:
        print(ready_text(port, config["LINE_API_BASE_URL"]), file=sys.stderr, flush=True)
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
