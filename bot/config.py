"""Configuration from the environment; with no LINE credentials the bot uses the local stand-in."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import secrets
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import click

from models.base import normalise_database_url

log = logging.getLogger(__name__)
LOCAL_TOKEN = "local-dev-token"  # guards only the stand-in, which listens on loopback
LOCAL_LINE_PORT = 8001
BANGKOK = "Asia/Bangkok"
SECRET_WAIT_SECONDS = 2.0
_warned: set[str] = set()


class ConfigError(click.ClickException):
    """Settings the bot must not start with; the flask CLI prints it as one clean error."""


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, with the defaults the README documents."""
    default_db = "sqlite:///" + str(Path(instance_path) / "ita.sqlite3")
    return {
        # Empty credentials: the local stand-in; settle_line fills them once tests have merged.
        "LINE_CHANNEL_SECRET": os.environ.get("LINE_CHANNEL_SECRET", ""),
        "LINE_CHANNEL_ACCESS_TOKEN": os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", ""),
        "LINE_API_BASE_URL": os.environ.get("LINE_API_BASE_URL", ""),
        "LOCAL_LINE_SECRET_FILE": str(Path(instance_path) / "local-line-secret"),
        "DATABASE_URL": normalise_database_url(os.environ.get("DATABASE_URL") or default_db),
        "INBOX_RETENTION_DAYS": _int("INBOX_RETENTION_DAYS", 90),
        "LINE_MONTHLY_MESSAGE_BUDGET": _int("LINE_MONTHLY_MESSAGE_BUDGET", 300),
        "LINE_TIMEOUT_SECONDS": float(os.environ.get("LINE_TIMEOUT_SECONDS") or 5),
        "REPLY_TOKEN_TTL_SECONDS": _int("REPLY_TOKEN_TTL_SECONDS", 50),
        "WORKER_LEASE_SECONDS": _int("WORKER_LEASE_SECONDS", 30),
        "MAX_EVENT_ATTEMPTS": _int("MAX_EVENT_ATTEMPTS", 5),
        "MAX_PUSH_ATTEMPTS": _int("MAX_PUSH_ATTEMPTS", 8),
        "PERSON_NOTICES_PER_DAY": _int("PERSON_NOTICES_PER_DAY", 3),
        "PROVINCE_NOTICES_PER_DAY": _int("PROVINCE_NOTICES_PER_DAY", 20),
        "MEMBER_COUNT_TTL_HOURS": _int("MEMBER_COUNT_TTL_HOURS", 24),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "LINE_LOGIN_CHANNEL_ID": os.environ.get("LINE_LOGIN_CHANNEL_ID", ""),
        "LINE_LOGIN_CHANNEL_SECRET": os.environ.get("LINE_LOGIN_CHANNEL_SECRET", ""),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000",
        "QUIET_HOURS_START": _int("QUIET_HOURS_START", 18),
        "QUIET_HOURS_END": _int("QUIET_HOURS_END", 8),
        "FAQ_VECTOR_CACHE": os.environ.get(
            "FAQ_VECTOR_CACHE", str(Path(instance_path) / "faq-vectors.npz")
        ),
        "LINK_CHECK_TIMEOUT_SECONDS": float(os.environ.get("LINK_CHECK_TIMEOUT_SECONDS") or 8),
        "LINK_CHECK_MAX_BYTES": _int("LINK_CHECK_MAX_BYTES", 1024 * 1024),
        # Test-only: {hostname: "127.0.0.1"} resolves those names to trusted local addresses.
        "LINK_CHECK_TEST_HOSTS": {},
        "TIMEZONE": BANGKOK,
    }


