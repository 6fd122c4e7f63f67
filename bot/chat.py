"""`flask --app wsgi chat`: talk to the running bot from a terminal, through the LINE stand-in."""

from __future__ import annotations

import hashlib
import sys
import time
from typing import TextIO

import requests

from bot.eventfactory import body_of, sign, text_event

BANNER = (
    "แชทจำลองกับบอท ITA — พิมพ์ข้อความแล้วกด Enter\n"
    "  /user <ชื่อ>       เปลี่ยนผู้พิมพ์\n"
    "  /mention <ข้อความ>  ส่งข้อความโดย @ถึงบอท\n"
    "  /quit              ออก\n"
)


def chat_ids(group: str | None, user: str) -> tuple[str | None, str]:
    """Stable fake LINE ids for a group name and a user name."""
    group_id = "C" + hashlib.md5(group.encode()).hexdigest() if group else None
    return group_id, "U" + hashlib.md5(user.encode()).hexdigest()


def _show(record: dict, out: TextIO) -> None:
    for message in record["messages"]:
        text = message.get("text") or message.get("altText") or f"[{message.get('type')}]"
        out.write("🤖 " + text.replace("\n", "\n   ") + "\n")
        labels = [
            i["action"].get("label") for i in (message.get("quickReply") or {}).get("items", [])
        ]
        if labels:
            out.write("   ปุ่มตอบด่วน: " + " | ".join(labels) + "\n")
    out.flush()


class ChatSession:
    """One person typing in one chat; remembers which stand-in records it has already shown."""

    def __init__(self, bot_url: str, fake_url: str, secret: str, group: str | None, user: str):
        self.bot_url, self.fake_url, self.secret, self.group = bot_url, fake_url, secret, group
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
        event = text_event(text, group_id=self.group_id, user_id=self.user_id, mention_self=mention)
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
        """Print replies to our token and pushes to our chat; wait for the reply if one is due."""
        chat = self.group_id or self.user_id
        deadline = time.monotonic() + wait
        while True:
            records = requests.get(
                f"{self.fake_url}/_fake/sent", params={"after": self.seen}, timeout=5
            ).json()
            answered = False
            for record in records:
                self.seen = max(self.seen, record["seq"])
                if record["reply_token"] == reply_token or record["to"] == chat:
                    _show(record, out)
                    answered = answered or record["reply_token"] == reply_token
            if answered or reply_token is None or time.monotonic() >= deadline:
                return
            time.sleep(0.15)


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
    """Read lines until /quit or end of input; returns the exit status."""
    try:
        session = ChatSession(bot_url, fake_url, secret, group, user)
    except requests.RequestException:
        stdout.write(f"ติดต่อ LINE จำลองที่ {fake_url} ไม่ได้ — เริ่มบอทด้วย make run ก่อน\n")
        return 1
    where = f"กลุ่ม {group}" if group else "แชตส่วนตัว"
    stdout.write(BANNER + f"({where} · คุณคือ {user})\n")
    stdout.flush()
    for line in stdin:
        text = line.strip()
        if not text:
            continue
        if text == "/quit":
            break
        if text.startswith("/user "):
            session.switch_user(text.removeprefix("/user ").strip())
            stdout.write(f"(ตอนนี้คุณคือ {session.user})\n")
            continue
        mention = text.startswith("/mention ")
        try:
            token = session.send(
                text.removeprefix("/mention ").strip() if mention else text, mention
            )
            session.show_new(stdout, token, wait)
        except requests.RequestException:
            stdout.write(f"ส่งไม่ถึงบอทที่ {bot_url} — บอทยังทำงานอยู่ไหม\n")
    return 0
