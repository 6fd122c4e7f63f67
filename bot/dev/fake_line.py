"""Local stand-in for the LINE API: it records what the bot sends, refuses what LINE would."""

from __future__ import annotations

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
from bot.dev.fake_line_checks import MESSAGE_TYPES, utf16_len, validate_messages
from bot.dev.fake_line_login import register_login
from bot.dev.fake_line_state import BOT_USER_ID, FakeLineState

log = logging.getLogger(__name__)
MAX_BODY = 2 * 1024 * 1024
__all__ = [
    "MESSAGE_TYPES",
    "FakeLineServer",
    "FakeLineState",
    "create_fake_line_app",
    "serve_fake_line",
    "start_fake_line",
    "utf16_len",
    "validate_messages",
]


def error(status: int, message: str, details: list[dict] | None = None):
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = details
    return jsonify(body), status


def create_fake_line_app(
    state: FakeLineState,
    webhook_url: str | None = None,
    channel_secret: str | None = None,
    access_token: str | None = None,
) -> Flask:
    app = Flask("fake_line")
    register_login(app, state)

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

    def refused(endpoint: str):
        """A failure planned for a read endpoint (fail_next with its name), else None."""
        planned = state.take_failure(endpoint, named_only=True)
        if planned is None:
            return None
        time.sleep(planned["delay"])
        return error(planned["status"], planned["message"]) if planned["status"] else None

    def profile_of(user_id: str):
        name = state.profiles.get(user_id) or f"ผู้ใช้ {user_id[-4:]}"
        return jsonify(displayName=name, userId=user_id, pictureUrl="https://example.invalid/p.png")

    @app.get("/v2/bot/group/<group_id>/member/<user_id>")
    def member_profile(group_id: str, user_id: str):
        """Works for every member, friend of the bot or not, as on LINE."""
        return profile_of(user_id)

    @app.get("/v2/bot/profile/<user_id>")
    def profile(user_id: str):
        """One-to-one: LINE answers 404 for a user who is not a friend of the bot."""
        failed = refused("profile")
        if failed:
            return failed
        return profile_of(user_id) if state.is_friend(user_id) else error(404, "Not found")

    @app.get("/v2/bot/info")
    def bot_info():
        failed = refused("info")
        return failed or jsonify(
            userId=BOT_USER_ID,
            basicId=state.basic_id,
            displayName="บอท ITA",
            chatMode="bot",
            markAsReadMode="auto",
        )

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
        failed = refused("quota")
        if failed:
            return failed
        if state.quota_limit is None:
            return jsonify(type="none")
        return jsonify(type="limited", value=state.quota_limit)

    @app.get("/v2/bot/message/quota/consumption")
    def consumption():
        """Counted as LINE does: a push once per recipient (a group's members), replies free."""
        return refused("quota") or jsonify(totalUsage=state.usage())

    @app.get("/_fake/sent")
    def sent():
        after = request.args.get("after", default=0, type=int)
        return jsonify([r for r in list(state.sent) if r["seq"] > after])

    @app.post("/_fake/profiles")
    def profiles():
        body = request.get_json(force=True)
        state.set_profile(body["user_id"], body["display_name"], body.get("group_id"))
        return jsonify(ok=True)

    @app.post("/_fake/friends")
    def friends():
        """{"user_id": "U…", "is_friend": false}, or {"default": false} for users not named."""
        body = request.get_json(force=True)
        if "default" in body:
            state.default_friend = bool(body["default"])
        if body.get("user_id"):
            state.set_friend(body["user_id"], bool(body.get("is_friend", True)))
        return jsonify(ok=True)

    @app.post("/_fake/quota")
    def set_quota():
        """{"limit": 300 or null, "add_usage": 25}: either or both."""
        body = request.get_json(force=True)
        if "limit" in body:
            state.quota_limit = None if body["limit"] is None else int(body["limit"])
        if body.get("add_usage"):
            state.add_usage(int(body["add_usage"]))
        return jsonify(ok=True, limit=state.quota_limit, used=state.usage())

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
        delivered = request.get_json(force=True)
        state.learn_friendship(delivered.get("events") or [])
        body = json.dumps(delivered, ensure_ascii=False).encode()
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
