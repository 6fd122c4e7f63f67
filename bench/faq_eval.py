"""FAQ quality on tests/faq/eval.yaml: top-1, abstention, per category, time per question.

Targets: top-1 ≥ 90 %, abstention ≥ 90 %, p95 < 20 ms per question, start-up < 3 s.
`--misses` also lists what went wrong; `--calibrate` sweeps weight and threshold.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    start = time.perf_counter()
    from models.faq_index import FaqIndex
    from models.faq_offline import evaluate, load_cases, offline_entries
    from models.thai_text import tokens

    index = FaqIndex(offline_entries())
    tokens("อุ่นเครื่อง")
    startup = time.perf_counter() - start
    result = evaluate(index, load_cases())
    wordings = sum(len(e["questions"]) for e in index.entries)
    print(f"entries: {len(index.entries)}, question wordings: {wordings}")
    print(f"start-up (import, load, index): {startup:.2f} s (target < 3 s)")
    right, abstained = result["right"], result["abstained"]
    print(f"in scope: top-1 {right}/{result['in_scope']} = {result['top1']:.2f} % (target ≥ 90 %)")
    print(
        f"out of scope: abstained {abstained}/{result['out_of_scope']}"
        f" = {result['abstention']:.2f} % (target ≥ 90 %)"
    )
    for category, share in result["per_category"].items():
        print(f"  {category:10s} {share:5.1f} %")
    print(
        f"time per question: p50 {result['p50_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms (< 20 ms)"
    )
    if "--calibrate" in sys.argv:
        from models.faq_offline import calibrate

        rows = calibrate(index, load_cases())
        print("calibration (top-1, abstention, encoder weight, threshold), best 5:")
        for row in rows[:5]:
            print("  {:.1f} % {:.1f} % w={:g} t={:g}".format(*row))
        lexical = next(row for row in rows if row[2] == 0)
        print(
            "  BM25 alone (w=0) at best: {:.1f} % {:.1f} % t={:g}".format(*lexical[:2], lexical[3])
        )
        from models.faq_offline import cross_validate

        for number, fold in enumerate(cross_validate(index, load_cases()), start=1):
            tuned = f"w={fold['weight']:g} t={fold['threshold']:g}"
            print(
                f"  2-fold check {number}: tuned {tuned} on one half; other half"
                f" top-1 {fold['top1']:.1f} %, abstention {fold['abstention']:.1f} %"
            )
    if "--misses" in sys.argv:
        for question, wanted, got in result["misses"]:
            print(f"  MISS {question!r}: wanted {wanted}, got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
