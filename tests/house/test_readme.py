"""The README's shell blocks run as written, in order, in a fresh copy of the project folder.

Every ```sh block is split into commands (a line with its backslash continuations, or a here-document)
and each runs with bash in the copy; each must exit 0; where its line ends in `# -> VALUE` it must
print VALUE (a path printed by `build` may be absolute: it must then end in /VALUE), and where it
ends in `# writes PATH` that file must exist afterwards.
Skipped, because CI runs them otherwise: the install block (clone, venv, `pip install .`, which is
this test's own environment), `bash .ci/run` (it runs this test), and the LibreOffice picture block
(tests/lender_workbook/test_workbook_lo.py renders with LibreOffice). The two benchmarks that take minutes
(bench_udfs, bench_build) run with --help: their imports and options, in the README's environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
EXPECT = re.compile(r"\s#\s*->\s*(?P<value>.+?)\s*$")
WRITES = re.compile(r"\s#\s*writes\s+(?P<path>\S+)")
HEREDOC = re.compile(r"<<-?\s*'?(?P<end>\w+)'?")
SLOW_BENCHMARKS = ("bench/bench_udfs.py", "bench/bench_build.py")


def shell_blocks(text: str) -> list[str]:
    return [textwrap.dedent(m["body"]) for m in FENCE.finditer(text) if m["lang"] in ("sh", "bash", "shell")]


def commands(block: str) -> list[str]:
    """A block's commands: a line joined with its continuations, or a whole here-document."""
    lines = block.splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [line]
        while parts[-1].rstrip().endswith("\\") and i < len(lines):
            parts.append(lines[i])
            i += 1
        heredoc = HEREDOC.search(line)
        if heredoc:
            while i < len(lines):
                parts.append(lines[i])
                i += 1
                if parts[-1].strip() == heredoc["end"]:
                    break
        out.append("\n".join(parts))
    return out


def expected(command: str) -> str | None:
    match = EXPECT.search(command.splitlines()[-1])
    return match["value"].split("  ")[0] if match else None


def _skipped_block(block: str) -> bool:
    """The clone and install (CI does them), and the pictures (their own test: one script, it defines a function)."""
    return "git clone" in block or "soffice" in block


def runnable() -> list[str]:
    out = []
    for block in shell_blocks(README.read_text()):
        if _skipped_block(block):
            continue
        for command in commands(block):
            if ".ci/run" in command:
                continue
            if any(bench in command for bench in SLOW_BENCHMARKS):
                command = command.split("#")[0].rstrip() + " --help"
            out.append(command)
    return out


def test_the_readme_has_what_a_new_user_needs():
    text = README.read_text()
    assert "Python 3.11" in text and "git clone" in text and "cd termbook" in text
    assert "'.[excel]'" in text and "bench_udfs" in text
    for step in (".xlsm", "Enable Content", "restart Excel", "pip wheel . --no-deps -w dist", "pythonw.exe",
                 "Import Functions", "#NAME?", "Not tested", "requirements.txt"):
        assert step.lower() in text.lower(), step
    # every command this test runs is found, in order: build examples, eval examples, the wheel, benchmarks
    cmds = runnable()
    assert any(c.startswith("termbook build --flavor live") for c in cmds)
    assert any(c.startswith("termbook eval LSA_MAX_LIMIT 2002-11-22") for c in cmds)
    assert any(c.startswith("pip wheel") for c in cmds) and any("bench_cli.py" in c for c in cmds)
    assert sum(expected(c) is not None for c in cmds) >= 10
    from udfs.catalogue import spec

    for name in spec.NAMES:  # the questions table names every function of the catalogue
        assert f"`{name}(" in text, name


def test_every_shell_block_runs_as_written_in_order(tmp_path):
    work = tmp_path / "termbook"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.egg-info",
                                                              "build", "dist", "*.xlsx", ".pytest_cache"))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for command in runnable():
        done = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        writes = WRITES.search(command.splitlines()[-1])
        if writes:
            assert (work / writes["path"]).is_file(), f"{command}\ndid not write {writes['path']}"
        value = expected(command)
        if value is not None:
            printed = done.stdout.strip()
            assert printed == value or printed.endswith("/" + value), f"{command}\nprinted {printed!r}"


@pytest.mark.parametrize("block, found", [
    ("a \\\n  b   # -> 1\nc <<'EOF'\nx\nEOF\nd", ["a \\\n  b   # -> 1", "c <<'EOF'\nx\nEOF", "d"]),
    ("# only a comment\n\ntermbook build  # -> x.xlsx  (why)", ["termbook build  # -> x.xlsx  (why)"]),
])
def test_commands_are_split_as_bash_reads_them(block, found):
    assert commands(block) == found
    assert expected(found[-1]) in ("x.xlsx", None)


def test_the_pictures_block_pictures_the_certificate_and_the_daily_tab(tmp_path):
    """Once, the block matched each page's first line, which became the page header on every page: both
    pictures silently showed the Cover. Run as written, it must picture the portrait certificate and the
    landscape daily schedule (LibreOffice and poppler: .ci/run installs them)."""
    from PIL import Image

    block = next(b for b in shell_blocks(README.read_text()) if "soffice" in b)
    work = tmp_path / "termbook"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.egg-info",
                                                              "build", "dist", "*.xlsx", ".pytest_cache", "out"))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               HOME=str(tmp_path / "home"))  # LibreOffice keeps its profile there, not in the user's
    (tmp_path / "home").mkdir()
    tracked = {p: p.read_bytes() for p in (work / "docs").glob("*.png")}
    done = subprocess.run(["bash", "-e", "-c", block], cwd=work, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert {p: p.read_bytes() for p in (work / "docs").glob("*.png")} == tracked  # tracked pictures untouched
    certificate = Image.open(work / "out" / "certificate.png")
    daily = Image.open(work / "out" / "workbook.png")
    assert certificate.height > certificate.width  # Letter, portrait: the certificate
    assert daily.width > daily.height  # Letter, landscape: the Borrowing Capacity tab
