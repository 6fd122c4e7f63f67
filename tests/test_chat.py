"""The terminal chat: typed lines reach the bot through the signed webhook; replies are printed."""

from __future__ import annotations

import io
import threading

import pytest
from werkzeug.serving import make_server

from bot.chat import chat_ids, run_chat


@pytest.fixture
def bot_server(app, worker):
    """The bot's web app on a real port, and a worker draining the inbox in the background."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()

    def work():
        with app.app_context():
            while not stop.is_set():
                if not worker.run_once():
                    stop.wait(0.05)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    stop.set()
    thread.join(timeout=5)
    server.shutdown()


def test_help_typed_in_a_group_is_answered(bot_server, fake_line, app):
    out = io.StringIO()
    status = run_chat(
        bot_server,
        fake_line.base_url,
        app.config["LINE_CHANNEL_SECRET"],
        group="ทดสอบ",
        user="สมชาย",
        stdin=io.StringIO("ช่วยเหลือ\n/quit\n"),
        stdout=out,
        wait=10,
    )
    assert status == 0
    assert "🤖 คำสั่งของบอท" in out.getvalue()
    group_id, user_id = chat_ids("ทดสอบ", "สมชาย")
    assert fake_line.state.profiles[user_id] == "สมชาย"
    assert fake_line.state.group_names[group_id] == "ทดสอบ"


def test_chatter_in_a_group_gets_no_answer_but_a_mention_does(bot_server, fake_line, app):
    out = io.StringIO()
    run_chat(
        bot_server,
        fake_line.base_url,
        app.config["LINE_CHANNEL_SECRET"],
        group="ทดสอบ",
        user="สมศรี",
        stdin=io.StringIO("รับทราบค่ะ\n/mention อากาศดีไหม\n"),
        stdout=out,
        wait=1.5,
    )
    lines = [line for line in out.getvalue().splitlines() if line.startswith("🤖")]
    assert len(lines) == 1 and "ยังไม่เข้าใจ" in lines[0]


def test_unreachable_stand_in_is_a_thai_message_not_a_traceback():
    out = io.StringIO()
    assert (
        run_chat("http://127.0.0.1:9", "http://127.0.0.1:9", "s", stdin=io.StringIO(""), stdout=out)
        == 1
    )
    assert "make run" in out.getvalue()
