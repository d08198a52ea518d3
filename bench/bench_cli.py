"""Benchmark: how long the terminal takes to answer one question, against Python doing nothing.

    python bench/bench_cli.py [--runs 20]

Runs `termbook eval LSA_PRIME 2002-11-07`, `python -c pass` and a minimal command in turn, --runs
times each, interleaved (a busy machine slows all alike), and prints the best and the median wall
time of each and the ratios. Goal (issue 11): the question at most 2x the bare interpreter.

The minimal command is what a competent engineer would write for one question with the same
standard library: argparse reads a name and a date, datetime parses it, a dict answers. It is the
floor of a Python command that takes a date. The question runs as users meet it after the first:
the deal read once and cached (a fresh cache folder for this run, warmed by the first call; the
first question's time, reading the deal, is printed too). Bytecode may be written, as in a default
Python.
Also prints the modules the question imports that only some commands need (numpy), which should be none.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = ["eval", "LSA_PRIME", "2002-11-07"]
GOAL = 2.0
MINIMAL = ("import argparse, datetime, sys\n"
           "parser = argparse.ArgumentParser(prog='minimal')\n"
           "parser.add_argument('function')\n"
           "parser.add_argument('date')\n"
           "args = parser.parse_args(sys.argv[1:])\n"
           "day = datetime.date.fromisoformat(args.date)\n"
           "print({datetime.date(2002, 11, 7): 0.0425}.get(day))\n")


def _termbook() -> list[str]:
    """The installed console script beside this interpreter, else the module."""
    script = Path(sys.executable).parent / "termbook"
    if script.exists():
        return [str(script)]
    found = shutil.which("termbook")
    return [found] if found else [sys.executable, "-m", "udfs.terminal.main"]


def _wall(argv: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode().strip()}")
    return elapsed


def heavy_modules() -> list[str]:
    code = (f"import sys; from udfs.terminal.main import main; main({QUESTION!r}); "
            "print(*(m for m in ('numpy', 'xlsxwriter', 'openpyxl', 'workbook') if m in sys.modules), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return done.stderr.split()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="termbook-bench-cache-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["TERMBOOK_CACHE_DIR"] = cache
        commands = {"termbook": _termbook() + QUESTION, "python": [sys.executable, "-c", "pass"],
                    "minimal": [sys.executable, "-c", MINIMAL, "LSA_PRIME", "2002-11-07"]}
        first = _wall(commands["termbook"], env)  # reads the deal, fills the cache, writes bytecode
        for argv in commands.values():
            _wall(argv, env)  # warm the file cache
        times = {k: [] for k in commands}
        for _ in range(options.runs):
            for key, command in commands.items():
                times[key].append(_wall(command, env))
        first_cold = _first_question(env)
    best = {k: min(v) for k, v in times.items()}
    median = {k: statistics.median(v) for k, v in times.items()}
    rows = (("termbook", f"termbook {' '.join(QUESTION)}"), ("python", "python -c pass"),
            ("minimal", "minimal argparse + datetime command"))
    for key, label in rows:
        print(f"{label + ':':38} best {best[key] * 1e3:4.0f} ms, median {median[key] * 1e3:4.0f} ms")
    print(f"first question (deal read, cache filled): {first * 1e3:.0f} ms; again with an empty cache: "
          f"{first_cold * 1e3:.0f} ms")
    ratio = best["termbook"] / best["python"]
    print(f"ratio to python -c pass (best): {ratio:.2f}x; median: {median['termbook'] / median['python']:.2f}x; "
          f"goal <= {GOAL:.0f}x")
    print(f"ratio to the minimal command (best): {best['termbook'] / best['minimal']:.2f}x; "
          f"the minimal command itself: {best['minimal'] / best['python']:.2f}x python -c pass")
    heavy = heavy_modules()
    print(f"heavy modules imported by the question: {', '.join(heavy) if heavy else 'none'}")
    return 0


def _first_question(env: dict) -> float:
    """The question with nothing cached: the deal read and checked, as after an install or an edit."""
    with tempfile.TemporaryDirectory(prefix="termbook-bench-cold-") as cold:
        return _wall(_termbook() + QUESTION, dict(env, TERMBOOK_CACHE_DIR=cold))


if __name__ == "__main__":
    sys.exit(main())
