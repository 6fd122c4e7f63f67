"""The FAQ index built from the shipped files alone, and its evaluation (bench and tests)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from types import SimpleNamespace

import yaml

from models import faq_index
from models.faq_file import read_dir
from models.faq_index import FaqIndex, choose, is_chatter
from models.faq_service import item_entries
from models.framework_file import read as read_framework
from models.frameworks import SHIPPED

EVAL = Path(__file__).resolve().parent.parent / "tests" / "faq" / "eval.yaml"


def offline_entries(fiscal_year: int = 2570) -> list[dict]:
    """data/faq/ plus the generated item entries of one shipped framework file."""
    document = read_framework(SHIPPED / f"{fiscal_year}.yaml")
    framework = SimpleNamespace(fiscal_year=fiscal_year, status=document["status"])
    items = [SimpleNamespace(**item) for item in document["items"]]
    return read_dir() + item_entries(framework, items)


def evaluate(index: FaqIndex, cases: dict) -> dict:
    """Top-1 accuracy in scope, abstention out of scope, per category, and time per question."""
    category = {e["id"]: e["category"] for e in index.entries}
    per: dict[str, list[int]] = {}
    timings, misses = [], []
    for case in cases["in_scope"]:
        start = time.perf_counter()
        match = choose(index, case["q"])
        timings.append(time.perf_counter() - start)
        ok = match is not None and match.entry["id"] == case["id"]
        per.setdefault(category.get(case["id"], "?"), []).append(int(ok))
        if not ok:
            misses.append((case["q"], case["id"], match.entry["id"] if match else None))
    abstained = []
    for question in cases["out_of_scope"]:
        start = time.perf_counter()
        match = choose(index, question)
        timings.append(time.perf_counter() - start)
        abstained.append(int(match is None))
        if match is not None:
            misses.append((question, None, match.entry["id"]))
    answered = [ok for oks in per.values() for ok in oks]
    timings.sort()
    return {
        "top1": 100 * sum(answered) / len(answered),
        "abstention": 100 * sum(abstained) / len(abstained),
        "per_category": {k: 100 * sum(v) / len(v) for k, v in sorted(per.items())},
        "in_scope": len(answered),
        "right": sum(answered),
        "abstained": sum(abstained),
        "out_of_scope": len(abstained),
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
        "misses": misses,
    }


def load_cases(path: Path = EVAL) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def calibrate(index: FaqIndex, cases: dict, min_abstention: float = 90.0) -> list[tuple]:
    """(top-1, abstention, weight, threshold) for a grid, best top-1 first among those that
    keep abstention at or above `min_abstention`."""
    rows = [(c["id"], c["q"]) for c in cases["in_scope"]]
    rows += [(None, q) for q in cases["out_of_scope"]]
    parts = [(wanted, None if is_chatter(q) else index.parts(q)) for wanted, q in rows]
    results = []
    for weight in (0, 4, 8, 12, 16, 20, 24, 32):
        for threshold in [t / 4 for t in range(0, 160)]:
            right = abstained = 0
            for wanted, part in parts:
                chosen = None
                if part is not None:
                    combined = part[0] + weight * part[1]
                    top = int(combined.argmax())
                    chosen = index.entries[top]["id"] if combined[top] >= threshold else None
                if wanted is None:
                    abstained += chosen is None
                else:
                    right += chosen == wanted
            top1 = 100 * right / len(cases["in_scope"])
            abstention = 100 * abstained / len(cases["out_of_scope"])
            if abstention >= min_abstention:
                results.append((top1, abstention, weight, threshold))
    return sorted(results, reverse=True)


def cross_validate(index: FaqIndex, cases: dict) -> list[dict]:
    """Two folds: tune weight and threshold on one half, measure on the other (honest figure)."""
    saved = faq_index.ENCODER_WEIGHT, faq_index.THRESHOLD
    folds = []
    try:
        for k in (0, 1):
            half = {key: cases[key][k::2] for key in ("in_scope", "out_of_scope")}
            other = {key: cases[key][1 - k :: 2] for key in ("in_scope", "out_of_scope")}
            _, _, faq_index.ENCODER_WEIGHT, faq_index.THRESHOLD = calibrate(index, half)[0]
            folds.append({"weight": faq_index.ENCODER_WEIGHT, "threshold": faq_index.THRESHOLD,
                          **evaluate(index, other)})  # fmt: skip
    finally:
        faq_index.ENCODER_WEIGHT, faq_index.THRESHOLD = saved
    return folds
