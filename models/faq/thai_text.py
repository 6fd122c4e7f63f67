"""Thai text for retrieval: normalise how officers type, then segment with PyThaiNLP (newmm)."""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from models.base import DATA_DIR
from models.numbers import THAI_DIGITS
from models.oit.parser import ITEM

TERMS = DATA_DIR / "faq" / "terms.txt"
# Spellings officers use for the same thing; applied to the whole text before segmenting.
SPELLINGS = [
    (r"ป\.?\s?ป\.?\s?ช\.?", "ปปช"),
    (r"อ\.?\s?ป\.?\s?ท\.?", "อปท"),
    (r"อ\.?\s?บ\.?\s?ต\.?", "อบต"),
    (r"อ\.?\s?บ\.?\s?จ\.?", "อบจ"),
    (r"สนง\.?", "สนง"),
    (r"อิ[ต|ท]้?า|ไอทีเอ", " ita "),
    (r"โอ\s?ไอ\s?ที", " oit "),
    (r"ไอ\s?ไอ\s?ที", " iit "),
    (r"อี\s?ไอ\s?ที", " eit "),
    (r"ลิ้?งค์|ลิงก์|url|link", " ลิงก์ "),
    (r"เว็?[บป]ไซ[ตด]์?|เว็?[บป]|website|web", " เว็บไซต์ "),
    (r"ไอแทส|ไอ\s?ที\s?เอ\s?เอส", " itas "),
    (r"qr\s?code|คิวอาร์", " คิวอาร์โค้ด "),
    (r"ม\.ค\.", "มกราคม"), (r"ก\.พ\.", "กุมภาพันธ์"), (r"มี\.ค\.", "มีนาคม"), (r"เม\.ย\.", "เมษายน"),
]  # fmt: skip
PARTICLES = re.compile(r"(?:นะ)?(?:ครับ|คับ|ค่ะ|คะ|ค่า|จ้า|จ้ะ|จ๊ะ|ฮะ|ป่ะ|มั้ย)(?=[\s?!.,]|$)")
NOISE = re.compile(r"[^\w\s\u0E00-\u0E7F]|_")
SAME_WORD = {
    "ไร": "อะไร", "อะไรบ้าง": "อะไร", "ไหร่": "เท่าไร", "เท่าไหร่": "เท่าไร", "เมื่อไหร่": "เมื่อไร",
    "ยังไง": "อย่างไร", "ไง": "อย่างไร", "ยังงัย": "อย่างไร", "งัย": "อย่างไร", "กี่โมง": "เวลา",
    "ปีงบ": "ปีงบประมาณ", "รอบแรก": "ระยะที่ 1", "รอบสอง": "ระยะที่ 2", "รอบสาม": "ระยะที่ 3",
    "รอบที่": "ระยะที่", "รอบสุดท้าย": "ระยะที่ 3", "ลิงค์": "ลิงก์", "คะแนนจำลอง": "คะแนน",
    "หน่วยงานท้องถิ่น": "อปท",
}  # fmt: skip
DROP = {
    "",
    " ",
    "ๆ",
    "นะ",
    "หน่อย",
    "ด้วย",
    "ครับ",
    "ค่ะ",
    "คะ",
    "จ้า",
    "ที่",
    "การ",
    "ความ",
    "และ",
    "ของ",
}


class PrefixSetTrie(Trie):
    """PyThaiNLP's Trie for newmm, kept as two sets: building the node tree for its 62,000
    words takes 0.6–0.9 s of every worker start, the sets about 0.15 s. Same prefixes()."""

    def __init__(self, words: set[str]):
        self.words = {w.strip() for w in words if w.strip()}
        self.starts = {w[:k] for w in self.words for k in range(1, len(w) + 1)}

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found, end = [], start + 1
        while end <= len(text) and text[start:end] in self.starts:
            if text[start:end] in self.words:
                found.append(text[start:end])
            end += 1
        return found

    def add(self, word: str) -> None:
        word = word.strip()
        self.words.add(word)
        self.starts.update(word[:k] for k in range(1, len(word) + 1))

    def remove(self, word: str) -> None:
        self.words.discard(word)  # its prefixes may stay: prefixes() only returns words

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def __iter__(self):
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


@lru_cache(maxsize=1)
def dictionary() -> Trie:
    terms = [t.strip() for t in TERMS.read_text(encoding="utf-8").splitlines()]
    return PrefixSetTrie(set(thai_words()) | {t for t in terms if t and not t.startswith("#")})


def normalise(text: str) -> str:
    """Lower case, Arabic digits, one spelling per term, item codes as o5, particles dropped."""
    text = text.translate(THAI_DIGITS).lower()
    text = ITEM.sub(lambda m: f" o{int(m.group(1))} ", text)
    for pattern, replacement in SPELLINGS:
        text = re.sub(pattern, replacement, text)
    text = PARTICLES.sub(" ", text)
    return " ".join(NOISE.sub(" ", text).split())


def tokens(text: str) -> list[str]:
    """Normalised words for BM25 (newmm with the ITA terms dictionary)."""
    # normalise() leaves no "." "," or ":" to rejoin numbers at, and PyThaiNLP's rejoining
    # regex is quadratic on a long run of digits (0.2-0.4 s for 5,000 of them).
    words = word_tokenize(
        normalise(text), custom_dict=dictionary(), engine="newmm", join_broken_num=False
    )
    kept = [
        part
        for w in words
        if w.strip() not in DROP
        for part in SAME_WORD.get(w.strip(), w.strip()).split()
    ]
    merged: list[str] = []
    for word in kept:  # newmm splits the item code "o5" into "o" and "5"
        if word.isdigit() and merged and merged[-1] == "o":
            merged[-1] = "o" + word
        else:
            merged.append(word)
    return merged
