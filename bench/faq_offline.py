"""The FAQ index from the shipped files alone: its evaluation and calibration (bench, tests)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from types import SimpleNamespace

import yaml
from rapidfuzz import fuzz

from models.faq.answering import item_entries
from models.faq.files import read_dir, read_off_topic
from models.faq.index import FaqIndex, choose, is_chatter
from models.faq.thai_text import normalise
from models.year.framework_file import read as read_framework
from models.year.frameworks import SHIPPED

CASES = Path(__file__).resolve().parent / "faq"  # evaluation sets: never in data/
EVAL = CASES / "eval.yaml"
CALIBRATION = (CASES / "calibration_a.yaml", CASES / "calibration_b.yaml")
WEIGHTS = (0, 4, 6, 8, 10, 12, 16)  # 0: BM25 alone
THRESHOLDS = [t / 4 for t in range(0, 81)]


def offline_index(vector_file: Path | None = None) -> FaqIndex:
    """The index the bot builds for 2570, from the shipped files alone."""
    return FaqIndex(offline_entries(), read_off_topic(), vector_file=vector_file)


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


def case_parts(index: FaqIndex, cases: dict) -> tuple[list, list]:
    """The cases with their BM25 and encoder parts, to be scored at any weight and threshold."""
    rows = [(c["id"], c["q"]) for c in cases["in_scope"]]
    rows += [(None, q) for q in cases["out_of_scope"]]
    parts = [(wanted, None if is_chatter(q) else index.parts(q)) for wanted, q in rows]
    return index.entries, parts


def near_copies(texts: list[str], others: list[str]) -> list[str]:
    """The texts within rapidfuzz ratio 80 of one of `others`, compared as the bot normalises
    them (spaces ignored)."""

    def compact(text: str) -> str:
        return normalise(text).replace(" ", "")

    plain = [compact(o) for o in others]
    return [t for t in texts if (c := compact(t)) and any(fuzz.ratio(c, p) >= 80 for p in plain)]


def calibration_folds(vector_file: Path | None = None) -> list[tuple[list, list]]:
    """Each calibration set against an index holding every off-topic example except the set's
    own lines and near-copies of them (it never sees what it is measured on)."""
    entries, off_topic = offline_entries(), read_off_topic()
    folds = []
    for path in CALIBRATION:
        cases = load_cases(path)
        held_out = set(near_copies(off_topic, cases["out_of_scope"]))
        kept = [line for line in off_topic if line not in held_out]
        folds.append(case_parts(FaqIndex(entries, kept, vector_file=vector_file), cases))
    return folds


def outcomes(fold: tuple[list, list], weight: float, threshold: float) -> list[int]:
    """Per case at one weight and threshold: 1 a right answer, -1 a wrong one, 0 none."""
    entries, rows = fold
    marks = []
    for wanted, part in rows:
        chosen = None
        if part is not None:
            combined = part[0] + weight * part[1]
            top = int(combined.argmax())
            if top < len(entries) and combined[top] >= threshold:
                chosen = entries[top]["id"]
        marks.append(0 if chosen is None else 1 if chosen == wanted else -1)
    return marks


def fold_result(fold: tuple[list, list], weight: float, threshold: float) -> dict:
    """Right and wrong answers, top-1 and abstention of one set of cases."""
    marks = outcomes(fold, weight, threshold)
    in_scope = [mark for (wanted, _), mark in zip(fold[1], marks, strict=True) if wanted]
    off = [mark for (wanted, _), mark in zip(fold[1], marks, strict=True) if not wanted]
    return {"right": marks.count(1), "wrong": marks.count(-1),
            "top1": 100 * in_scope.count(1) / len(in_scope),
            "abstention": 100 * off.count(0) / len(off)}  # fmt: skip


def calibrate(folds: list[tuple[list, list]], weights=WEIGHTS) -> list[dict]:
    """Per weight, the threshold with the most right-minus-wrong answers over both folds (a wrong
    answer costs what a right one gains; on a tie the higher, more cautious threshold)."""
    best = []
    for weight in weights:
        rows = []
        for threshold in THRESHOLDS:
            results = [fold_result(fold, weight, threshold) for fold in folds]
            net = sum(r["right"] - r["wrong"] for r in results)
            rows.append({"weight": weight, "threshold": threshold, "net": net, "folds": results})
        best.append(max(rows, key=lambda row: (row["net"], row["threshold"])))
    return sorted(best, key=lambda row: -row["net"])
