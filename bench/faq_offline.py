"""The FAQ index from the shipped files alone: its evaluation and calibration (bench, tests)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from models.faq.files import read_dir, read_off_topic
from models.faq.framework_facts import merged_into, with_items
from models.faq.index import FaqIndex, choose
from models.faq.thai_text import normalise
from models.year.framework_file import read as read_framework
from models.year.frameworks import SHIPPED

CASES = Path(__file__).resolve().parent / "faq"  # evaluation sets: never in data/
EVAL = CASES / "eval.yaml"
# e and f were the first held-out pair of #16, measured once (at 88a2bd9), calibration since.
CALIBRATION = tuple(CASES / f"calibration_{part}.yaml" for part in "abcdef")
# Written blind for #16 and measured once, at the end: never tuned to, never read while tuning.
HELD_OUT = (CASES / "heldout_3.yaml", CASES / "heldout_4.yaml")


def offline_index(vector_file: Path | None = None) -> FaqIndex:
    """The index the bot builds for 2570, from the shipped files alone."""
    return FaqIndex(offline_entries(), read_off_topic(), vector_file=vector_file)


def offline_entries(fiscal_year: int = 2570) -> list[dict]:
    """data/faq/ plus the generated item entries of one shipped framework file."""
    return with_items(read_dir(), offline_framework(fiscal_year))


def offline_framework(fiscal_year: int = 2570) -> dict:
    return read_framework(SHIPPED / f"{fiscal_year}.yaml")


def evaluate(index: FaqIndex, cases: dict) -> dict:
    """Right, wrong and silent in scope; silent on off-topic lines (near-misses apart); time per
    question. Labels of entries an item absorbed count as the item's."""
    alias = merged_into(offline_framework())
    category = {e["id"]: e["category"] for e in index.entries}
    per: dict[str, list[int]] = {}
    timings, misses, marks = [], [], []
    for case in cases["in_scope"]:
        wanted = alias.get(case["id"], case["id"])
        start = time.perf_counter()
        match = choose(index, case["q"])
        timings.append(time.perf_counter() - start)
        got = match.entry["id"] if match else None
        marks.append(0 if got is None else 1 if got == wanted else -1)
        per.setdefault(category.get(wanted, "?"), []).append(int(got == wanted))
        if got != wanted:
            misses.append((case["q"], wanted, got))
    silent = {"out_of_scope": [], "near_miss": []}
    for kind, quiet in silent.items():
        for question in cases.get(kind) or []:
            start = time.perf_counter()
            match = choose(index, question)
            timings.append(time.perf_counter() - start)
            quiet.append(int(match is None))
            if match is not None:
                misses.append((question, kind, match.entry["id"]))
    off = silent["out_of_scope"] + silent["near_miss"]
    timings.sort()
    return {
        "in_scope": len(marks),
        "right": marks.count(1),
        "wrong": marks.count(-1),
        "top1": 100 * marks.count(1) / len(marks),
        "wrong_share": 100 * marks.count(-1) / len(marks),
        "out_of_scope": len(off),
        "abstained": sum(off),
        "abstention": 100 * sum(off) / len(off),
        "near_miss": len(silent["near_miss"]),
        "near_abstained": sum(silent["near_miss"]),
        "per_category": {k: 100 * sum(v) / len(v) for k, v in sorted(per.items())},
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
        "misses": misses,
    }


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson interval of a share, in percent."""
    if not total:
        return 0.0, 100.0
    share = successes / total
    middle = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * ((share * (1 - share) + z * z / (4 * total)) / total) ** 0.5 / (1 + z * z / total)
    return 100 * max(0.0, middle - half), 100 * min(1.0, middle + half)


def load_cases(path: Path = EVAL) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def near_copies(texts: list[str], others: list[str]) -> list[str]:
    """The texts within rapidfuzz ratio 80 of one of `others`, compared as the bot normalises
    them (spaces ignored)."""

    def compact(text: str) -> str:
        return normalise(text).replace(" ", "")

    plain = [compact(o) for o in others]
    return [t for t in texts if (c := compact(t)) and any(fuzz.ratio(c, p) >= 80 for p in plain)]


def fold_index(cases: dict, vector_file: Path | None = None) -> FaqIndex:
    """The shipped index less the off-topic examples that copy one of these cases' lines, so a
    set is never measured against its own off-topic lines."""
    own = cases["out_of_scope"] + (cases.get("near_miss") or [])
    copies = set(near_copies(read_off_topic(), own))
    kept = [line for line in read_off_topic() if line not in copies]
    return FaqIndex(offline_entries(), kept, vector_file=vector_file)
