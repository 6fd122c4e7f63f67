"""Fit the FAQ's answer guard (models/faq/guard.py) on the calibration sets, never the held-out
ones: each set's cases scored against an index without its own off-topic lines, a logistic model
over the guard's features, its weights on the raw scale, and each set measured by a model fitted
on the others (leave one set out). Run: python bench/faq_guard.py"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faq_offline import (  # noqa: E402
    CALIBRATION,
    EVAL,
    fold_index,
    load_cases,
    offline_framework,  # noqa: E402
)
from models.faq import guard  # noqa: E402
from models.faq.framework_facts import merged_into  # noqa: E402
from models.faq.index import ENCODER_WEIGHT, is_chatter  # noqa: E402
from models.faq.intent import defined_term  # noqa: E402
from models.faq.thai_text import tokens  # noqa: E402

SETS = (*CALIBRATION, EVAL)  # eval.yaml was seen by earlier rounds: now a calibration set
PENALTY = 1.0  # L2 on the standardised weights
WRONG_COST = 2  # a wrong answer in an official group costs two right ones: silence is better
CUTS = [c / 20 for c in range(4, 19)]


def rows_of(path: Path, vector_file: Path | None = None) -> list[tuple[str, list[float], int]]:
    """(kind, features, 1 if the best entry is the right one) for each case the guard decides:
    not chatter, not a definition question, and closest to an entry, not an off-topic line."""
    cases, alias = load_cases(path), merged_into(offline_framework())
    index = fold_index(cases, vector_file)
    items = [(alias.get(c["id"], c["id"]), c["q"], "in_scope") for c in cases["in_scope"]]
    items += [(None, q, "out_of_scope") for q in cases["out_of_scope"]]
    items += [(None, q, "near_miss") for q in cases.get("near_miss") or []]
    rows, size = [], len(index.entries)
    for wanted, question, kind in items:
        if is_chatter(question) or defined_term(question) in index.defined:
            continue
        words = tokens(question)
        lexical, semantic, _ = index.measure(question, words)
        scores = lexical + ENCODER_WEIGHT * semantic
        top = int(scores.argmax())
        if top >= size:
            continue
        values = guard.features(
            scores, semantic, size, top, words, index.wordings[top], index.entry_vocabulary
        )
        rows.append((kind, values, int(index.entries[top]["id"] == wanted)))
    return rows


def fit(rows: list[tuple[str, list[float], int]]) -> tuple[np.ndarray, float]:
    """Penalised logistic regression by Newton steps; (raw-scale weights, intercept)."""
    x = np.array([values for _, values, _ in rows])
    y = np.array([label for _, _, label in rows], float)
    mean, spread = x.mean(0), x.std(0) + 1e-9
    design = np.c_[np.ones(len(x)), (x - mean) / spread]
    w = np.zeros(design.shape[1])
    ridge = PENALTY * np.diag([0.0] + [1.0] * x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + ridge @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + ridge
        w -= np.linalg.solve(hessian, gradient)
    weights = w[1:] / spread
    return weights, float(w[0] - (weights * mean).sum())


def answered(weights: np.ndarray, intercept: float, values: list[float], cut: float) -> bool:
    return 1 / (1 + np.exp(-(intercept + weights @ np.array(values)))) >= cut


def held_out_counts(per_set: dict, cut: float) -> dict[str, tuple[int, int, int, int]]:
    """Per set, by a model fitted on the other sets: (right, wrong, off-topic answered, off)."""
    counts = {}
    for name, rows in per_set.items():
        w, b = fit([row for other, some in per_set.items() if other != name for row in some])
        said = [(kind, label, answered(w, b, values, cut)) for kind, values, label in rows]
        right = sum(1 for kind, label, yes in said if kind == "in_scope" and yes and label)
        wrong = sum(1 for kind, label, yes in said if kind == "in_scope" and yes and not label)
        off = [yes for kind, _, yes in said if kind != "in_scope"]
        counts[name] = (right, wrong, sum(off), len(off))
    return counts


def best_cut(per_set: dict) -> float:
    """The cut with the most right answers less WRONG_COST per wrong or off-topic answer,
    each set judged by a model fitted on the others; on a tie the more cautious cut."""

    def net(cut: float) -> int:
        totals = held_out_counts(per_set, cut).values()
        return sum(r - WRONG_COST * (w + o) for r, w, o, _ in totals)

    return max(CUTS, key=lambda cut: (net(cut), cut))


def main() -> int:
    per_set = {path.name: rows_of(path) for path in SETS}
    weights, intercept = fit([row for rows in per_set.values() for row in rows])
    shown = ", ".join(f"{w:.2f}" for w in weights)
    print(f"features: {', '.join(guard.FEATURES)}")
    print(f"fitted on {len(SETS)} sets: WEIGHTS = ({shown}), INTERCEPT = {intercept:.2f}")
    print(f"in models/faq/guard.py: WEIGHTS = {guard.WEIGHTS}, INTERCEPT = {guard.INTERCEPT}")
    cut = best_cut(per_set)
    print(f"cut chosen: {cut} (models/faq/guard.py: {guard.CUT})")
    print("each set at that cut, by a model fitted on the others (cases the guard decides):")
    for name, (right, wrong, off, total) in held_out_counts(per_set, cut).items():
        print(f"  {name:20s} right {right}, wrong {wrong}, off-topic answered {off}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