HALF_CONFIGURED = (
    "ตั้งค่า LINE ไม่ครบ: มีเพียง {have} กรุณาตั้งทั้ง LINE_CHANNEL_SECRET และ"
    " LINE_CHANNEL_ACCESS_TOKEN หรือไม่ตั้งทั้งสองค่าเพื่อใช้ LINE จำลองในเครื่อง\n"
    "LINE is half configured: only {have} is set. Set both LINE_CHANNEL_SECRET and"
    " LINE_CHANNEL_ACCESS_TOKEN, or neither to use the local stand-in."
)
STAND_IN_NOT_LOCAL = (
    "ไม่ได้ตั้ง LINE_CHANNEL_SECRET และ LINE_CHANNEL_ACCESS_TOKEN (โหมด LINE จำลอง)"
    " แต่ LINE_API_BASE_URL ชี้ไปที่ {host} ซึ่งไม่ใช่เครื่องนี้ กรุณาตั้งค่าทั้งสองเพื่อใช้ LINE จริง"
    " หรือลบ LINE_API_BASE_URL\n"
    "No LINE credentials (local stand-in mode), but LINE_API_BASE_URL points at {host},"
    " not this machine. Set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN to use LINE,"
    " or unset LINE_API_BASE_URL."
)
LOCAL_LOGIN_CHANNEL = "1000000001"
NO_SECRET_KEY = (
    "ตั้งค่า SECRET_KEY (ข้อความสุ่มยาว ๆ) ก่อนเริ่มบอทกับ LINE จริง: ใช้ลงนามการเข้าสู่หน้าเว็บ\n"
    "Set SECRET_KEY (a long random string) before starting with real LINE credentials: "
    "web sessions are signed with it."
)
BROKEN_SECRET_FILE = (
    "ไฟล์ {path} ว่างหรือเสีย ลบไฟล์นี้แล้วเริ่มใหม่ (บอทจะสร้างให้ใหม่)\n"
    "{path} is empty or damaged: delete it and start again (a new one is made)."
)


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine: 127.0.0.0/8, ::1 or localhost."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def settle_line(cfg: dict) -> None:
    """Refuse LINE settings that would trust a public secret; give the stand-in its own."""
    secret, token = cfg["LINE_CHANNEL_SECRET"], cfg["LINE_CHANNEL_ACCESS_TOKEN"]
    if bool(secret) != bool(token):
        have = "LINE_CHANNEL_SECRET" if secret else "LINE_CHANNEL_ACCESS_TOKEN"
        raise ConfigError(HALF_CONFIGURED.format(have=have))
    cfg["LOCAL_LINE"] = not secret
    if secret:
        if not cfg.get("SECRET_KEY"):  # web sessions and sign-in links are signed with it
            raise ConfigError(NO_SECRET_KEY)
        _warn_dead_report_links(cfg["PUBLIC_BASE_URL"])
        return
    if not cfg["LINE_API_BASE_URL"]:
        cfg["LINE_API_BASE_URL"] = f"http://127.0.0.1:{_int('FAKE_LINE_PORT', LOCAL_LINE_PORT)}"
    if not is_loopback(cfg["LINE_API_BASE_URL"]):
        host = urlparse(cfg["LINE_API_BASE_URL"]).hostname or cfg["LINE_API_BASE_URL"]
        raise ConfigError(STAND_IN_NOT_LOCAL.format(host=host))
    cfg["LINE_CHANNEL_SECRET"] = local_secret(Path(cfg["LOCAL_LINE_SECRET_FILE"]))
    cfg["LINE_CHANNEL_ACCESS_TOKEN"] = LOCAL_TOKEN
    if not cfg.get("LINE_LOGIN_CHANNEL_ID"):  # the stand-in serves LINE Login too
        cfg["LINE_LOGIN_CHANNEL_ID"] = LOCAL_LOGIN_CHANNEL
        cfg["LINE_LOGIN_CHANNEL_SECRET"] = cfg["LINE_CHANNEL_SECRET"] + "-login"
    cfg.setdefault("LINE_LOGIN_BASE_URL", cfg["LINE_API_BASE_URL"])  # LINE's own hosts otherwise


def _warn_dead_report_links(public_base_url: str) -> None:
    if is_loopback(public_base_url) and public_base_url not in _warned:
        _warned.add(public_base_url)
        log.warning(
            "PUBLIC_BASE_URL is %s while real LINE credentials are set: monthly report links "
            "will not open on phones (set PUBLIC_BASE_URL to the web process's public address)",
            public_base_url,
        )


def local_secret(path: Path) -> str:
    """The stand-in's channel secret: random, made once per instance folder, read by every
    process of `make run`; a reader that finds the file half-written waits for the rest."""
    if not path.exists():
        _create_secret(path)
    deadline = time.monotonic() + SECRET_WAIT_SECONDS
    while True:
        text = path.read_text().strip()
        if re.fullmatch(r"[0-9a-f]{32}", text):
            return text
        if time.monotonic() >= deadline:
            raise ConfigError(BROKEN_SECRET_FILE.format(path=path))
        time.sleep(0.05)


def _create_secret(path: Path) -> None:
    """Write a whole file aside, then link it in: two processes racing keep the first's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".local-line-secret-")  # mode 0600
    try:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(16))
            file.flush()
            os.fsync(file.fileno())
        os.link(scratch, path)  # never replaces an existing file
    except FileExistsError:
        pass
    finally:
        os.unlink(scratch)
