"""Read OIT links out of chat text the way admins type them: pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# "O1", "o 1", "O.1", "O-1", "O๑", "ข้อ 1", "ข้อที่ 1"; not the O of "OIT" or of a word.
ITEM = re.compile(r"(?<![A-Za-z0-9])(?:[Oo]\s*[.\-:]?\s*|ข้อ(?:ที่)?\s*)([0-9๐-๙]{1,2})(?![0-9๐-๙])")
RANGE = re.compile(r"^\s*[-–~]\s*(?:[Oo]\s*[.\-]?\s*)?([0-9๐-๙]{1,2})(?![0-9๐-๙])")
LINK = re.compile(r"(?i)(?:\b[a-z][a-z+.\-]{1,15}://|\bwww\.)\S+")
TRAILING = re.compile(r"[.,;:!?)\]}>\"'”’]+$|(?:นะ)?(?:คะ|ค่ะ|ครับ|จ้า|จ้ะ)+$")
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


def find_links(line: str) -> list[str]:
    """Links in a line, trailing punctuation and Thai polite endings cut off."""
    links = []
    for match in LINK.finditer(line):
        link = match.group(0)
        while (trimmed := TRAILING.sub("", link)) != link:
            link = trimmed
        if link:
            links.append(link)
    return links


def find_items(text: str) -> list[str]:
    """Item codes in a text, ranges expanded: "O1-O3 O7" → O1, O2, O3, O7."""
    codes: list[str] = []
    for match in ITEM.finditer(text):
        first = int(match.group(1).translate(THAI_DIGITS))
        ranged = RANGE.match(text[match.end() :])
        last = int(ranged.group(1).translate(THAI_DIGITS)) if ranged else first
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
    """One item per line; lines of links alone add to the item just above them."""
    parsed, last = ParsedLinks(), None
    for line_no, line in enumerate(text.splitlines(), start=1):
        links = find_links(line)
        without_links = LINK.sub(" ", line)
        match = ITEM.search(without_links)
        if match is None:
            if links and last is not None and last.line_no == line_no - 1:
                last.urls.extend(links)
                last.line_no = line_no
            elif links:
                parsed.bad.append(BadLine(line_no, line.strip(), "ไม่ได้ระบุข้อ (เช่น O1)"))
            continue
        _close(parsed, last, text)
        last = ItemLine(line_no, item_code(match.group(1)), links, without_links[: match.start()])
        last.before = last.before.strip()
    _close(parsed, last, text)
    return parsed


def _close(parsed: ParsedLinks, item: ItemLine | None, text: str) -> None:
    if item is None:
        return
    if item.urls:
        parsed.items.append(item)
    else:
        line = text.splitlines()[item.line_no - 1].strip()
        parsed.bad.append(BadLine(item.line_no, line, "ไม่พบลิงก์ของข้อนี้"))


def has_item_link(text: str) -> bool:
    """True when an item code is paired with a link: a submission, even without a command word."""
    return bool(LINK.search(text)) and bool(parse_links(text).items)
