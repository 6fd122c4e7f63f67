"""LINE counts text in UTF-16 code units: measure, cut and split every outgoing text that way."""

from __future__ import annotations

TEXT_LIMIT = 5000  # a text message
ALT_TEXT_LIMIT = 1500  # a Flex or template message's altText
LABEL_LIMIT = 20  # a quick-reply or template action label
FLEX_LABEL_LIMIT = 40  # a Flex button label kept readable
MAX_MESSAGES = 5  # message objects in one reply or push request
ELLIPSIS = "…"


def units(text: str) -> int:
    """Length as LINE measures it: characters outside the BMP (most emoji) count twice."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    """`text` when it fits in `limit` units, else its longest head that fits with `marker`."""
    if units(text) <= limit:
        return text
    room, size = limit - units(marker), 0
    for index, ch in enumerate(text):
        size += 2 if ord(ch) > 0xFFFF else 1
        if size > room:
            return text[:index] + marker
    return text + marker  # unreachable: the text did not fit


def more_line(count: int) -> str:
    return f"และอีก {count} รายการ"


def pack(
    lines: list[str], limit: int = TEXT_LIMIT, max_texts: int = MAX_MESSAGES, sep: str = "\n"
) -> list[str]:
    """Join lines into as few texts as fit `limit` units each, at most `max_texts` of them;
    what does not fit is counted in a closing "และอีก N รายการ". An overlong line is cut."""
    groups: list[list[str]] = [[]]
    size = 0
    for line in lines:
        line = cut(line, limit)
        extra = units(line) + (units(sep) if groups[-1] else 0)
        if groups[-1] and size + extra > limit:
            groups.append([])
            size, extra = 0, units(line)
        groups[-1].append(line)
        size += extra
    if len(groups) > max_texts:
        last = groups[max_texts - 1]
        left = sum(len(group) for group in groups[max_texts:])
        while last and units(sep.join([*last, more_line(left)])) > limit:
            last.pop()
            left += 1
        groups = [*groups[: max_texts - 1], [*last, more_line(left)]]
    return [sep.join(group) for group in groups if group]
