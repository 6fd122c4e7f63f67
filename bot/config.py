"""Configuration from the environment; with no LINE credentials the bot uses the local stand-in."""

from __future__ import annotations

import os
from pathlib import Path

LOCAL_SECRET = "local-dev-secret"
LOCAL_TOKEN = "local-dev-token"
LOCAL_LINE_PORT = 8001
BANGKOK = "Asia/Bangkok"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3, the driver this project ships."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, with the defaults the README documents."""
    secret = os.environ.get("LINE_CHANNEL_SECRET", "")
    token = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
    local = not (secret and token)
    default_db = "sqlite:///" + str(Path(instance_path) / "ita.sqlite3")
    base_url = os.environ.get("LINE_API_BASE_URL", "")
    if local and not base_url:
        base_url = f"http://127.0.0.1:{_int('FAKE_LINE_PORT', LOCAL_LINE_PORT)}"
    return {
        "LOCAL_LINE": local,
        "LINE_CHANNEL_SECRET": secret or LOCAL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": token or LOCAL_TOKEN,
        "LINE_API_BASE_URL": base_url,
        "DATABASE_URL": normalise_database_url(os.environ.get("DATABASE_URL") or default_db),
        "INBOX_RETENTION_DAYS": _int("INBOX_RETENTION_DAYS", 90),
        "LINE_MONTHLY_MESSAGE_BUDGET": _int("LINE_MONTHLY_MESSAGE_BUDGET", 300),
        "LINE_TIMEOUT_SECONDS": float(os.environ.get("LINE_TIMEOUT_SECONDS") or 5),
        "REPLY_TOKEN_TTL_SECONDS": _int("REPLY_TOKEN_TTL_SECONDS", 50),
        "WORKER_LEASE_SECONDS": _int("WORKER_LEASE_SECONDS", 30),
        "MAX_EVENT_ATTEMPTS": _int("MAX_EVENT_ATTEMPTS", 5),
        "MAX_PUSH_ATTEMPTS": _int("MAX_PUSH_ATTEMPTS", 8),
        "MEMBER_COUNT_TTL_HOURS": _int("MEMBER_COUNT_TTL_HOURS", 24),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
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
