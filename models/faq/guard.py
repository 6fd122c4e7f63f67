"""Whether the best entry really answers a question: a small logistic model over how the match
looks (its score, its lead over the next entry and over the closest off-topic example, the
encoder's similarity, the question's words the entry's wordings never use, and a system name
the knowledge base does not know, as "DPIS" or "mail.go.th"). Near-misses share words with an
entry but not its whole subject; no single threshold separates them. Fitted on the calibration
sets by bench/faq_guard.py; a test fails when a refit disagrees with the numbers here."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from models.faq.thai_text import tokens

FEATURES = ("score", "lead", "lead_off_topic", "similarity", "unseen_share", "unknown_name")
# Raw-scale weights, intercept and cut from `python bench/faq_guard.py`: answer at CUT or above.
WEIGHTS = (-0.12, 0.44, 0.34, 2.30, -2.79, -1.70)
INTERCEPT = -0.50
CUT = 0.7
NAME = re.compile(r"[a-z][a-z0-9]+")
ITEM_CODE = re.compile(r"o\d+")
COMMON = (
    "อะไร อย่างไร ไหม มั้ย ได้ ไม่ ต้อง ทำ เรา ของ ให้ ใคร เมื่อไร ที่ไหน กี่ คน หรือ แล้ว ยัง จะ มี เป็น"
    " คือ ว่า ใน กับ นี้ นั้น ก็ ถ้า เขา เค้า อยาก ขอ ถาม ปี ตอน นี่ ไหน บ้าง ช่วย ใช่ เลย กัน"
)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Question and function words: never evidence that a question is about something else."""
    return frozenset(tokens(COMMON))


def features(
    scores: np.ndarray,
    similarity: np.ndarray,
    entries: int,
    top: int,
    words: list[str],
    wordings: set[str],
    vocabulary: set[str],
) -> list[float]:
    """The guard's inputs for the best entry `top` (scores: entries first, then off-topic)."""
    ranked = np.sort(scores[:entries])
    second = ranked[-2] if entries > 1 else 0.0
    off_topic = scores[entries:].max() if scores.shape[0] > entries else 0.0
    content = [w for w in words if w not in common_words()]
    unseen = [w for w in content if w not in wordings]
    names = [
        w
        for w in content
        if NAME.fullmatch(w) and not ITEM_CODE.fullmatch(w) and w not in vocabulary
    ]
    best = float(scores[top])
    return [
        best,
        best - float(second),
        best - float(off_topic),
        float(similarity[top]),
        len(unseen) / max(1, len(content)),
        float(bool(names)),
    ]


def confidence(values: list[float]) -> float:
    """The fitted probability that the best entry is the right answer."""
    z = INTERCEPT + sum(w * v for w, v in zip(WEIGHTS, values, strict=True))
    return 1 / (1 + math.exp(-z))
