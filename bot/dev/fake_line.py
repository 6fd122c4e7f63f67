"""Local stand-in for the LINE API: it records what the bot sends, refuses what LINE would."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from bot.dev.eventfactory import sign

log = logging.getLogger(__name__)
MESSAGE_TYPES = {
    "text",
    "textV2",
    "sticker",
    "image",
    "video",
    "audio",
    "location",
    "imagemap",
    "template",
    "flex",
}
MAX_BODY = 2 * 1024 * 1024


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeLineState:
    """What the stand-in has seen and sent; thread-safe, with knobs for tests."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._ids = itertools.count(700_000_000_000_000)
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.sent: list[dict[str, Any]] = []
            self.requests: list[tuple[str, str]] = []
            self.used_tokens: set[str] = set()
            self.retry_keys: dict[str, dict] = {}
            self.member_counts: dict[str, int] = {}
            self.profiles: dict[str, str] = {}
            self.group_names: dict[str, str] = {}
            self.failures: list[dict[str, Any]] = []
            self.tokens_expired = False

    def set_member_count(self, group_id: str, count: int) -> None:
        self.member_counts[group_id] = count

    def set_profile(self, user_id: str, display_name: str, group_id: str | None = None) -> None:
        self.profiles[user_id] = display_name

    def set_group_name(self, group_id: str, name: str) -> None:
        self.group_names[group_id] = name

    def fail_next(
        self,
        endpoint: str = "any",
        status: int = 500,
        times: int = 1,
        delay: float = 0.0,
        message: str = "The fake LINE API was told to fail",
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls to reply/push/any answer `status` (0: only wait `delay`)
        with LINE's `message` (e.g. "You have reached your monthly limit.")."""
        with self._lock:
            self.failures.append(
                {"endpoint": endpoint, "status": status, "times": times, "delay": delay,
                 "message": message, "retry_after": retry_after}
            )  # fmt: skip

    def expire_reply_tokens(self) -> None:
        self.tokens_expired = True

    def take_failure(self, endpoint: str) -> dict | None:
        with self._lock:
            for failure in self.failures:
                if failure["endpoint"] in (endpoint, "any"):
                    failure["times"] -= 1
                    if failure["times"] <= 0:
                        self.failures.remove(failure)
                    return failure
        return None

    def record(self, **record) -> dict:
        with self._lock:
            record["seq"] = len(self.sent) + 1
            record["at"] = time.time()
            record["sent_message_ids"] = [str(next(self._ids)) for _ in record["messages"]]
            self.sent.append(record)
            self._lock.notify_all()
            return record

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.sent) >= count, timeout)
            return list(self.sent)


def error(status: int, message: str, details: list[dict] | None = None):
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = details
    return jsonify(body), status


def _check_action(action: dict, path: str, limit: int, found: list[dict]) -> None:
    label, data = action.get("label"), action.get("data")
    if isinstance(label, str) and utf16_len(label) > limit:
        found.append(
            {"message": f"Length must be between 0 and {limit}", "property": f"{path}.label"}
        )
    if isinstance(data, str) and len(data) > 300:
        found.append({"message": "Length must be between 0 and 300", "property": f"{path}.data"})


