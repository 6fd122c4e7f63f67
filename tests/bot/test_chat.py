"""The terminal chat: typed lines reach the bot through the signed webhook; replies are printed."""

from __future__ import annotations

import io
import threading

import pytest
from werkzeug.serving import make_server

from bot.dev.chat import chat_ids, run_chat


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


# --- Cards, choices and several lines in one message (issue 13 item 14) ---

STATUS_CARD = {
    "type": "flex",
    "altText": "สถานะ OIT: ผ่าน 1 ข้อ",
    "contents": {
        "type": "bubble",
        "body": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {"type": "text", "text": "อบต.บางระจัน", "weight": "bold"},
                {"type": "separator"},
                {
                    "type": "box",
                    "layout": "baseline",
                    "contents": [
                        {"type": "text", "text": "ผ่าน"},
                        {"type": "text", "text": "1 ข้อ"},
                    ],
                },
                {"type": "text", "text": "ยังต้องทำ: O2, O3"},
                {"type": "text", "text": "ระยะ 1 ส่งภายใน 15 ม.ค. 2570"},
            ],
        },
    },
}


def review_card():
    def row(code, number):
        return {
            "type": "box",
            "layout": "horizontal",
            "contents": [
                {
                    "type": "text",
                    "text": f"{code} รอตรวจ",
                    "action": {"type": "uri", "label": code, "uri": f"https://x.go.th/{code}"},
                },
                {
                    "type": "button",
                    "action": {
                        "type": "postback",
                        "label": "ผ่าน",
                        "data": f"review|{number}|approved",
                    },
                },
            ],
        }

    return {
        "type": "flex",
        "altText": "ตรวจ",
        "contents": {
            "type": "carousel",
            "contents": [
                {
                    "type": "bubble",
                    "body": {"type": "box", "layout": "vertical", "contents": [row("O1", 7)]},
                },
                {
                    "type": "bubble",
                    "body": {"type": "box", "layout": "vertical", "contents": [row("O2", 8)]},
                },
            ],
        },
    }


def test_a_status_card_shows_its_lines_in_order_not_only_its_alt_text():
    from bot.dev.chat import render

    shown = render([STATUS_CARD], [])
    lines = [line.strip() for line in shown.replace("🤖", "").splitlines()]
    assert lines == ["อบต.บางระจัน", "ผ่าน  1 ข้อ", "ยังต้องทำ: O2, O3", "ระยะ 1 ส่งภายใน 15 ม.ค. 2570"]


def test_buttons_links_and_quick_replies_are_numbered_in_the_order_shown():
    from bot.dev.chat import render

    actions: list[dict] = []
    quick = {
        "type": "text",
        "text": "เลือกหน่วยงาน",
        "quickReply": {
            "items": [
                {
                    "type": "action",
                    "action": {"type": "message", "label": "L004", "text": "ลงทะเบียน L004"},
                }
            ]
        },
    }
    shown = render([review_card(), quick], actions)
    assert "O1 รอตรวจ [1]  [2] ผ่าน" in shown and "O2 รอตรวจ [3]  [4] ผ่าน" in shown
    assert "[5] L004" in shown
    assert [a["type"] for a in actions] == ["uri", "postback", "uri", "postback", "message"]


def test_a_typed_number_chooses_and_each_kind_of_action_does_what_a_tap_does():
    from bot.dev.chat import chosen, tap

    actions = [
        {"type": "message", "label": "L004", "text": "ลงทะเบียน L004"},
        {"type": "postback", "label": "ผ่าน", "data": "review|7|approved"},
        {"type": "uri", "label": "O1", "uri": "https://x.go.th/o1"},
    ]
    assert chosen("1", actions) is actions[0] and chosen(" ๒ ", actions) is actions[1]
    assert chosen("4", actions) is None and chosen("0", actions) is None
    assert chosen("1 ค่ะ", actions) is None and chosen("1", []) is None
    assert tap(actions[0]) == ("text", "ลงทะเบียน L004")
    assert tap(actions[1]) == ("postback", "review|7|approved")
    assert tap(actions[2]) == ("uri", "https://x.go.th/o1")


def test_a_line_ending_in_a_backslash_continues_and_paste_mode_ends_at_end():
    from bot.dev.chat import typed_messages

    lines = [
        "O1 https://x.go.th/1 \\\n",
        "O2 https://x.go.th/2\n",
        "สถานะ\n",
        "/paste\n",
        "O3 https://x.go.th/3\n",
        "\n",
        "O4 https://x.go.th/4\n",
        "/end\n",
        "/quit\n",
    ]
    assert list(typed_messages(lines)) == [
        "O1 https://x.go.th/1\nO2 https://x.go.th/2",
        "สถานะ",
        "O3 https://x.go.th/3\n\nO4 https://x.go.th/4",
        "/quit",
    ]


def test_an_admin_sends_two_lines_sees_the_card_and_a_coordinator_approves_by_number(
    bot_server, fake_line, app, runner, db
):
    from sqlalchemy import select

    from bot.dev.demo import DEMO_COORDINATOR, GROUPS
    from models.oit import Submission
    from models.registry import Agency

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    admin = chat_ids(None, "สมชาย")[1]
    assert runner.invoke(args=["agencies", "bind-user", admin, "L004"]).exit_code == 0
    site = "https://www.bangrachan-sao.go.th"
    out = io.StringIO()
    typed = (
        f"O1 {site}/structure \\\nO2 {site}/executives\n"
        "สถานะ\n"
        f"/user {DEMO_COORDINATOR}\n"
        "ตรวจ L004\n"
        "2\n"
        "/quit\n"
    )
    status = run_chat(
        bot_server,
        fake_line.base_url,
        app.config["LINE_CHANNEL_SECRET"],
        group=GROUPS["local"],
        user="สมชาย",
        stdin=io.StringIO(typed),
        stdout=out,
        wait=10,
    )
    shown = out.getvalue()
    assert status == 0
    assert "บันทึก O1, O2" in shown
    assert "ยังต้องทำ:" in shown and "O3" in shown.split("ยังต้องทำ:")[1]
    assert "[1]" in shown and "[2] ผ่าน" in shown
    with db.session() as session:
        reviews = dict(
            session.execute(
                select(Submission.item_code, Submission.review)
                .join(Agency, Agency.id == Submission.agency_id)
                .where(Agency.code == "L004", Submission.state == "current")
            ).all()
        )
    assert reviews == {"O1": "approved", "O2": "pending"}
