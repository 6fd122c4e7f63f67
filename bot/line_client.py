"""The only module that talks to LINE's Messaging API (through line-bot-sdk v3)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import quote

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
)
from urllib3.exceptions import HTTPError as Urllib3Error

log = logging.getLogger(__name__)


class LineError(Exception):
    """A call that did not succeed; `transient` errors may be retried."""

    def __init__(
        self, status: int | None, message: str, transient: bool, retry_after: float | None = None
    ):
        super().__init__(f"{status or 'no answer'}: {message}")
        self.status, self.message, self.transient = status, message, transient
        self.retry_after = retry_after  # seconds LINE asked us to wait, when it said

    @property
    def monthly_limit(self) -> bool:
        """429 "You have reached your monthly limit": no retry helps until the month turns."""
        return self.status == 429 and "monthly limit" in self.message.lower()

    @property
    def rate_limited(self) -> bool:
        """429 for too many requests: retried later with the same retry key."""
        return self.status == 429 and not self.monthly_limit

    @property
    def invalid_reply_token(self) -> bool:
        return self.status == 400 and "invalid reply token" in self.message.lower()

    @property
    def already_accepted(self) -> bool:
        """409 on a push: LINE already accepted a request with this retry key."""
        return self.status == 409


@dataclass
class Sent:
    message_ids: list[str]


class LineClient:
    """A thin wrapper: explicit timeouts, no urllib3 retries, errors classified once."""

    def __init__(self, access_token: str, base_url: str = "", timeout: float = 5.0):
        configuration = Configuration(host=base_url.rstrip("/") or None, access_token=access_token)
        configuration.retries = False
        self.api = MessagingApi(ApiClient(configuration))
        self.timeout = (min(timeout, 3.0), timeout)

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, _request_timeout=self.timeout, **kwargs)
        except ApiException as error:
            status = int(error.status or 0)
            failure = LineError(status, _error_message(error.body), status >= 500)
            if failure.rate_limited:  # retried like a 5xx, no sooner than LINE asks
                failure.transient, failure.retry_after = True, _retry_after(error.headers)
            raise failure from None
        except Urllib3Error as error:
            raise LineError(None, type(error).__name__, True) from None

    def reply(self, reply_token: str, messages: list[dict]) -> Sent:
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        response = self._call(self.api.reply_message, request)
        return Sent([m.id for m in response.sent_messages or []])

    def push(self, to: str, messages: list[dict], retry_key: str) -> Sent:
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        response = self._call(self.api.push_message, request, x_line_retry_key=retry_key)
        return Sent([m.id for m in response.sent_messages or []])

    def group_member_count(self, group_id: str) -> int:
        return int(self._call(self.api.get_group_member_count, group_id).count)

    def group_member_name(self, group_id: str, user_id: str) -> str:
        return self._call(self.api.get_group_member_profile, group_id, user_id).display_name

    def profile_name(self, user_id: str) -> str:
        return self._call(self.api.get_profile, user_id).display_name

    def friend_name(self, user_id: str) -> str | None:
        """The one-to-one profile's name; None when LINE answers 404 (not a friend of the bot).
        A user who blocked the bot still answers 200: only unfollow events say so."""
        try:
            return self.profile_name(user_id)
        except LineError as error:
            if error.status == 404:
                return None
            raise

    def is_friend(self, user_id: str) -> bool:
        """Whether LINE's one-to-one profile API knows this user (200) or not (404)."""
        return self.friend_name(user_id) is not None

    def basic_id(self) -> str:
        """The official account's basic id, e.g. "@123abcd" (for the add-friend link)."""
        return self._call(self.api.get_bot_info).basic_id

    def message_quota(self) -> int | None:
        """This month's message limit; None when the plan has none."""
        answer = self._call(self.api.get_message_quota)
        limited = answer.type == "limited" and answer.value is not None  # a str enum
        return int(answer.value) if limited else None

    def quota_consumption(self) -> int:
        """Messages LINE counted this month (pushes, per recipient)."""
        return int(self._call(self.api.get_message_quota_consumption).total_usage)

    def group_name(self, group_id: str) -> str:
        return self._call(self.api.get_group_summary, group_id).group_name


def add_friend_url(basic_id: str) -> str:
    """LINE's add-friend link for an official account; the "@" is encoded as LINE documents."""
    return "https://line.me/R/ti/p/" + quote(basic_id, safe="")


def _retry_after(headers) -> float | None:
    """Retry-After in seconds (LINE may send it with a 429); None when absent or unreadable."""
    try:
        value = float((headers or {}).get("Retry-After", ""))
    except (TypeError, ValueError):
        return None
    return min(max(value, 0.0), 3600.0)


def _error_message(body) -> str:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return "unreadable error body"
    message = str(data.get("message", ""))
    details = data.get("details") or []
    if details:
        message += " " + "; ".join(
            f"{d.get('property', '')}: {d.get('message', '')}" for d in details[:3]
        )
    return message[:500]
