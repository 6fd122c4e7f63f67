"""`flask --app wsgi chat`: talk to the running bot from a terminal, through the LINE stand-in."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

import requests

from bot.dev.eventfactory import body_of, postback_event, sign, text_event
from models.numbers import parse_int

BANNER = (
    "แชทจำลองกับบอท ITA — พิมพ์ข้อความแล้วกด Enter\n"
    "  บรรทัดที่ลงท้ายด้วย \\  พิมพ์ต่อบรรทัดถัดไปในข้อความเดียวกัน\n"
    "  /paste … /end      วางหลายบรรทัดเป็นข้อความเดียว\n"
    "  [1] [2] …          พิมพ์เลขเพื่อกดปุ่มหรือปุ่มตอบด่วนล่าสุด\n"
    "  /user <ชื่อ>       เปลี่ยนผู้พิมพ์\n"
    "  /mention <ข้อความ>  ส่งข้อความโดย @ถึงบอท\n"
    "  /quit              ออก\n"
)


def chat_ids(group: str | None, user: str) -> tuple[str | None, str]:
    """Stable fake LINE ids for a group name and a user name."""
    group_id = "C" + hashlib.md5(group.encode()).hexdigest() if group else None
    return group_id, "U" + hashlib.md5(user.encode()).hexdigest()


def _number(action: dict | None, actions: list[dict]) -> str:
    """Keep a tappable action and return the number that chooses it."""
    if not isinstance(action, dict) or not action.get("type"):
        return ""
    actions.append(action)
    return f"[{len(actions)}]"


def _piece(node: dict, actions: list[dict]) -> str:
    """One Flex component as part of a line: its text, a numbered button, or a row of them."""
    kind = node.get("type")
    if kind == "text":
        text = node.get("text") or "".join(s.get("text", "") for s in node.get("contents") or [])
        mark = _number(node.get("action"), actions)
        return f"{text} {mark}" if mark else text
    if kind == "button":
        action = node.get("action") or {}
        mark = _number(action, actions)
        return f"{mark} {action.get('label', '')}".strip()
    if kind == "box":
        pieces = (_piece(child, actions) for child in node.get("contents") or [])
        return "  ".join(piece for piece in pieces if piece)
    return ""  # separators, images, icons and fillers show nothing


def _lines(node: dict, actions: list[dict]) -> list[str]:
    """A vertical box gives one line per child; anything else is one line."""
    if node.get("type") == "box" and node.get("layout") == "vertical":
        return [line for child in node.get("contents") or [] for line in _lines(child, actions)]
    piece = _piece(node, actions)
    return [piece] if piece else []


def flex_lines(contents: dict, actions: list[dict]) -> list[str]:
    """The text a phone shows of a bubble or carousel, in order; buttons become numbered."""
    bubbles = contents.get("contents", []) if contents.get("type") == "carousel" else [contents]
    lines: list[str] = []
    for index, bubble in enumerate(bubbles):
        if index:
            lines.append("──")
        for part in ("header", "hero", "body", "footer"):
            if isinstance(bubble.get(part), dict):
                lines += _lines(bubble[part], actions)
    return lines


def _text_of(message: dict, actions: list[dict]) -> str:
    kind = message.get("type")
    if kind in {"text", "textV2"}:
        return message.get("text", "")
    if kind == "flex":
        return "\n".join(flex_lines(message.get("contents") or {}, actions)) or message.get(
            "altText", ""
        )
    if kind == "template":
        template = message.get("template") or {}
        marks = [f"{_number(a, actions)} {a.get('label', '')}" for a in template.get("actions", [])]
        return "\n".join([template.get("text") or message.get("altText", ""), "  ".join(marks)])
    return f"[{kind}]"


def render(messages: list[dict], actions: list[dict]) -> str:
    """What the bot's messages show on a phone, as terminal text; their choices join actions."""
    out = []
    for message in messages:
        out.append("🤖 " + _text_of(message, actions).replace("\n", "\n   "))
        items = (message.get("quickReply") or {}).get("items", [])
        marks = [
            f"{_number(i.get('action'), actions)} {i['action'].get('label', '')}" for i in items
        ]
        if marks:
            out.append("   ปุ่มตอบด่วน: " + " | ".join(marks))
    return "\n".join(out)


def chosen(text: str, actions: list[dict]) -> dict | None:
    """The action a typed number chooses among those last shown, if it is one."""
    number = parse_int(text, 1, len(actions)) if actions else None
    return actions[number - 1] if number else None


def tap(action: dict) -> tuple[str, str]:
    """What tapping does: ("text", what is said), ("postback", data) or ("uri", address)."""
    kind = action.get("type")
    if kind == "message":
        return "text", action.get("text", "")
    if kind == "postback":
        return "postback", action.get("data", "")
    if kind == "uri":
        return "uri", action.get("uri", "")
    return "other", kind or ""


def typed_messages(lines: Iterable[str]) -> Iterator[str]:
    """Messages from typed lines: a line ending in \\ goes on; /paste … /end is one message."""
    held: list[str] = []
    pasting = False
    for raw in lines:
        line = raw.rstrip("\r\n")
        if pasting:
            if line.strip() == "/end":
                pasting = False
                yield "\n".join(held).strip()
                held = []
            else:
                held.append(line.rstrip())
        elif not held and line.strip() == "/paste":
            pasting = True
        elif line.rstrip().endswith("\\"):
            held.append(line.rstrip()[:-1].rstrip())
        else:
            held.append(line.rstrip())
            yield "\n".join(held).strip()
            held = []
    if held:
        yield "\n".join(held).strip()


