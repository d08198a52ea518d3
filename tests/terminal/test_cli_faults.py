"""Faults a build survives: signals, kill -9, OS errors, hostile names, where the output goes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from udfs.terminal.main import main
from workbook import atomic
from workbook.command import file_name_part

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DEFAULT_NAME = "iec-hsbc-ge_2002-12-31.xlsx"  # the embedded deal, as of the end of its Initial Term

# A build in a real process whose zip writing sends it a signal at the n-th member (or sleeps there).
_HOOKED_BUILD = """
import os, signal, sys, time, zipfile
# Ctrl-C as at a terminal, even when this test runs where SIGINT is ignored (a background job inherits SIG_IGN)
signal.signal(signal.SIGINT, signal.default_int_handler)
action, at, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
calls = [0]
def hook(real):
    def wrapped(self, *a, **k):
        calls[0] += 1
        if calls[0] == at:
            if action == "sleep":
                print("writing", flush=True)
                time.sleep(60)
            else:
                os.kill(os.getpid(), getattr(signal, action))
        return real(self, *a, **k)
    return wrapped
zipfile.ZipFile.writestr = hook(zipfile.ZipFile.writestr)
zipfile.ZipFile.write = hook(zipfile.ZipFile.write)
from udfs.terminal.main import main
sys.argv = ["termbook", *argv]
sys.exit(main())
"""


def _hooked(action: str, at: int, *argv):
    return [sys.executable, "-c", _HOOKED_BUILD, action, str(at), *argv]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.mark.parametrize("signame, code, line", [("SIGTERM", 143, "termbook: terminated; {out} not written"),
                                                 ("SIGINT", 130, "termbook: interrupted; {out} not written")])
@pytest.mark.parametrize("at", [1, 3])
def test_a_signal_while_writing_prints_one_line_and_leaves_nothing(tmp_path, signame, code, line, at):
    out = tmp_path / "book.xlsx"
    done = subprocess.run(_hooked(signame, at, "build", "--output", str(out)), capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stderr) == (code, line.format(out=out) + "\n")  # nothing else: no "Exception ignored"
    assert list(tmp_path.iterdir()) == []


def test_a_build_killed_outright_is_swept_by_the_next(tmp_path):
    out = tmp_path / "book.xlsx"
    proc = subprocess.Popen(_hooked("sleep", 2, "build", "--output", str(out)), stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        left = [p.name for p in tmp_path.iterdir()]
        assert len(left) == 1 and left[0].startswith(f".book.xlsx.{proc.pid}.") and left[0].endswith(atomic.SUFFIX)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    assert (tmp_path / left[0]).exists()  # kill -9 runs no cleanup
    # Another process's temporary file, still writing (this test's own pid): not touched.
    alive = tmp_path / f".other.xlsx.{os.getpid()}.abcdefgh{atomic.SUFFIX}"
    alive.write_bytes(b"in progress")
    done = subprocess.run([sys.executable, "-m", "udfs.terminal.main",
                           "build", "--output", str(out)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["book.xlsx", alive.name])


def test_oversized_names_and_files_in_the_way_are_one_line(tmp_path, capsys):
    long_name = tmp_path / ("x" * 300 + ".xlsx")
    code, out, err = run(capsys, "build", "--output", str(long_name))
    assert code == 2 and "\n" not in err and str(long_name) in err and "too long" in err.lower(), err
    (tmp_path / "afile").write_text("not a folder")
    code, _, err = run(capsys, "build", "--output", str(tmp_path / "afile" / "book.xlsx"))
    assert code == 2 and err == f"termbook: --output: {tmp_path / 'afile'} is not a folder"
    code, _, err = run(capsys, "build", "--output", str(tmp_path / "afile") + "/")
    assert code == 2 and err == f"termbook: --output: {tmp_path / 'afile'}/ is a file, not a folder"
    code, _, err = run(capsys, "build", "--output", str(tmp_path / "missing" / "book.xlsx"))
    assert code == 2 and "does not exist" in err and "\n" not in err
    code, _, err = run(capsys, "build", "--output", str(tmp_path / "book"))
    assert code == 2 and "neither a folder nor a .xlsx file name" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_a_folder_with_the_default_name_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / DEFAULT_NAME).mkdir()
    code, _, err = run(capsys, "build")
    assert code == 2 and "is a folder" in err and "\n" not in err


@pytest.mark.parametrize("where, error", [
    ("tempfile.mkstemp", PermissionError(13, "Permission denied")),
    ("os.fsync", OSError(28, "No space left on device")),
])
def test_os_errors_name_the_path(tmp_path, capsys, monkeypatch, where, error):
    module, name = where.split(".")
    target = atomic.tempfile if module == "tempfile" else atomic.os

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, name, fail)
    out = tmp_path / "book.xlsx"
    code, _, err = run(capsys, "build", "--output", str(out))
    assert code == 2 and err == f"termbook: --output: {out}: {error.strerror}"
    assert not out.exists()


def test_output_folders(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "build", "--output", "new/deeper/")  # ends in '/': created
    assert code == 0 and tmp_path / out == tmp_path / "new" / "deeper" / DEFAULT_NAME
    (tmp_path / "there").mkdir()
    code, out, _ = run(capsys, "build", "--output", "there")  # an existing folder, no '/'
    assert code == 0 and tmp_path / out == tmp_path / "there" / DEFAULT_NAME


def test_views_and_flavors_get_their_own_names(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for argv, name in [([], DEFAULT_NAME),
                       (["--as-of", "2002-11-20"], "iec-hsbc-ge_2002-11-20.xlsx"),
                       (["--amended-through", "2002-11-11"], "iec-hsbc-ge_2002-12-31_through-2002-11-11.xlsx"),
                       (["--flavor", "live"], "iec-hsbc-ge_2002-12-31_live.xlsx")]:
        code, out, err = run(capsys, "build", *argv)
        assert (code, Path(out)) == (0, tmp_path / name), err


@pytest.mark.parametrize("text, name", [
    ("../escape", "escape"), (".hidden", "hidden"), ("a/b\\c", "a-b-c"), ("...", "deal"), ("x..y", "x.y"),
    ("deal id", "deal-id"), ("\u00e9t\u00e9\x07", "t"),
])
def test_names_from_deal_data_are_safe(text, name):
    assert file_name_part(text) == name


def test_a_hostile_deal_id_writes_inside_the_folder(tmp_path):
    deal = tmp_path / "deal.toml"
    text = (DATA / "made_up_deal.toml").read_text()
    deal.write_text(text.replace('id = "', 'id = "../../escape', 1))
    (tmp_path / "out").mkdir()
    done = subprocess.run([sys.executable, "-m", "udfs.terminal.main", "build", "--deal", str(deal), "--output",
                           str(tmp_path / "out") + "/"], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 2) and done.stderr.count("\n") <= 1, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.toml", "out"]
    if done.returncode == 0:
        assert Path(done.stdout.strip()).parent == tmp_path / "out"


def test_bytes_do_not_depend_on_how_the_deal_path_is_spelled(tmp_path):
    digests = []
    for i, spelled in enumerate(["tests/data/made_up_deal.toml", str(DATA / "made_up_deal.toml"),
                                 "./tests/../tests/data/made_up_deal.toml"]):
        out = tmp_path / f"{i}.xlsx"
        done = subprocess.run([sys.executable, "-m", "udfs.terminal.main",
                               "build", "--deal", spelled, "--output", str(out)],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(set(digests)) == 1


def test_sweep_keeps_live_and_foreign_files(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    time.sleep(0.05)
    stale = tmp_path / f".book.xlsx.{dead.pid}.abcd1234{atomic.SUFFIX}"
    mine = tmp_path / f".book.xlsx.{os.getpid()}.abcd1234{atomic.SUFFIX}"
    foreign = tmp_path / f".book.xlsx.{dead.pid}.abcd1234.tmp"
    for p in (stale, mine, foreign):
        p.write_bytes(b"")
    assert atomic.sweep_stale(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, foreign.name])


def test_sigterm_handler_is_restored_after_main():
    before = signal.getsignal(signal.SIGTERM)
    main(["--version"])
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_full_disk_behind_a_redirect_is_one_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "udfs.terminal.main", "eval", "TERMS_INFO"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (2, "termbook: standard output: No space left on device\n")


# -- every OS failure one line naming the target; Ctrl-C truthful; permissions kept (issue 20) -----------

def test_a_full_disk_inside_xlsxwriter_is_one_line_naming_the_target(tmp_path, capsys, monkeypatch):
    """XlsxWriter wraps the OSError of a full disk in FileCreateError, which is not an OSError."""
    from xlsxwriter.exceptions import FileCreateError

    import workbook.command as wcli

    def full(*args, **kwargs):
        raise FileCreateError(OSError(28, "No space left on device"))

    monkeypatch.setattr(wcli, "build", full)
    out = tmp_path / "book.xlsx"
    code, _, err = run(capsys, "build", "--output", str(out))
    assert (code, err) == (2, f"termbook: --output: {out}: No space left on device")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied", "/x/.book.xlsx.1.abcdefgh.tmp"),
                                   FileNotFoundError(2, "No such file or directory", "/x/.book.xlsx.1.tmp")])
def test_os_errors_name_the_target_not_the_temporary_file(tmp_path, capsys, monkeypatch, error):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(atomic.tempfile, "mkstemp", fail)
    out = tmp_path / "book.xlsx"
    code, _, err = run(capsys, "build", "--output", str(out))
    assert (code, err) == (2, f"termbook: --output: {out}: {error.strerror}")


def test_a_folder_that_vanishes_during_the_build_is_one_line(tmp_path, capsys, monkeypatch):
    import shutil

    import workbook.command as wcli

    folder = tmp_path / "out"
    folder.mkdir()
    real = wcli.build

    def vanishing(*args, **kwargs):
        shutil.rmtree(folder)
        return real(*args, **kwargs)

    monkeypatch.setattr(wcli, "build", vanishing)
    code, _, err = run(capsys, "build", "--output", str(folder / "book.xlsx"))
    assert code == 2 and err.startswith(f"termbook: --output: {folder / 'book.xlsx'}: ") and "\n" not in err


def test_a_replaced_file_keeps_its_permissions(tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert run(capsys, "build", "--output", str(out))[0] == 0
    os.chmod(out, 0o600)
    assert run(capsys, "build", "--output", str(out), "--force")[0] == 0
    assert out.stat().st_mode & 0o777 == 0o600


_CTRL_C_AFTER_COMMIT = """
import os, signal, sys
real = os.replace
def replace(*a, **k):
    real(*a, **k)
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C the moment the file is in place
os.replace = replace
from udfs.terminal.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_once_the_file_is_in_place_does_not_say_interrupted(tmp_path):
    out = tmp_path / "book.xlsx"
    done = subprocess.run([sys.executable, "-c", _CTRL_C_AFTER_COMMIT, "build", "--output", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, str(out), "")
    assert out.exists()


def test_ctrl_c_before_the_commit_over_an_old_file_says_it_was_left(tmp_path):
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"old")
    done = subprocess.run(_hooked("SIGINT", 1, "build", "--output", str(out), "--force"), capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stderr) == (130, f"termbook: interrupted; {out} left as it was\n")
    assert out.read_bytes() == b"old"


def test_a_build_whose_path_cannot_be_printed_says_the_file_was_written(tmp_path):
    out = tmp_path / "book.xlsx"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "udfs.terminal.main", "build", "--output", str(out)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2 and out.exists()
    assert done.stderr == (f"termbook: standard output: {out} was written, but its name could not be printed: "
                           "No space left on device\n")


def test_control_characters_in_an_echoed_path_are_escaped(tmp_path, capsys):
    hostile = tmp_path / "deal\x1b]0;owned\x07\x1b[2J\u202e.toml"
    code, _, err = run(capsys, "build", "--deal", str(hostile))
    assert code == 2 and "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "deal\\x1b]0;owned\\x07\\x1b[2J\\u202e.toml" in err
