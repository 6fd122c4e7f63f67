"""Read OIT links out of chat text the way admins type them: pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.numbers import THAI_DIGITS

# "O1", "o 1", "O.1", "O-1", "O๑", "โอ15", "ข้อ 1", "ข้อที่ 1"; not the O of "OIT" or of a word,
# nor the โอ ending a Thai word (วิดีโอ 3).
# `(?:\s*[.\-:])?\s*`, not `\s*[.\-:]?\s*`: two `\s*` side by side would try every split of a
# run of spaces between them, quadratic in its length. Every pattern here is kept that way.
CODE = r"(?:(?<![A-Za-z0-9])(?:[Oo](?:\s*[.\-:])?\s*|ข้อ(?:ที่)?\s*)|(?<![ก-๏])โอ(?:\s*[.\-:])?\s*)"
ITEM = re.compile(CODE + r"([0-9๐-๙]{1,2})(?![0-9๐-๙])")
# An item code and, looked ahead at without consuming it, the end of a range: "O1-O3", "O๑ – ๓".
RANGED = re.compile(
    ITEM.pattern + r"(?=\s*[-–~]\s*(?:[Oo](?:\s*[.\-])?\s*)?([0-9๐-๙]{1,2})(?![0-9๐-๙])|)"
)
# A link starts after anything but a letter ("O1https://…" too) and ends at white space, at a
# Thai or CJK comma, or at a , ; | that an item code follows: "…/o2,O3 …/o3" is two items.
NEXT_ITEM = r"[,;|]\s*" + CODE + r"[0-9๐-๙]"
LINK = re.compile(
    r"(?i)(?<![a-z])(?:[a-z][a-z+.\-]{1,15}://|www\.)(?:[^\s、，,;|]|(?!" + NEXT_ITEM + r")[,;|])+"
)
TRAILING_MARKS = frozenset(".,;:!?)]}>\"'”’|")
POLITE = ("คะ", "ค่ะ", "ครับ", "จ้า", "จ้ะ")  # cut from a link's end, with a นะ just before them
MAX_LINKS = 20  # links for one item in one message; more is a paste gone wrong
NOISE = {
    "ส่ง",
    "เรียน",
    "oit",
    "ita",
    "ลิงก์",
    "ลิงค์",
    "link",
    "url",
    "ข้อมูล",
    "ค่ะ",
    "ครับ",
    "คะ",
    "นะคะ",
    "ของ",
}


def item_code(number: str) -> str:
    return f"O{int(number.translate(THAI_DIGITS))}"


def trim_link(link: str) -> str:
    """The link without trailing punctuation and Thai polite endings, read once from its end."""
    end = len(link)
    while end:
        if link[end - 1] in TRAILING_MARKS:
            end -= 1
            continue
        polite = next((word for word in POLITE if link.endswith(word, 0, end)), None)
        if polite is None:
            break
        end -= len(polite)
        if link.endswith("นะ", 0, end):
            end -= 2
    return link[:end]


def _link_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, link) for each link in a line, trailing punctuation and polite endings cut."""
    found = ((m.start(), m.end(), trim_link(m.group(0))) for m in LINK.finditer(line))
    return [span for span in found if span[2]]


def find_links(line: str) -> list[str]:
    """Links in a line, trailing punctuation and Thai polite endings cut off."""
    return [link for _, _, link in _link_spans(line)]


def find_items(text: str) -> list[str]:
    """Item codes in a text, ranges expanded: "O1-O3 O7" → O1, O2, O3, O7."""
    codes: list[str] = []
    for match in RANGED.finditer(text):
        first = int(match.group(1).translate(THAI_DIGITS))
        last = int(match.group(2).translate(THAI_DIGITS)) if match.group(2) else first
        for number in range(first, max(first, min(last, first + 60)) + 1):
            if f"O{number}" not in codes:
                codes.append(f"O{number}")
    return codes


@dataclass
class ItemLine:
    line_no: int
    code: str
    urls: list[str]
    before: str  # the text before the item code (an agency's name or code, or polite words)


@dataclass
class BadLine:
    line_no: int
    text: str
    reason: str