class ChatSession:
    """One person typing in one chat; remembers which stand-in records it has already shown."""

    def __init__(self, bot_url: str, fake_url: str, secret: str, group: str | None, user: str):
        self.bot_url, self.fake_url, self.secret, self.group = bot_url, fake_url, secret, group
        self.actions: list[dict] = []
        self.seen = self._latest_seq()
        self.switch_user(user)

    def _latest_seq(self) -> int:
        records = requests.get(f"{self.fake_url}/_fake/sent", timeout=5).json()
        return max((r["seq"] for r in records), default=0)

    def switch_user(self, user: str) -> None:
        self.user = user
        self.group_id, self.user_id = chat_ids(self.group, user)
        requests.post(
            f"{self.fake_url}/_fake/profiles",
            timeout=5,
            json={"user_id": self.user_id, "display_name": user, "group_id": self.group_id},
        )
        if self.group:
            requests.post(
                f"{self.fake_url}/_fake/groups",
                timeout=5,
                json={"group_id": self.group_id, "name": self.group},
            )

    def send(self, text: str, mention: bool = False) -> str:
        return self._post(
            text_event(text, group_id=self.group_id, user_id=self.user_id, mention_self=mention)
        )

    def send_postback(self, data: str) -> str:
        return self._post(postback_event(data, group_id=self.group_id, user_id=self.user_id))

    def _post(self, event: dict) -> str:
        body = body_of(event)
        answer = requests.post(
            f"{self.bot_url}/callback",
            data=body.encode(),
            timeout=5,
            headers={
                "Content-Type": "application/json",
                "X-Line-Signature": sign(self.secret, body),
            },
        )
        answer.raise_for_status()
        return event["replyToken"]

    def show_new(self, out: TextIO, reply_token: str | None, wait: float) -> None:
        """Print replies to our token and pushes to our chat; wait for the reply if one is due.
        The choices shown in this turn replace the earlier ones, as a new reply does on LINE."""
        chat = self.group_id or self.user_id
        deadline = time.monotonic() + wait
        actions: list[dict] = []
        shown = False
        while True:
            records = requests.get(
                f"{self.fake_url}/_fake/sent", params={"after": self.seen}, timeout=5
            ).json()
            answered = False
            for record in records:
                self.seen = max(self.seen, record["seq"])
                if record["reply_token"] == reply_token or record["to"] == chat:
                    out.write(render(record["messages"], actions) + "\n")
                    shown = True
                    answered = answered or record["reply_token"] == reply_token
            out.flush()
            if answered or reply_token is None or time.monotonic() >= deadline:
                break
            time.sleep(0.15)
        if shown:
            self.actions = actions


def _choose(session: ChatSession, action: dict, out: TextIO) -> str | None:
    """Do what a tap on the action does; returns the reply token when the bot was sent something."""
    kind, value = tap(action)
    label = action.get("label", "")
    if kind == "text":
        out.write(f"(กด {label}: ส่ง “{value}”)\n")
        return session.send(value)
    if kind == "postback":
        out.write(f"(กด {label})\n")
        if action.get("fillInText"):
            out.write(f"(LINE จะเปิดแป้นพิมพ์พร้อมข้อความ “{action['fillInText']}” ให้พิมพ์ต่อ)\n")
        return session.send_postback(value)
    if kind == "uri":
        out.write(f"(ลิงก์: {value})\n")
    else:
        out.write(f"(ปุ่มแบบ {value} ใช้ในแชทจำลองไม่ได้)\n")
    return None


def run_chat(
    bot_url: str,
    fake_url: str,
    secret: str,
    group: str | None = None,
    user: str = "ผู้ทดลอง",
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    wait: float = 3.0,
) -> int:
    """Read messages until /quit or end of input; returns the exit status."""
    try:
        session = ChatSession(bot_url, fake_url, secret, group, user)
    except requests.RequestException:
        stdout.write(f"ติดต่อ LINE จำลองที่ {fake_url} ไม่ได้ — เริ่มบอทด้วย make run ก่อน\n")
        stdout.write("(ถ้า make run ใช้ FAKE_LINE_PORT อื่น ให้ตั้ง FAKE_LINE_PORT เดียวกันที่นี่)\n")
        return 1
    where = f"กลุ่ม {group}" if group else "แชตส่วนตัว"
    stdout.write(BANNER + f"({where} · คุณคือ {user})\n")
    stdout.flush()
    for text in typed_messages(stdin):
        if not text:
            continue
        if text == "/quit":
            break
        if text.startswith("/user "):
            session.switch_user(text.removeprefix("/user ").strip())
            stdout.write(f"(ตอนนี้คุณคือ {session.user})\n")
            continue
        try:
            action = chosen(text, session.actions)
            if action is not None:
                token = _choose(session, action, stdout)
            elif text.startswith("/mention "):
                token = session.send(text.removeprefix("/mention ").strip(), mention=True)
            else:
                token = session.send(text)
            if token is not None:
                session.show_new(stdout, token, wait)
        except requests.RequestException:
            stdout.write(f"ส่งไม่ถึงบอทที่ {bot_url} — บอทยังทำงานอยู่ไหม\n")
        stdout.flush()
    return 0
