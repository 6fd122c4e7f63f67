"""The operator's tools (issue 13 items 15, 17, 18): make run's ports, report, /healthz."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from bot.dev import serve

ROOT = Path(__file__).resolve().parents[2]

# --- item 15: make run on another port ---


@pytest.fixture
def taken_port():
    """A port some other program listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_make_run_takes_the_port_from_the_environment():
    env = dict(os.environ, PORT="8123", FAKE_LINE_PORT="8124")
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "serve --port 8123" in plan and "--port 8000" not in plan


def test_a_busy_port_is_refused_before_anything_starts(taken_port, monkeypatch, capsys):
    def no_process(*args, **kwargs):
        raise AssertionError("nothing may start on a busy port")

    monkeypatch.setattr(serve.subprocess, "Popen", no_process)
    config = {"LOCAL_LINE": True, "LINE_API_BASE_URL": "http://127.0.0.1:8124"}
    assert serve.run_all(config, taken_port) != 0
    said = capsys.readouterr().err
    assert (
        f"พอร์ต {taken_port}" in said and f"Port {taken_port} (" in said and "already in use" in said
    )
    assert "PORT=" in said and "พร้อมแล้ว" not in said


def test_a_busy_stand_in_port_is_refused_too(taken_port, monkeypatch, capsys):
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **k: pytest.fail("started"))
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        web_port = free.getsockname()[1]
    config = {"LOCAL_LINE": True, "LINE_API_BASE_URL": f"http://127.0.0.1:{taken_port}"}
    assert serve.run_all(config, web_port) != 0
    assert "FAKE_LINE_PORT" in capsys.readouterr().err


def test_the_ready_text_names_the_ports_in_use_and_the_chat_command_that_reaches_them():
    text = serve.ready_text(8123, "http://127.0.0.1:8124")
    assert "http://127.0.0.1:8123" in text and "8000" not in text
    assert (
        "FAKE_LINE_PORT=8124 .venv/bin/flask --app wsgi chat --bot-url http://127.0.0.1:8123"
        in text
    )
    plain = serve.ready_text(8000, "http://127.0.0.1:8001")
    assert ".venv/bin/flask --app wsgi chat --group" in plain and "--bot-url" not in plain
    assert "FAKE_LINE_PORT" not in plain
    assert "chat --user ผู้ประสานงาน" in plain and "เว็บ" in plain, "how to open the web pages"


# --- item 17: report ---


def seed(runner) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC), tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0


def report(runner, month: str, out, province: str = "สิงห์บุรี", on=dt.date(2027, 2, 10)):
    args = ["report", "--province", province, "--month", month]
    if out is not None:
        args += ["--out", str(out)]
    with time_machine.travel(dt.datetime(on.year, on.month, on.day, 3, tzinfo=dt.UTC), tick=False):
        return runner.invoke(args=args)


def rows(path) -> list[list]:
    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("month", ["2027-03", "2570-03"])
def test_a_month_not_yet_come_is_refused_and_nothing_is_written(runner, tmp_path, month):
    seed(runner)
    result = report(runner, month, tmp_path / "r.xlsx")
    assert result.exit_code != 0 and "เดือนนี้ยังไม่ถึง" in result.output
    assert not (tmp_path / "r.xlsx").exists()


def test_a_buddhist_era_month_is_the_same_report_as_the_western_one(runner, tmp_path):
    seed(runner)
    be, ce = (
        report(runner, "2570-01", tmp_path / "be.xlsx"),
        report(runner, "2027-01", tmp_path / "ce.xlsx"),
    )
    assert be.exit_code == 0 and ce.exit_code == 0, be.output + ce.output
    assert rows(tmp_path / "be.xlsx") == rows(tmp_path / "ce.xlsx")
    assert load_workbook(tmp_path / "be.xlsx").active.title == "ม.ค. 2570"
    assert "ม.ค. 2570" in be.output or "มกราคม 2570" in be.output


def test_an_unreadable_month_shows_both_forms(runner, tmp_path):
    seed(runner)
    result = report(runner, "11/2569", tmp_path / "r.xlsx")
    assert result.exit_code != 0 and "2569-11" in result.output and "Traceback" not in result.output


def test_the_province_prefix_is_not_doubled(runner, tmp_path):
    seed(runner)
    result = report(runner, "2027-01", tmp_path / "r.xlsx", province="จังหวัดสิงห์บุรี")
    assert result.exit_code == 0 and "จังหวัดจังหวัด" not in result.output
    assert "จังหวัดสิงห์บุรี" in result.output


def test_a_missing_output_folder_is_created(runner, tmp_path):
    seed(runner)
    out = tmp_path / "reports" / "2570" / "r.xlsx"
    result = report(runner, "2027-01", out)
    assert result.exit_code == 0 and out.exists(), result.output


def test_without_out_the_file_is_named_in_buddhist_era(runner, tmp_path, monkeypatch):
    seed(runner)
    monkeypatch.chdir(tmp_path)
    result = report(runner, "2027-01", None)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ita-oit-2570-01.xlsx").exists() and "ita-oit-2570-01.xlsx" in result.output


def test_the_web_download_is_named_in_buddhist_era(app, runner, client):
    from bot.reports import report_url

    seed(runner)
    answer = client.get(report_url(app, 1, "2027-01").split("127.0.0.1:8000")[1])
    assert answer.status_code == 200
    assert 'filename="ita-oit-2570-01.xlsx"' in answer.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(answer.data)).active.title == "ม.ค. 2570"


# --- item 18: the link checker's heartbeat ---


class OneTurn(threading.Event):
    """A stop event that lets a loop go round exactly once."""

    def __init__(self):
        super().__init__()
        self.asked = 0

    def is_set(self) -> bool:
        self.asked += 1
        return self.asked > 1

    def wait(self, timeout=None) -> bool:
        return True


def test_the_link_checker_beats_and_healthz_shows_it(app, client):
    from bot.link_jobs import LinkChecker

    assert "links" not in client.get("/healthz").get_json()["heartbeats"]
    LinkChecker(app).run_forever(OneTurn())
    body = client.get("/healthz").get_json()
    assert "links" in body["heartbeats"] and body["heartbeats"]["links"]["age_seconds"] >= 0


def test_healthz_names_the_processes_that_never_beat(client):
    assert client.get("/healthz").get_json()["missing"] == ["worker", "clock", "links"]
