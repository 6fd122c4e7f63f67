"""Make a webhook event storable: no NUL or other C0 controls, no lone surrogates, bounded depth."""

from __future__ import annotations

import re
from bisect import bisect_left

MAX_DEPTH = 64  # LINE events nest about six levels; far deeper would overflow json later
# C0 controls but tab and newline (PostgreSQL text holds no NUL), CR, and lone surrogates
# (no UTF-8 form, so no driver can send them).
UNSAFE = re.compile(r"\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f]|[\ud800-\udfff]")

# JSON escapes that could decode to what UNSAFE finds (strict json.loads refuses raw controls,
# and strict UTF-8 refuses encoded surrogates); a false alarm only costs the slow path.
SUSPECT = re.compile(r"\\(?:[bfr]|u00[01]|u[dD][89a-fA-F])")


class TooDeep(ValueError):
    """An event nested deeper than MAX_DEPTH."""


def _safe(match: re.Match) -> str:
    found = match.group()
    if found[0] == "\r":
        return "\n"  # CR LF and a lone CR both become one newline
    return "\ufffd" if found >= "\ud800" else ""


def clean_text(text: str) -> str:
    """The text without what the database cannot hold or the parsers should not see."""
    return UNSAFE.sub(_safe, text)


def needs_cleaning(body: str) -> bool:
    """Whether some string parsed from this JSON text may need cleaning, or it may nest too deep."""
    return body.count("{") + body.count("[") > MAX_DEPTH or SUSPECT.search(body) is not None


def clean(value, depth: int = 0):
    """A copy of a JSON value with every string and key cleaned; linear in its size."""
    if isinstance(value, str):
        return UNSAFE.sub(_safe, value)
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            raise TooDeep
        return {UNSAFE.sub(_safe, k): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            raise TooDeep
        return [clean(v, depth + 1) for v in value]
    return value


def shift_spans(message: dict) -> None:
    """Move mention and emoji index/length (str indexes, as Event uses them) past the
    characters clean_text is about to drop from the message text."""
    text = message.get("text")
    if not isinstance(text, str):
        return
    dropped = [m.start() for m in UNSAFE.finditer(text) if len(_safe(m)) < len(m.group())]
    if not dropped:
        return
    mention = message.get("mention")
    spans = mention.get("mentionees") if isinstance(mention, dict) else None
    emojis = message.get("emojis")
    for items in (spans, emojis):
        for span in items if isinstance(items, list) else ():
            start = span.get("index") if isinstance(span, dict) else None
            length = span.get("length") if isinstance(span, dict) else None
            if type(start) is int and type(length) is int:
                before = bisect_left(dropped, start)
                span["index"] = start - before
                span["length"] = length - (bisect_left(dropped, start + length) - before)


def storable(raw: dict) -> dict:
    """The event as sent, minus what no column can hold; raises TooDeep."""
    message = raw.get("message")
    if isinstance(message, dict):
        shift_spans(message)
    return clean(raw)
