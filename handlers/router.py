"""First-match routing of events and text commands to handlers, with middleware for permissions."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from handlers.events import Event
from handlers.replies import Reply
from models.base import local_today
from models.oit.parser import ITEM
from models.registry import Person, Province

if TYPE_CHECKING:  # handlers hold a session but never build queries themselves
    from sqlalchemy.orm import Session

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
    today: date | None = None  # the date in Bangkok; computed from `now` when not given
    followups: set[str] = field(default_factory=set)  # work the worker does after commit
    sender: Person | None = None  # set by the known-person and coordinator middleware
    coordinates: list[Province] | None = None  # set by the coordinator middleware
    add_friend_url: str | None = None  # the official account's add-friend link, when known

    def __post_init__(self) -> None:
        if self.today is None:
            self.today = local_today(self.now)

    @property
    def person(self) -> Person:
        """The sender, as the role middleware found them; a route without it is a bug."""
        if self.sender is None:
            raise LookupError("this route has no known-person or coordinator middleware")
        return self.sender

    @property
    def provinces(self) -> list[Province]:
        """The provinces the sender coordinates that this chat is about (coordinator routes)."""
        if self.coordinates is None:
            raise LookupError("this route has no coordinator middleware")
        return self.coordinates


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


PARTICLES = ("นะครับ", "นะคะ", "ครับ", "คับ", "ค่ะ", "ค่า", "คะ", "จ้า", "จ้ะ", "ฮะ")
GLUED_ENDINGS = ("นะครับ", "นะคะ", "ครับ", "ค่ะ", "คะ")  # never the end of a name or a word
SOFTENERS = ("หน่อย", "นิดนึง", "นิดหนึ่ง")
SOFTENED = frozenset({"ถาม", "สอบถาม"})  # "ถามหน่อยค่ะ …" asks; "ตรวจหน่อยค่ะ" is chatter
LEADING_VOWELS = frozenset("เแโใไ")  # "เจ้า" ends in จ้า but is a word, not a particle
THAI_LETTERS = re.compile(r"[\u0E01-\u0E4F]")
CODE_WORDS = ("ข้อที่", "ข้อ", "โอ")


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _words_of(words: Iterable[str]) -> re.Pattern[str]:
    """Whitespace-separated words made only of `words`; possessive, so each character is read
    once whatever follows (no backtracking on a long run)."""
    return re.compile(rf"(?:\s*+(?:{_alternatives(words)})++(?!\S))*+\s*+")


FILLER = {
    soft: re.compile(rf"(?:{_alternatives(PARTICLES + (SOFTENERS if soft else ()))})++")
    for soft in (False, True)
}
LEADING = {soft: _words_of(PARTICLES + (SOFTENERS if soft else ())) for soft in (False, True)}
TRAILING = _words_of(p[::-1] for p in PARTICLES)  # matched on the text reversed


def is_filler(word: str, keyword: str | None = None) -> bool:
    """Only polite particles (and, after a question keyword, softeners such as หน่อย)."""
    return FILLER[keyword in SOFTENED].fullmatch(word) is not None


def only_particles(text: str) -> bool:
    """Nothing but particle words ("", "ครับ", "นะคะ"): an @mention with nothing to say."""
    return LEADING[False].match(text).end() == len(text)


def _codes_only(text: str) -> bool:
    """Item codes, links, numbers and particles, no other word: "ข้อ 2 ค่ะ", not "ข้อ 5 แล้ว"."""
    for word in (*CODE_WORDS, *PARTICLES):
        text = text.replace(word, " ")
    return THAI_LETTERS.search(text) is None


def _trim(args: str, keyword: str) -> str:
    """Arguments without the particle words before and after them, and without a particle
    glued to the last word (unless it is a link, which trims its own ending)."""
    start = LEADING[keyword in SOFTENED].match(args).end()
    end = max(start, len(args) - TRAILING.match(args[::-1]).end())
    words = args[start:end].rsplit(None, 1)
    last = words[-1] if words else ""
    if "/" not in last and ":" not in last:
        ending = next((e for e in GLUED_ENDINGS if last.endswith(e) and len(last) > len(e)), "")
        if ending and last[-len(ending) - 1] not in LEADING_VOWELS:
            end -= len(ending)
    return args[start:end]


def split_command(text: str, keywords: Iterable[str]) -> tuple[str, str]:
    """The command keyword a message starts with and its arguments, or ("", text) for none.

    The keyword may have polite particles glued on ("สถานะค่ะ") or an item code ("ยกเลิกข้อ 2");
    particles around the arguments are never arguments. Linear in the length of the text.
    """
    text = text.strip()
    parts = text.split(maxsplit=1)
    first, rest = (parts[0].lstrip("/"), parts[1] if len(parts) > 1 else "") if parts else ("", "")
    for keyword in sorted(keywords, key=len, reverse=True):
        if first[: len(keyword)].casefold() != keyword:
            continue
        glued = first[len(keyword) :]
        if not glued or is_filler(glued, keyword):
            return keyword, _trim(rest, keyword)
        args = f"{glued} {rest}" if rest else glued
        if ITEM.match(args) and _codes_only(args):
            return keyword, _trim(args, keyword)
    return "", text


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
        self.bare_mention: Handler | None = None
        self.keywords: list[str] = []  # every command keyword, longest first (kept on register)

    def command(self, *keywords: str, middleware: tuple[Middleware, ...] = ()):
        """Register a text command under one or more keywords (first word of the message)."""

        def register(func: Handler) -> Handler:
            self.commands.append(Command(tuple(k.casefold() for k in keywords), func, middleware))
            self.keywords = sorted(
                (k for c in self.commands for k in c.keywords), key=len, reverse=True
            )
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

    def mentioned_alone(self, func: Handler) -> Handler:
        """The handler for an @mention of the bot with nothing (or only particles) after it."""
        self.bare_mention = func
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
        if event.mentions_bot and self.bare_mention and only_particles(text):
            return True, self.bare_mention(ctx, "")
        if not text:
            return False, None
        word, args = split_command(text, self.keywords)
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
