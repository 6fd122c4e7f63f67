"""What the local LINE stand-in has seen and sent, with the knobs tests turn."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

DEFAULT_MEMBER_COUNT = 10  # what the member-count endpoint answers for a group it was not told of
DEFAULT_QUOTA = 300  # the free plan's messages a month
BOT_USER_ID = "U0f1a2b3c4d5e6f708192a3b4c5d6e7f8"


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
            self.login_user: str | None = None  # who LINE Login signs in (the stand-in's)
            self.group_names: dict[str, str] = {}
            self.friends: dict[str, bool] = {}  # users not listed: `default_friend`
            self.default_friend = False  # as on LINE: nobody is a friend until they add the bot
            self.failures: list[dict[str, Any]] = []
            self.tokens_expired = False
            self.basic_id = "@itabot"
            self.quota_limit: int | None = DEFAULT_QUOTA  # None: LINE's "type": "none"
            self.extra_usage = 0  # pushes made elsewhere (the console, another bot)

    def set_member_count(self, group_id: str, count: int) -> None:
        self.member_counts[group_id] = count

    def set_profile(self, user_id: str, display_name: str, group_id: str | None = None) -> None:
        self.profiles[user_id] = display_name

    def set_group_name(self, group_id: str, name: str) -> None:
        self.group_names[group_id] = name

    def set_friend(self, user_id: str, is_friend: bool) -> None:
        """A user who is not a friend gets 404 from the one-to-one profile endpoint."""
        self.friends[user_id] = is_friend

    def is_friend(self, user_id: str) -> bool:
        return self.friends.get(user_id, self.default_friend)

    def learn_friendship(self, events: list) -> None:
        """Follow and unfollow events delivered through the stand-in change who is a friend,
        as on LINE."""
        for event in events:
            user_id = ((event or {}).get("source") or {}).get("userId")
            if user_id and event.get("type") in ("follow", "unfollow"):
                self.set_friend(user_id, event["type"] == "follow")

    def add_usage(self, messages: int) -> None:
        """Count messages pushed outside the bot, as LINE's consumption would."""
        with self._lock:
            self.extra_usage += messages

    def push_cost(self, to: str) -> int:
        """LINE counts a push once per recipient: a group's members, or one user."""
        if to.startswith(("C", "R")):
            return self.member_counts.get(to, DEFAULT_MEMBER_COUNT)
        return 1

    def usage(self) -> int:
        """This month's messages as LINE counts them: pushes per recipient; replies are free."""
        with self._lock:
            return self.extra_usage + sum(r.get("cost", 0) for r in self.sent)

    def fail_next(
        self,
        endpoint: str = "any",
        status: int = 500,
        times: int = 1,
        delay: float = 0.0,
        message: str = "The fake LINE API was told to fail",
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls to reply/push/any (or profile/info/quota, named) answer
        `status` (0: only wait `delay`) with LINE's `message` (e.g. "You have reached your
        monthly limit.")."""
        with self._lock:
            self.failures.append(
                {"endpoint": endpoint, "status": status, "times": times, "delay": delay,
                 "message": message, "retry_after": retry_after}
            )  # fmt: skip

    def expire_reply_tokens(self) -> None:
        self.tokens_expired = True

    def take_failure(self, endpoint: str, named_only: bool = False) -> dict | None:
        """The failure planned for this endpoint; `named_only`: not one planned for "any"
        (the profile, bot-info and quota endpoints fail only when named)."""
        with self._lock:
            for failure in self.failures:
                if failure["endpoint"] == endpoint or (
                    failure["endpoint"] == "any" and not named_only
                ):
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
            record["cost"] = self.push_cost(record["to"]) if record["kind"] == "push" else 0
            self.sent.append(record)
            self._lock.notify_all()
            return record

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.sent) >= count, timeout)
            return list(self.sent)
