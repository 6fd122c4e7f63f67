"""FAQ quality: top-1, wrong answers, silence on off-topic lines and on near-misses, each with
its 95 % interval, time per question and start-up (in new processes, cold and with the vector
file a worker keeps between starts).

By default on the calibration sets (`--misses` lists what went wrong there); `--heldout` on the
blind held-out sets, for the final figure only. Each set is measured against an index without
the off-topic examples that copy its own lines. The guard is fitted by bench/faq_guard.py.
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


def line(name: str, result: dict) -> str:
    """One set's figures, each share with its 95 % Wilson interval."""

    from bench.faq_offline import wilson

    def share(k: int, n: int) -> str:
        low, high = wilson(k, n)
        return f"{k}/{n} = {100 * k / max(1, n):.1f} % ({low:.1f}–{high:.1f})"

    near = result["near_miss"]
    return (
        f"{name}\n  top-1 {share(result['right'], result['in_scope'])} (target ≥ 95 %)\n"
        f"  wrong {share(result['wrong'], result['in_scope'])} (target ≤ 2 %)\n"
        f"  silent off-topic {share(result['abstained'], result['out_of_scope'])} (≥ 95 %)\n"
        + (f"  silent near-miss {share(result['near_abstained'], near)} (≥ 90 %)\n" if near else "")
        + f"  time per question p50 {result['p50_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms (< 20)"
    )


def pooled(results: list[dict]) -> dict:
    keys = ("in_scope", "right", "wrong", "out_of_scope", "abstained")
    keys += ("near_miss", "near_abstained")
    total = {k: sum(r[k] for r in results) for k in keys}
    total["p50_ms"] = max(r["p50_ms"] for r in results)
    total["p95_ms"] = max(r["p95_ms"] for r in results)
    return total


def main() -> int:
    if sys.argv[1:2] == ["--startup-child"]:
        _, whole, after = ready(Path(sys.argv[2]))
        print(f"{whole:.3f} {after:.3f}")
        return 0
    from bench.faq_offline import CALIBRATION, EVAL, HELD_OUT, evaluate, fold_index, load_cases

    index, *_ = ready()
    wordings = sum(len(e["questions"]) for e in index.entries)
    off_topic = index.size - len(index.entries)
    print(f"entries: {len(index.entries)}, question wordings: {wordings}, off-topic: {off_topic}")
    startup_figures()
    held_out = "--heldout" in sys.argv
    paths = HELD_OUT if held_out else (*CALIBRATION, EVAL)
    print("HELD-OUT sets (measured once, never tuned to):" if held_out else "calibration sets:")
    results = []
    for path in paths:
        cases = load_cases(path)
        result = evaluate(fold_index(cases), cases)
        results.append(result)
        print(line(path.name, result))
        if "--misses" in sys.argv and not held_out:
            for question, wanted, got in result["misses"]:
                print(f"    MISS {question!r}: wanted {wanted}, got {got}")
    print(line("all of them", pooled(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
