"""Benchmark: how long the terminal takes to answer one question, against Python doing nothing.

    python bench/bench_cli.py [--runs 20]

Runs `termbook eval LSA_PRIME 2002-11-07` and `python -c pass` in turn, --runs times each,
interleaved (a busy machine slows both alike), and prints the best and the median wall time of
each and their ratio. Goal (issue 11): the question at most 2x the bare interpreter. Also prints
the modules the question imports that only some commands need (numpy), which should be none.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = ["eval", "LSA_PRIME", "2002-11-07"]
GOAL = 2.0


def _termbook() -> list[str]:
    """The installed console script beside this interpreter, else the module."""
    script = Path(sys.executable).parent / "termbook"
    if script.exists():
        return [str(script)]
    found = shutil.which("termbook")
    return [found] if found else [sys.executable, "-m", "udfs.cli"]


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode().strip()}")
    return elapsed


def heavy_modules() -> list[str]:
    code = (f"import sys; from udfs.cli import main; main({QUESTION!r}); "
            "print(*(m for m in ('numpy', 'xlsxwriter', 'openpyxl', 'workbook') if m in sys.modules), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return done.stderr.split()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args(argv)
    termbook = _termbook() + QUESTION
    bare = [sys.executable, "-c", "pass"]
    _wall(termbook), _wall(bare)  # warm the file cache and the bytecode
    times = {"termbook": [], "python": []}
    for _ in range(options.runs):
        times["termbook"].append(_wall(termbook))
        times["python"].append(_wall(bare))
    best = {k: min(v) for k, v in times.items()}
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"termbook {' '.join(QUESTION)}: best {best['termbook'] * 1e3:.0f} ms, median "
          f"{median['termbook'] * 1e3:.0f} ms ({options.runs} runs)")
    print(f"python -c pass:                   best {best['python'] * 1e3:.0f} ms, median "
          f"{median['python'] * 1e3:.0f} ms")
    ratio = best["termbook"] / best["python"]
    print(f"ratio (best): {ratio:.2f}x; median: {median['termbook'] / median['python']:.2f}x; goal <= {GOAL:.0f}x")
    heavy = heavy_modules()
    print(f"heavy modules imported by the question: {', '.join(heavy) if heavy else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
