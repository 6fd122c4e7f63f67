"""Agency kinds and the way people type agency names: abbreviations, Thai digits, spacing."""

from __future__ import annotations

import re
import unicodedata

from pythainlp.util import thai_digit_to_arabic_digit

from models.line_text import cut

# kind -> (full Thai name, abbreviations people type), longest forms first when matching
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "regional": ("ส่วนราชการส่วนภูมิภาค", ("ส่วนภูมิภาค", "ภูมิภาค", "ราชการส่วนภูมิภาค")),
    "pao": ("องค์การบริหารส่วนจังหวัด", ("อบจ",)),
    "city_municipality": ("เทศบาลนคร", ("ทน",)),
    "town_municipality": ("เทศบาลเมือง", ("ทม",)),
    "subdistrict_municipality": ("เทศบาลตำบล", ("ทต",)),
    "sao": ("องค์การบริหารส่วนตำบล", ("อบต",)),
    "special_local": ("ราชการส่วนท้องถิ่นรูปแบบพิเศษ", ("เมืองพัทยา", "ท้องถิ่นพิเศษ")),
}
LOCAL_KINDS = frozenset(KINDS) - {"regional"}
KIND_LABELS = {kind: full for kind, (full, _) in KINDS.items()}
SHORT_LABELS = {
    "regional": "ส่วนภูมิภาค",
    "pao": "อบจ.",
    "city_municipality": "ทน.",
    "town_municipality": "ทม.",
    "subdistrict_municipality": "ทต.",
    "sao": "อบต.",
    "special_local": "ท้องถิ่นพิเศษ",
}
# Name prefixes: written out in agency names, so a typed abbreviation can be expanded first.
ABBREVIATIONS = {
    "อบต": "องค์การบริหารส่วนตำบล",
    "อบจ": "องค์การบริหารส่วนจังหวัด",
    "ทต": "เทศบาลตำบล",
    "ทม": "เทศบาลเมือง",
    "ทน": "เทศบาลนคร",
    "สนง": "สำนักงาน",
}
NAME_PREFIX_KINDS = (  # longest first: เทศบาลตำบล before เทศบาล
    ("องค์การบริหารส่วนตำบล", "sao"),
    ("องค์การบริหารส่วนจังหวัด", "pao"),
    ("เทศบาลตำบล", "subdistrict_municipality"),
    ("เทศบาลเมือง", "town_municipality"),
    ("เทศบาลนคร", "city_municipality"),
)
_ABBREVIATION = re.compile(
    r"(?<![\u0E00-\u0E7F])(" + "|".join(ABBREVIATIONS) + r")(?:\s*\.\s*|\s+|(?=[\u0E00-\u0E7F]))"
)
_NOISE = re.compile(r"[\s.\-_,()\"'/\u200b\u200c\u200d\ufeff]+")


def parse_kind(text: str) -> str | None:
    """The kind of agency a CSV cell names, in full, abbreviated or as its English key."""
    cell = _NOISE.sub("", unicodedata.normalize("NFC", text or "")).casefold()
    if cell in KINDS:
        return cell
    for kind, (full, abbreviations) in KINDS.items():
        if cell == _NOISE.sub("", full) or cell in abbreviations:
            return kind
    return None


def expand_abbreviations(text: str) -> str:
    """อบต.บางระจัน -> องค์การบริหารส่วนตำบลบางระจัน (only at the start of a word)."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)


def normalise_name(text: str) -> str:
    """The form names are compared in: NFC, Arabic digits, abbreviations expanded, no spacing."""
    text = thai_digit_to_arabic_digit(unicodedata.normalize("NFC", text or ""))
    return _NOISE.sub("", expand_abbreviations(text.strip())).casefold()


def split_kind_prefix(normalised: str) -> tuple[str | None, str]:
    """(kind named at the start, the rest): the rest is what distinguishes two agencies."""
    for prefix, kind in NAME_PREFIX_KINDS:
        if normalised.startswith(prefix):
            return kind, normalised[len(prefix) :]
    return None, normalised


def short_name(name: str, limit: int = 20) -> str:
    """A label that fits LINE's 20-character quick-reply limit: abbreviate, then cut."""
    short = name
    for abbreviation, full in ABBREVIATIONS.items():
        short = short.replace(full, abbreviation + ".")
    return cut(short, limit)