@dataclass
class ParsedLinks:
    items: list[ItemLine] = field(default_factory=list)
    bad: list[BadLine] = field(default_factory=list)

    @property
    def agency_hint(self) -> str:
        """What the first item line names before its code, polite words removed."""
        if not self.items:
            return ""
        words = [w for w in self.items[0].before.split() if w.casefold() not in NOISE]
        return " ".join(words)


def parse_links(text: str) -> ParsedLinks:
    """Items and their links, in order: an item code after a link starts the next item, even
    on the same line; lines of links alone add to the item just above them."""
    parsed, lines, last = ParsedLinks(), text.splitlines(), None
    siblings: list[ItemLine] = []  # "O1, O2 https://…": codes side by side share the links
    for line_no, line in enumerate(lines, start=1):
        tokens, blanked = _tokens(line)
        if not any(kind == "code" for kind, _, _ in tokens):
            links = [value for kind, _, value in tokens]
            if links and last is not None and last.line_no == line_no - 1:
                last.urls.extend(links)
                last.line_no = line_no
            elif links:
                parsed.bad.append(BadLine(line_no, line.strip(), "ไม่ได้ระบุข้อ (เช่น O1)"))
            continue
        early: list[str] = []  # links before the line's first code belong to that code
        first = True
        for kind, start, value in tokens:
            if kind == "link":
                (early if first else last.urls).append(value)
            elif first or last.urls:
                for item in (last, *siblings):
                    _close(parsed, item, lines)
                before = blanked[:start].strip() if first else ""
                last, siblings = ItemLine(line_no, value, early if first else [], before), []
                first = False
            else:
                siblings.append(ItemLine(line_no, value, last.urls, ""))
    for item in (last, *siblings):
        _close(parsed, item, lines)
    return parsed


def _codes_at(text: str) -> list[tuple[int, str]]:
    """(position, code) of each item code, a range "O1-O3" giving O1, O2 and O3 at its start."""
    found, range_end = [], None
    for match in RANGED.finditer(text):
        first = int(match.group(1).translate(THAI_DIGITS))
        if first == range_end:  # the "O3" of "O1-O3", already given by the range
            range_end = None
            continue
        last = int(match.group(2).translate(THAI_DIGITS)) if match.group(2) else first
        numbers = range(first, max(first, min(last, first + 60)) + 1)
        found += [(match.start(), f"O{n}") for n in numbers]
        range_end = last if match.group(2) else None
    return found


def _tokens(line: str) -> tuple[list[tuple[str, int, str]], str]:
    """("code", start, "O5") and ("link", start, url) in the order they stand in the line, and
    the line with its links blanked out (the text around them keeps its positions)."""
    spans = _link_spans(line)
    pieces, end = [], 0
    for start, stop, _ in spans:
        pieces += [line[end:start], " " * (stop - start)]
        end = stop
    blanked = "".join(pieces) + line[end:]
    codes = [("code", start, code) for start, code in _codes_at(blanked)]
    links = [("link", start, link) for start, _, link in spans]
    return sorted(codes + links, key=lambda token: token[1]), blanked


def _close(parsed: ParsedLinks, item: ItemLine | None, lines: list[str]) -> None:
    """Keep the item just read, or say why not: no link, too many, or its code seen already."""
    if item is None:
        return
    earlier = next((kept for kept in parsed.items if kept.code == item.code), None)
    if not item.urls:
        reason = f"ไม่พบลิงก์ของข้อ {item.code}"
    elif len(item.urls) > MAX_LINKS:
        reason = f"ลิงก์เกิน {MAX_LINKS} ลิงก์ในข้อเดียว โปรดส่งเฉพาะลิงก์ที่ใช้ตอบข้อนี้"
    elif earlier is not None:
        reason = f"ข้อ {item.code} ซ้ำกับบรรทัด {earlier.line_no}"
    else:
        parsed.items.append(item)
        return
    parsed.bad.append(BadLine(item.line_no, lines[item.line_no - 1].strip(), reason))


def has_item_link(text: str) -> bool:
    """True when an item code is paired with a link: a submission, even without a command word."""
    return bool(LINK.search(text)) and bool(parse_links(text).items)