def _labels(node: Any, path: str, limit: int, found: list[dict], flex: bool = False) -> None:
    """Check action labels (20 for templates and quick replies, 40 for Flex buttons) and data."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            _labels(value, f"{path}[{index}]", limit, found, flex)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        where = f"{path}.{key}"
        if key in {"action", "defaultAction"} and isinstance(value, dict):
            button = not flex or node.get("type") == "button"
            _check_action(value, where, limit if button else 10**6, found)
        elif key == "actions" and isinstance(value, list):
            for index, action in enumerate(value):
                if isinstance(action, dict):
                    _check_action(action, f"{where}[{index}]", limit, found)
        else:
            _labels(value, where, limit, found, flex)


def validate_messages(messages: Any) -> list[dict]:
    """LINE's rules the bot could break; each problem as LINE reports it."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [{"message": "Size must be between 1 and 5", "property": "messages"}]
    problems: list[dict] = []
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        kind = message.get("type") if isinstance(message, dict) else None
        if kind not in MESSAGE_TYPES:
            problems.append({"message": "Invalid message type", "property": f"{where}.type"})
            continue
        if kind in {"text", "textV2"}:
            text = message.get("text")
            if not isinstance(text, str) or not 1 <= utf16_len(text) <= 5000:
                problems.append(
                    {"message": "Length must be between 1 and 5000", "property": f"{where}.text"}
                )
        if kind == "textV2" and len(message.get("substitution") or {}) > 20:
            problems.append(
                {"message": "Size must be between 0 and 20", "property": f"{where}.substitution"}
            )
        alt = message.get("altText") or ""
        if kind in {"template", "flex"} and not (
            isinstance(alt, str) and 1 <= utf16_len(alt) <= 1500
        ):
            problems.append(
                {"message": "Length must be between 1 and 1500", "property": f"{where}.altText"}
            )
        if kind == "template":
            _labels(message.get("template"), f"{where}.template", 20, problems)
        if kind == "flex":
            _labels(message.get("contents"), f"{where}.contents", 40, problems, flex=True)
        quick = message.get("quickReply")
        if quick is not None:
            items = quick.get("items") or []
            if i != len(messages) - 1:
                problems.append(
                    {
                        "message": "quickReply is only allowed on the last message",
                        "property": f"{where}.quickReply",
                    }
                )
            if not 1 <= len(items) <= 13:
                problems.append(
                    {
                        "message": "Size must be between 1 and 13",
                        "property": f"{where}.quickReply.items",
                    }
                )
            _labels(items, f"{where}.quickReply.items", 20, problems)
    return problems


