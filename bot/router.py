"""First-match routing of events and text commands to handlers, with middleware for permissions."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.events import Event
from bot.replies import Reply
from models.base import local_today

Handler = Callable[["Context", str], Reply | None]
Middleware = Callable[["Context", str, Handler], Reply | None]
Recogniser = Callable[["Context", str], str | None]


@dataclass
class Context:
    """Everything a handler may read; it changes the database only through `session`."""

    session: Session
    event: Event
    now: datetime
    config: dict[str, Any]
    router: Router
    is_bot_message: Callable[[str], bool] = lambda _id: False
    state: dict[str, Any] = field(default_factory=dict)
    today: date | None = None  # the date in Bangkok; computed from `now` when not given
    followups: set[str] = field(default_factory=set)  # work the worker does after commit

    def __post_init__(self) -> None:
        if self.today is None:
            self.today = local_today(self.now)


@dataclass
class Command:
    keywords: tuple[str, ...]
    func: Handler
    middleware: tuple[Middleware, ...] = ()

    @property
    def help(self) -> str:
        """The first docstring line: the Thai help text users see."""
        return (inspect.getdoc(self.func) or "").splitlines()[0] if self.func.__doc__ else ""

    @property
    def usage(self) -> str:
        """The rest of the docstring: how to call it, shown on empty or malformed input."""
        lines = (inspect.getdoc(self.func) or "").splitlines()[1:]
        return "\n".join(line for line in lines if line.strip())


def split_command(text: str) -> tuple[str, str]:
    """First word (casefolded, leading '/' removed) and the rest of the text."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0].lstrip("/").casefold(), (parts[1] if len(parts) > 1 else "")


def _chain(func: Handler, middleware: tuple[Middleware, ...]) -> Handler:
    handler = func
    for layer in reversed(middleware):
        handler = (lambda inner, mw: lambda ctx, args: mw(ctx, args, inner))(handler, layer)
    return handler


class Router:
    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.event_handlers: dict[str, Handler] = {}
        self.recognisers: list[tuple[Recogniser, Handler]] = []
        self.fallback: Handler | None = None
        self.postbacks: dict[str, tuple[Handler, tuple[Middleware, ...]]] = {}

    def command(self, *keywords: str, middleware: tuple[Middleware, ...] = ()):
        """Register a text command under one or more keywords (first word of the message)."""

        def register(func: Handler) -> Handler:
            self.commands.append(Command(tuple(k.casefold() for k in keywords), func, middleware))
            return func

        return register

    def on(self, event_type: str):
        """Register the handler for a non-text event type (join, leave, follow, ...)."""

        def register(func: Handler) -> Handler:
            self.event_handlers[event_type] = func
            return func

        return register

    def recognise(self, recogniser: Recogniser):
        """Register a handler for messages it recognises as its own business without a keyword."""

        def register(func: Handler) -> Handler:
            self.recognisers.append((recogniser, func))
            return func

        return register

    def postback(self, prefix: str, middleware: tuple[Middleware, ...] = ()):
        """Register the handler for postback data "<prefix>|…" (it receives the whole data)."""

        def register(func: Handler) -> Handler:
            self.postbacks[prefix] = (func, middleware)
            return func

        return register

    def otherwise(self, func: Handler) -> Handler:
        """The handler for addressed text that matched nothing else."""
        self.fallback = func
        return func

    def find_command(self, word: str) -> Command | None:
        return next((c for c in self.commands if word in c.keywords), None)

    def dispatch(self, ctx: Context) -> tuple[bool, Reply | None]:
        """Route one event; returns (addressed to the bot, reply or None)."""
        event = ctx.event
        if event.type == "postback" and event.postback_data.split("|")[0] in self.postbacks:
            func, middleware = self.postbacks[event.postback_data.split("|")[0]]
            return True, _chain(func, middleware)(ctx, event.postback_data)
        if event.type != "message":
            handler = self.event_handlers.get(event.type)
            return handler is not None, handler(ctx, "") if handler else None
        text = event.text_without_bot_mention
        if not text:
            return False, None
        word, args = split_command(text)
        command = self.find_command(word)
        if command:
            return True, _chain(command.func, command.middleware)(ctx, args)
        for recogniser, func in self.recognisers:
            found = recogniser(ctx, text)
            if found is not None:
                return True, func(ctx, found)
        addressed = (
            not event.is_group
            or event.mentions_bot
            or bool(event.quoted_message_id and ctx.is_bot_message(event.quoted_message_id))
        )
        if addressed and self.fallback:
            return True, self.fallback(ctx, text)
        return addressed, None
