"""Questions whose right entry follows from their form, before any scoring: what a term is
("IIT ย่อมาจากอะไร", "eitคืออะไร", "O12 คืออะไร") and how the tools differ ("oit กับ iit
ต่างกันยังไง"). Entries say what they define (`defines:`), so the rule lives in data."""

from __future__ import annotations

import re

from models.faq.thai_text import normalise

TOOLS = {"iit", "eit", "oit"}
TERM = r"itas|ita|iit|eit|oit|moit|mitas|o\d{1,2}"
FILLER = r"(?:\s|มัน|นี่|นั่น|นั้น|เนี่ย|ที่ว่า|เค้า|เขา|ย่อ|เนี่ยนะ)*"
ASKS_WHAT = (
    r"(?:คือ\s*อะไร|ย่อ\s*มาจาก|ย่อ\s*ว่า|หมายถึง|หมาย\s*ความ\s*ว่า|แปล\s*ว่า|ชื่อเต็ม"
    r"|คือ\s*แบบ|คือ\s*ระบบ|คือ\s*การ|คือ$)"
)
DEFINES = re.compile(rf"(?<![a-z])({TERM}){FILLER}{ASKS_WHAT}")
DIFFER = re.compile(
    r"ต่าง\s*กัน|แตก\s*ต่าง|ต่าง\s*จาก|เหมือน\s*หรือ\s*ต่าง|เหมือน\s*กัน\s*(?:ไหม|มั้ย|หรือ)|\bvs\b"
)
ANY_TERM = re.compile(rf"(?<![a-z])({TERM})(?![a-z0-9])")
DIFFERENCE = "tools"  # what an entry defines when it compares the three tools


def defined_term(question: str) -> str | None:
    """The term the question asks to define or compare, or None for any other question."""
    text = normalise(question)
    terms = ANY_TERM.findall(text)
    if DIFFER.search(text):
        named = set(terms)
        if "itas" in named and named & {"ita", "oit"}:
            return "itas"
        if len(named & (TOOLS | {"ita"})) >= 2 and len(named & TOOLS) >= 1:
            return DIFFERENCE
        return None
    asked = DEFINES.findall(text)
    if not asked:
        return None
    items = [t for t in asked if t[0] == "o" and t[1:].isdigit()]
    return (items or asked)[-1]
