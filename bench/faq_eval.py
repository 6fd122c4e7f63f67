"""FAQ quality on bench/faq/eval.yaml: top-1, abstention, per category, time per question.

Targets: top-1 ≥ 90 %, abstention ≥ 90 %, p95 < 20 ms per question, start-up < 3 s
(measured in new processes, cold and with the vector file a worker keeps between starts).
`--misses` lists what went wrong; `--calibrate` chooses weight and threshold on the two
calibration sets (never on the evaluation set) and shows how the current pair does there.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ready(vector_file: Path | None = None):
    """Start-up as a worker does it: import, read the files, build the index, answer once.
    Returns the index, the whole time, and the part after the imports (load + index)."""
    start = time.perf_counter()
    from bench.faq_offline import offline_index

    imported = time.perf_counter()
    index = offline_index(vector_file)
    index.best("อุ่นเครื่อง")
    done = time.perf_counter()
    return index, done - start, done - imported


def startup_figures(runs: int = 3) -> None:
    """Each start in a new process: cold (no vector file yet), then warm (the file is there)."""
    with tempfile.TemporaryDirectory() as folder:
        vector_file = Path(folder) / "faq-vectors.npz"
        child = [sys.executable, __file__, "--startup-child", str(vector_file)]
        cold, warm = [], []
        for _ in range(runs):
            vector_file.unlink(missing_ok=True)
            cold.append(subprocess.check_output(child).split())
        for _ in range(runs):
            warm.append(subprocess.check_output(child).split())
    for name, starts in (("cold (no vector file)", cold), ("warm (vector file kept)", warm)):
        whole, after = ([float(s[k]) for s in starts] for k in (0, 1))
        spread = ", ".join(f"{t:.2f}" for t in whole)
        print(
            f"start-up {name}: median {statistics.median(whole):.2f} s ({spread}) (target < 3 s);"
            f" without the imports (load + index) {statistics.median(after):.2f} s"
        )


def main() -> int:
    if sys.argv[1:2] == ["--startup-child"]:
        _, whole, after = ready(Path(sys.argv[2]))
        print(f"{whole:.3f} {after:.3f}")
        return 0
    from bench.faq_offline import evaluate, load_cases

    index, *_ = ready()
    result = evaluate(index, load_cases())
    wordings = sum(len(e["questions"]) for e in index.entries)
    off_topic = index.size - len(index.entries)
    print(f"entries: {len(index.entries)}, question wordings: {wordings}, off-topic: {off_topic}")
    startup_figures()
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
        calibrate(index)
    if "--misses" in sys.argv:
        for question, wanted, got in result["misses"]:
            print(f"  MISS {question!r}: wanted {wanted}, got {got}")
    return 0


def calibrate(index) -> None:
    import numpy as np

    from bench.faq_offline import (
        calibrate,
        calibration_folds,
        case_parts,
        fold_result,
        load_cases,
        outcomes,
    )
    from models.faq.index import ENCODER_WEIGHT, THRESHOLD

    def figures(results: list[dict]) -> str:
        return "; ".join(
            f"{name}: top-1 {r['top1']:.1f} %, abstention {r['abstention']:.1f} %"
            for name, r in zip("AB", results, strict=True)
        )

    def marks(weight: float, threshold: float) -> np.ndarray:
        return np.array([m for fold in folds for m in outcomes(fold, weight, threshold)])

    folds, evaluation = calibration_folds(), case_parts(index, load_cases())
    in_use, random = marks(ENCODER_WEIGHT, THRESHOLD), np.random.default_rng(0)
    print("calibration: A measured with its own off-topic lines and near-copies of them left out")
    print("of the index, B likewise; the threshold has the most right − wrong answers over both.")
    print("Against the pair in use: the paired bootstrap 95 % interval of the difference in net.")
    print("The evaluation set at each pair is shown for information, never to choose by:")
    for row in calibrate(folds):
        weight, threshold = row["weight"], row["threshold"]
        difference = marks(weight, threshold) - in_use
        draws = [difference[random.integers(0, len(difference), len(difference))].sum()
                 for _ in range(2000)]  # fmt: skip
        low, high = np.percentile(draws, [2.5, 97.5])
        print(f"  w={weight:g} best t={threshold:g} net {row['net']} ({low:+.0f} to {high:+.0f})")
        seen = fold_result(evaluation, weight, threshold)
        print(f"      {figures(row['folds'])}")
        print(
            f"      evaluation: top-1 {seen['top1']:.1f} %, abstention {seen['abstention']:.1f} %"
        )
    current = [fold_result(fold, ENCODER_WEIGHT, THRESHOLD) for fold in folds]
    net = sum(r["right"] - r["wrong"] for r in current)
    print(f"  in use w={ENCODER_WEIGHT:g} t={THRESHOLD:g}: net {net}  {figures(current)}")


if __name__ == "__main__":
    sys.exit(main())
