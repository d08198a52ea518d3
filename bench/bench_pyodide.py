"""Benchmark: termbook inside Pyodide (as xlwings Lite runs it) against CPython, in one run.

    python bench/bench_pyodide.py [--rows 10000]

Needs node and Pyodide from npm (`npm ci` in tests/pyodide; bash .ci/run does both), and pip
reaching PyPI for the pure-Python wheels. Prints, for Pyodide 314 under Node (offline, no numpy),
CPython with numpy and CPython with numpy blocked:

* import:       `import udfs.xlfuncs` with xlwings' Office.js decorators (main.py's one line)
* first answer: the first custom_functions_call (LSA_MAX_LIMIT on one date), which reads the deal
* column:       one LSA_CAPACITY call over ROWS serial dates (median of 5), as =TERMBOOK.LSA_CAPACITY(A2:A10001, ...)

and Pyodide's own start (loading the interpreter) and the wheel installs, then the size of every
wheel a Lite workbook downloads for termbook. The deal cache is off in every run (Lite starts from
nothing each time). Times are single runs on a shared machine: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "pyodide"))
import lite  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        wheels = lite.make_wheels(Path(folder) / "wheels")
        pyodide = lite.run_in_pyodide(wheels[0].parent, Path(folder) / "out.json", rows)
        sizes = {w.name: w.stat().st_size for w in wheels}
    runs = {
        f"Pyodide {pyodide['pyodide']} (Python {pyodide['python']}, no numpy)": pyodide["times"],
        "CPython, numpy": json.loads(_cpython(rows)),
        "CPython, numpy blocked": json.loads(_cpython(rows, "--block-numpy")),
    }
    column = f"LSA_CAPACITY, {rows:,} dates (median of 5)"
    keys = [("import udfs.xlfuncs", "import"), ("first answer (reads the deal)", "first answer"), (column, "column")]
    print(f"{'':44}{'import':>9}{'first':>9}{'to first':>10}{'column':>9}   s")
    for name, times in runs.items():
        values = [times[k] for k, _ in keys]
        print(f"{name:44}{values[0]:9.3f}{values[1]:9.3f}{values[0] + values[1]:10.3f}{values[2]:9.3f}")
    py, cp, cp_plain = (runs[k] for k in runs)
    print(f"Pyodide start {py['start pyodide']:.2f} s, wheel installs {py['install wheels']:.2f} s")
    print(f"column: Pyodide / CPython with numpy {py[column] / cp[column]:.1f}x; "
          f"/ CPython without numpy {py[column] / cp_plain[column]:.1f}x; "
          f"to first answer: Pyodide / CPython {_first(py) / _first(cp):.1f}x")
    print("wheels (bytes):")
    for name, size in sorted(sizes.items()):
        print(f"  {name:48}{size:>10,}")
    own = sum(size for name, size in sizes.items() if not name.startswith(("micropip", "packaging", "xlwings")))
    print(f"  termbook and its dependencies (xlwings, micropip, packaging come with Lite): {own:,}")
    return 0


def _first(times: dict) -> float:
    return times["import udfs.xlfuncs"] + times["first answer (reads the deal)"]


def _cpython(rows: int, *flags: str) -> str:
    import subprocess

    answers = lite.HERE / "answers.py"
    return subprocess.run([sys.executable, str(answers), "--timings", str(rows), *flags], check=True,
                          capture_output=True, text=True).stdout


if __name__ == "__main__":
    raise SystemExit(main())
