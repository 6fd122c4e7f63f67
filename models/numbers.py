"""Numbers typed in chat: ASCII and Thai digits only, always within a stated range."""

from __future__ import annotations

import re

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# What a typed whole number looks like; `\d` would also take Arabic-Indic or other scripts' digits.
WHOLE = r"[0-9๐-๙]+"
DECIMAL = r"[0-9๐-๙]+(?:\.[0-9๐-๙]+)?"
ID_MAX = 2**31 - 1  # a database id never exceeds a 32-bit integer column
_WHOLE = re.compile(WHOLE)
_DECIMAL = re.compile(DECIMAL)


def to_ascii(text: str) -> str:
    """Thai digits to ASCII, everything else unchanged."""
    return text.translate(THAI_DIGITS)


def parse_int(text: str, low: int = 0, high: int = ID_MAX) -> int | None:
    """The whole number `text` spells (ASCII or Thai digits, nothing else), if low ≤ n ≤ high."""
    text = text.strip()
    if not _WHOLE.fullmatch(text) or len(text) > 12:
        return None
    number = int(to_ascii(text))
    return number if low <= number <= high else None


def parse_decimal(text: str, low: float, high: float) -> float | None:
    """A number such as 85 or ๘๕.๕ (ASCII or Thai digits), if low ≤ n ≤ high."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text) or len(text) > 12:
        return None
    number = float(to_ascii(text))
    return number if low <= number <= high else None
