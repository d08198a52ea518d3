"""What a Lite workbook downloads for termbook, made locally, and a run of termbook inside Pyodide
under Node (tests/excel/test_pyodide.py, bench/bench_pyodide.py).

The wheels: termbook's own (`pip wheel . --no-deps`) and the pure-Python wheels of its
dependencies at exactly the versions this Python has installed (so CPython and Pyodide answer with
the same XlsxWriter, openpyxl and xlwings), plus micropip and packaging at the versions Pyodide's
own lock file names. numpy is left out on purpose: offline Pyodide has none, and termbook runs
without it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYODIDE = HERE / "node_modules" / "pyodide"
DEPENDENCIES = ("xlsxwriter", "openpyxl", "et_xmlfile", "xlwings")


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        raise RuntimeError("node is not installed: bash .ci/run installs Debian's nodejs and npm")
    if not (PYODIDE / "pyodide.mjs").is_file():
        raise RuntimeError(f"Pyodide is not in {PYODIDE}: run `npm ci` in {HERE} (bash .ci/run does)")
    return found


def pyodide_lock_version(package: str) -> str:
    return json.loads((PYODIDE / "pyodide-lock.json").read_text())["packages"][package]["version"]


def make_wheels(dest: Path) -> list[Path]:
    """termbook's wheel and the pure-Python wheels it needs in a Lite workbook, into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(dest)],
                   check=True, capture_output=True, text=True)
    pins = [f"{name}=={metadata.version(name)}" for name in DEPENDENCIES]
    pins += [f"{name}=={pyodide_lock_version(name)}" for name in ("micropip", "packaging")]
    subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "--platform", "any", "--implementation",
                    "py", "--abi", "none", "--python-version", "3.14", "-d", str(dest), *pins],
                   check=True, capture_output=True, text=True)
    return sorted(dest.glob("*.whl"))


def run_in_pyodide(wheels: Path, out: Path, bench_rows: int = 0) -> dict:
    """tests/pyodide/run.mjs: every answer of answers.collect() from inside Pyodide, and the times."""
    command = [node(), str(HERE / "run.mjs"), str(wheels), str(HERE / "answers.py"), str(out)]
    if bench_rows:
        command.append(str(bench_rows))
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=HERE)
    if run.returncode != 0:
        lines = [line[:300] for line in run.stderr.splitlines() if not line.startswith(("async function", "file:"))]
        raise RuntimeError("Pyodide run failed:\n" + "\n".join(lines[-25:]))
    return json.loads(out.read_text())


def cpython_answers(*flags: str) -> dict:
    run = subprocess.run([sys.executable, str(HERE / "answers.py"), *flags], capture_output=True, text=True,
                         timeout=300)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-3000:])
    return json.loads(run.stdout)
