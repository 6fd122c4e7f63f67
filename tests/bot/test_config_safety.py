"""Start-up refuses LINE settings that would trust a public secret; the stand-in's is random."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import time_machine
from itsdangerous import URLSafeTimedSerializer

from bot import config
from bot.app import create_app
from bot.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]
LINE_VARIABLES = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL")
HALF_OR_PUBLIC = {
    "token only": {"LINE_CHANNEL_ACCESS_TOKEN": "a-real-looking-token"},
    "secret only": {"LINE_CHANNEL_SECRET": "a-real-looking-secret"},
    "stand-in aimed at LINE": {"LINE_API_BASE_URL": "https://api.line.me"},
}


@pytest.fixture
def clean_env(monkeypatch):
    for name in (*LINE_VARIABLES, "PUBLIC_BASE_URL", "SECRET_KEY", "FAKE_LINE_PORT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def local_app(tmp_path, **settings):
    """An app in stand-in mode whose secret file lives under tmp_path."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "LOCAL_LINE_SECRET_FILE": str(tmp_path / "local-line-secret"),
            "FAQ_VECTOR_CACHE": "",
            **settings,
        }
    )


@pytest.mark.parametrize("variables", HALF_OR_PUBLIC.values(), ids=HALF_OR_PUBLIC)
def test_half_configured_or_public_stand_in_is_refused(clean_env, tmp_path, variables):
    for name, value in variables.items():
        clean_env.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        local_app(tmp_path)
    for words in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "ตั้งค่า", "stand-in"):
        assert words in str(refused.value)
    assert not (tmp_path / "local-line-secret").exists()


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8001", "http://127.3.4.5:9", "http://[::1]:8001", "http://localhost:8001"],
)
def test_stand_in_may_talk_to_loopback_only(clean_env, tmp_path, base_url):
    clean_env.setenv("LINE_API_BASE_URL", base_url)
    app = local_app(tmp_path)
    assert app.config["LOCAL_LINE"] and app.config["LINE_API_BASE_URL"] == base_url
    for refused in (
        "http://10.0.0.8:8001",
        "http://api.line.me.localhost.example",
        "http://[::2]/",
    ):
        clean_env.setenv("LINE_API_BASE_URL", refused)
        with pytest.raises(ConfigError):
            local_app(tmp_path)


def test_the_final_config_decides(clean_env, tmp_path):
    """Tests pass credentials in test_config: the environment's half is completed there."""
    clean_env.setenv("LINE_CHANNEL_ACCESS_TOKEN", "env-token")
    real = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t", "SECRET_KEY": "k"}
    app = local_app(tmp_path, **real)
    assert not app.config["LOCAL_LINE"] and app.config["LINE_CHANNEL_SECRET"] == "s"
    with pytest.raises(ConfigError):
        local_app(tmp_path, LINE_CHANNEL_SECRET="s", LINE_CHANNEL_ACCESS_TOKEN="")


def _flask(tmp_path, command: str, **variables) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "FAQ_VECTOR_CACHE": "",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", command],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("name", ["token only", "stand-in aimed at LINE"])
def test_flask_commands_exit_non_zero_with_the_message(tmp_path, name):
    result = _flask(tmp_path, "init-db", **HALF_OR_PUBLIC[name])
    assert result.returncode != 0
    for words in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "ตั้งค่า", "stand-in"):
        assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cli.sqlite3").exists()


def test_stand_in_secret_is_random_made_once_and_shared(tmp_path):
    path = tmp_path / "instance" / "local-line-secret"
    path.parent.mkdir()
    start, found = threading.Barrier(12), []

    def make():
        start.wait()
        found.append(config.local_secret(path))

    threads = [threading.Thread(target=make) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and len(found) == 12
    secret = found[0]
    assert secret != "local-dev-secret" and len(secret) >= 32
    assert path.read_text() == secret and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["local-line-secret"]
    other = tmp_path / "other"
    other.mkdir()
    assert config.local_secret(other / "local-line-secret") != secret


def test_a_reader_waits_for_a_half_written_secret(tmp_path):
    path = tmp_path / "local-line-secret"
    path.write_text("")
    writer = threading.Timer(0.2, lambda: path.write_text("f" * 32))
    writer.start()
    try:
        assert config.local_secret(path) == "f" * 32
    finally:
        writer.join()


def test_an_empty_secret_file_that_stays_empty_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "local-line-secret"
    path.write_text("")
    monkeypatch.setattr(config, "SECRET_WAIT_SECONDS", 0.05)
    with pytest.raises(ConfigError):
        config.local_secret(path)


def test_stand_in_app_uses_the_instance_secret(clean_env, tmp_path):
    app = local_app(tmp_path)
    secret = (tmp_path / "local-line-secret").read_text()
    assert app.config["LOCAL_LINE"] and app.config["LINE_CHANNEL_SECRET"] == secret
    assert app.config["LINE_API_BASE_URL"] == "http://127.0.0.1:8001"
    assert local_app(tmp_path).config["LINE_CHANNEL_SECRET"] == secret


def test_report_link_signed_with_the_old_public_secret_is_refused(clean_env, tmp_path):
    from bot.reports import report_url

    app = local_app(tmp_path)
    app.extensions["db"].upgrade()
    runner = app.test_cli_runner()
    with app.app_context(), time_machine.travel(dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC)):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    public_key = hmac.new(b"local-dev-secret", b"ita-bot-reports", hashlib.sha256).hexdigest()
    forged = URLSafeTimedSerializer(public_key, salt="monthly-report").dumps(
        {"p": 1, "m": "2027-01"}
    )
    client = app.test_client()
    assert client.get(f"/reports/{forged}").status_code == 404
    with app.app_context():
        genuine = report_url(app, 1, "2027-01").split("127.0.0.1:8000")[1]
    assert client.get(genuine).status_code == 200
    app.extensions["db"].engine.dispose()


def test_loopback_public_url_with_real_credentials_warns_once(clean_env, tmp_path, caplog):
    clean_env.setattr(config, "_warned", set())
    real = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t", "SECRET_KEY": "k"}
    with caplog.at_level(logging.WARNING):
        local_app(tmp_path, **real)
        local_app(tmp_path, **real)
    warnings = [r for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    caplog.clear()
    clean_env.setattr(config, "_warned", set())
    with caplog.at_level(logging.WARNING):
        local_app(tmp_path, **real, PUBLIC_BASE_URL="https://ita-bot.example.go.th")
        local_app(tmp_path)  # the stand-in: a loopback link is right
    assert not [r for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]


def test_real_credentials_need_a_secret_key_to_start(clean_env, tmp_path):
    """Web sessions and sign-in links are signed with it; the stand-in derives its own."""
    with pytest.raises(ConfigError) as refused:
        local_app(tmp_path, LINE_CHANNEL_SECRET="s", LINE_CHANNEL_ACCESS_TOKEN="t")
    assert "SECRET_KEY" in str(refused.value)
    assert local_app(tmp_path).config["LOCAL_LINE"], "no credentials, no key: the stand-in runs"