def create_fake_line_app(
    state: FakeLineState,
    webhook_url: str | None = None,
    channel_secret: str | None = None,
    access_token: str | None = None,
) -> Flask:
    app = Flask("fake_line")

    @app.before_request
    def check():
        state.requests.append((request.method, request.path))
        if (request.content_length or 0) > MAX_BODY:
            return error(413, "Request Entity Too Large")
        if (
            request.path.startswith("/v2/")
            and access_token
            and request.headers.get("Authorization") != f"Bearer {access_token}"
        ):
            return error(
                401,
                "Authentication failed. Confirm that the access token in the "
                "authorization header is valid.",
            )
        return None

    def send(kind: str):
        body = request.get_json(silent=True) or {}
        planned = state.take_failure(kind)
        if planned and planned["status"]:
            time.sleep(planned["delay"])
            body, status = error(planned["status"], planned["message"])
            if planned["retry_after"] is not None:
                body.headers["Retry-After"] = str(planned["retry_after"])
            return body, status
        if planned:  # accepted now, answered late: the caller may time out
            request.environ["fake_line.delay"] = planned["delay"]
        problems = validate_messages(body.get("messages"))
        if problems:
            return error(400, f"The request body has {len(problems)} error(s)", problems)
        return body

    @app.post("/v2/bot/message/reply")
    def reply():
        body = send("reply")
        if not isinstance(body, dict):
            return body
        token = body.get("replyToken")
        if not token:
            return error(
                400,
                "The request body has 1 error(s)",
                [{"message": "Must not be empty", "property": "replyToken"}],
            )
        if state.tokens_expired or token in state.used_tokens:
            return error(400, "Invalid reply token")
        state.used_tokens.add(token)
        record = state.record(
            kind="reply", to=None, reply_token=token, messages=body["messages"], retry_key=None
        )
        return late(jsonify(sentMessages=_sent(record)))

    def late(response):
        time.sleep(request.environ.get("fake_line.delay", 0.0))
        return response

    @app.post("/v2/bot/message/push")
    def push():
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None:
            try:
                uuid.UUID(key)
            except ValueError:
                return error(400, "The retry key must be a UUID")
            if key in state.retry_keys:
                response = jsonify(
                    message="The retry key is already accepted",
                    sentMessages=_sent(state.retry_keys[key]),
                )
                response.status_code = 409
                response.headers["x-line-accepted-request-id"] = str(uuid.uuid4())
                return response
        body = send("push")
        if not isinstance(body, dict):
            return body
        if not body.get("to"):
            return error(
                400,
                "The request body has 1 error(s)",
                [{"message": "Must not be empty", "property": "to"}],
            )
        record = state.record(
            kind="push", to=body["to"], reply_token=None, messages=body["messages"], retry_key=key
        )
        if key:
            state.retry_keys[key] = record
        return late(jsonify(sentMessages=_sent(record)))

    @app.get("/v2/bot/group/<group_id>/member/<user_id>")
    @app.get("/v2/bot/profile/<user_id>")
    def profile(user_id: str, group_id: str | None = None):
        name = state.profiles.get(user_id) or f"ผู้ใช้ {user_id[-4:]}"
        return jsonify(displayName=name, userId=user_id, pictureUrl="https://example.invalid/p.png")

    @app.get("/v2/bot/group/<group_id>/summary")
    def summary(group_id: str):
        return jsonify(
            groupId=group_id,
            groupName=state.group_names.get(group_id, "กลุ่มทดสอบ"),
            pictureUrl="https://example.invalid/g.png",
        )

    @app.get("/v2/bot/group/<group_id>/members/count")
    def member_count(group_id: str):
        return jsonify(count=state.member_counts.get(group_id, 10))

    @app.get("/v2/bot/message/quota")
    def quota():
        return jsonify(type="limited", value=300)

    @app.get("/v2/bot/message/quota/consumption")
    def consumption():
        return jsonify(totalUsage=sum(1 for r in state.sent if r["kind"] == "push"))

    @app.get("/_fake/sent")
    def sent():
        after = request.args.get("after", default=0, type=int)
        return jsonify([r for r in list(state.sent) if r["seq"] > after])

    @app.post("/_fake/profiles")
    def profiles():
        body = request.get_json(force=True)
        state.set_profile(body["user_id"], body["display_name"], body.get("group_id"))
        return jsonify(ok=True)

    @app.post("/_fake/groups")
    def groups():
        body = request.get_json(force=True)
        if body.get("name"):
            state.set_group_name(body["group_id"], body["name"])
        if body.get("member_count") is not None:
            state.set_member_count(body["group_id"], int(body["member_count"]))
        return jsonify(ok=True)

    @app.post("/_fake/reset")
    def reset():
        state.reset()
        return jsonify(ok=True)

    @app.post("/_fake/deliver")
    def deliver():
        """Sign events as LINE does and POST them to the bot's webhook."""
        if not (webhook_url and channel_secret):
            return error(400, "the stand-in was started without a webhook URL and secret")
        body = json.dumps(request.get_json(force=True), ensure_ascii=False).encode()
        answer = requests.post(
            webhook_url,
            data=body,
            timeout=5,
            headers={
                "Content-Type": "application/json",
                "X-Line-Signature": sign(channel_secret, body),
            },
        )
        return jsonify(status=answer.status_code)

    return app


def _sent(record: dict) -> list[dict]:
    return [{"id": mid, "quoteToken": uuid.uuid4().hex} for mid in record["sent_message_ids"]]


@dataclass
class FakeLineServer:
    base_url: str
    state: FakeLineState
    _server: Any
    _thread: threading.Thread

    def shutdown(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def start_fake_line(host: str = "127.0.0.1", port: int = 0, **kwargs) -> FakeLineServer:
    """Serve the stand-in from a background thread (tests, benchmarks)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    state = FakeLineState()
    server = make_server(host, port, create_fake_line_app(state, **kwargs), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return FakeLineServer(f"http://{host}:{server.server_port}", state, server, thread)


def serve_fake_line(
    host: str, port: int, webhook_url: str, channel_secret: str, access_token: str
) -> None:
    """Serve the stand-in in the foreground (`flask --app wsgi fake-line`)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_fake_line_app(FakeLineState(), webhook_url, channel_secret, access_token)
    log.info("LINE จำลองพร้อมที่ http://%s:%d (ส่ง webhook ไปที่ %s)", host, port, webhook_url)
    make_server(host, port, app, threaded=True).serve_forever()
