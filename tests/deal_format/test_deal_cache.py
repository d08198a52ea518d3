"""The cache of deals already read (udfs.deal.cache): a hit gives exactly what reading gives,
and anything that could make a cached deal wrong (other bytes, another path, another engine, a damaged
or foreign entry) reads the file again. A cache that cannot be used only costs time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from udfs.deal import cache as deal_cache
from udfs.deal import reader as deal_reader
from udfs.deal.errors import DealFileError
from udfs.engine.rules import default_rules
from udfs.loading import load_deal, parse_deal

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"
# The prime rate in force on 2002-11-07 in the seeds' H.15 table: 4.75% from 2001-12-12, 4.25% from 2002-11-07.
PRIME_LINE = "[2002-11-07, 0.0425]"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TERMBOOK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def reads(monkeypatch):
    """How many times the file was really read (not taken from the cache)."""
    count = []
    real = deal_reader.read

    def counting(data, path):
        count.append(path)
        return real(data, path)

    monkeypatch.setattr(deal_reader, "read", counting)
    return count


def test_a_deal_read_once_is_taken_back_equal_to_reading_it(cache, reads):
    data = SEEDS.read_bytes()
    first = parse_deal(data, "deal.toml")
    second = parse_deal(data, "deal.toml")
    assert len(reads) == 1
    assert second == first == deal_reader.read(data, "deal.toml")  # records compare field by field, deeply
    assert second is not first
    assert second.document("amendment-11").date.isoformat() == "2002-11-12"
    assert [p.name for p in cache.iterdir()] == ["deal.toml.pickle"]


def test_other_bytes_or_another_path_read_the_file_again(cache, reads):
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    changed = data.replace(PRIME_LINE.encode(), b"[2002-11-07, 0.0500]")
    assert changed != data
    rate_on_11_07 = {day.isoformat(): rate for day, rate in parse_deal(changed, "deal.toml").prime["rates"]}
    assert rate_on_11_07["2002-11-07"] == 0.05
    assert parse_deal(data, "other.toml").path == "other.toml"
    assert reads == ["deal.toml", "deal.toml", "other.toml"]


def test_an_edited_deal_file_answers_its_new_terms(cache, tmp_path):
    """The analyst's case: answer, edit the file, answer again (same path, same second)."""
    deal_file = tmp_path / "deal.toml"
    text = SEEDS.read_text()
    assert PRIME_LINE in text
    deal_file.write_text(text)
    command = [sys.executable, "-m", "udfs.terminal.main", "eval", "LSA_PRIME", "2002-11-07", "--deal", str(deal_file)]
    env = dict(os.environ, TERMBOOK_CACHE_DIR=str(cache))
    assert subprocess.run(command, capture_output=True, text=True, env=env).stdout.strip() == "4.25%"
    assert subprocess.run(command, capture_output=True, text=True, env=env).stdout.strip() == "4.25%"
    stat = deal_file.stat()
    deal_file.write_text(text.replace(PRIME_LINE, "[2002-11-07, 0.0500]"))
    os.utime(deal_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old time stamp
    assert subprocess.run(command, capture_output=True, text=True, env=env).stdout.strip() == "5.00%"


def test_another_engine_reads_again(cache, reads, monkeypatch):
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    monkeypatch.setattr(deal_cache, "_stamp", ("another Python", ()))
    parse_deal(data, "deal.toml")
    assert len(reads) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_entry_is_read_past_and_replaced(cache, reads, damage):
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    entry = cache / "deal.toml.pickle"
    entry.write_bytes(damage)
    assert parse_deal(data, "deal.toml").id == "iec-hsbc-ge"
    assert parse_deal(data, "deal.toml").id == "iec-hsbc-ge"
    assert len(reads) == 2  # the damaged entry was read past once, then the rewritten entry served


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is a POSIX notion")
def test_an_entry_others_may_write_is_not_trusted(cache, reads):
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    os.chmod(cache / "deal.toml.pickle", 0o666)
    parse_deal(data, "deal.toml")
    assert len(reads) == 2


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch, reads):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("TERMBOOK_CACHE_DIR", str(blocker / "termbook"))
    data = SEEDS.read_bytes()
    assert parse_deal(data, "deal.toml") == parse_deal(data, "deal.toml")
    assert len(reads) == 2
    assert blocker.read_text() == "a file where the cache folder would be"


def test_off_turns_it_off(tmp_path, monkeypatch, reads):
    monkeypatch.setenv("TERMBOOK_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    parse_deal(data, "deal.toml")
    assert len(reads) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_refused_file_is_never_kept(cache, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SEEDS.read_text().replace("[prime]", "[prime]\nrate_typo = 1", 1))
    for _ in range(2):
        with pytest.raises(DealFileError, match="rate_typo: unknown key"):
            load_deal(bad)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_the_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("TERMBOOK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert deal_cache.folder() == str(tmp_path / "xdg" / "termbook")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    expected = (tmp_path / "local" / "termbook" / "cache") if os.name == "nt" else (tmp_path / "home" / ".cache"
                                                                                    / "termbook")
    assert deal_cache.folder() == str(expected)


@pytest.mark.parametrize("name", ["made_up_deal.toml", "deal_with_amendment_12.toml"])
def test_every_test_deal_comes_back_from_the_cache_as_read(cache, reads, name):
    data = (Path(__file__).parents[1] / "data" / name).read_bytes()
    first, second = parse_deal(data, name), parse_deal(data, name)
    assert len(reads) == 1 and second == first
    assert default_rules(second).chosen == default_rules(first).chosen  # a cached lookup comes back too


# -- a cache that trusts only what this user wrote (issue 20) ----------------------------------------
# Unpickling runs code: another local user who can put a file, a link or a FIFO where an entry is read
# must not get their code run, a question hung, or a large file read.


class _Runs:
    """A pickle that, when loaded, makes a folder: proof that loading ran code."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


@pytest.fixture(autouse=False)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(deal_cache, "_refused", set())


def _answers(data):
    return parse_deal(data, "deal.toml").document("amendment-11").date.isoformat() == "2002-11-12"


def test_a_linked_entry_is_not_unpickled(cache, reads, tmp_path, fresh_warnings):
    """Another user links the victim's entry to a pickle the victim owns (a file received from somebody)."""
    import pickle

    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    received = tmp_path / "received.pickle"
    received.write_bytes(pickle.dumps(_Runs(tmp_path / "ran")))
    os.chmod(received, 0o600)
    entry = cache / "deal.toml.pickle"
    entry.unlink()
    entry.symlink_to(received)
    assert _answers(data)
    assert not (tmp_path / "ran").exists()
    assert len(reads) == 2


def test_a_fifo_entry_does_not_hang_a_question(cache, reads, fresh_warnings):
    import threading

    data = SEEDS.read_bytes()
    cache.mkdir(mode=0o700)
    os.mkfifo(cache / "deal.toml.pickle")
    answered = []
    worker = threading.Thread(target=lambda: answered.append(_answers(data)), daemon=True)
    worker.start()
    worker.join(20)
    assert answered == [True]


def test_an_entry_larger_than_any_deal_is_not_read(cache, reads, fresh_warnings):
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")
    entry = cache / "deal.toml.pickle"
    with open(entry, "r+b") as handle:
        handle.truncate(deal_cache.MAX_ENTRY_BYTES + 1)  # sparse: costs no disk, would cost memory if read
    assert _answers(data) and len(reads) == 2


@pytest.mark.parametrize("mode", [0o777, 0o755, 0o770, 0o711])
def test_a_folder_others_may_use_is_not_used_and_said_once(cache, reads, capsys, mode, fresh_warnings):
    data = SEEDS.read_bytes()
    cache.mkdir()
    os.chmod(cache, mode)
    for _ in range(3):
        assert _answers(data)
    assert len(reads) == 3 and list(cache.iterdir()) == []  # nothing read from it, nothing written into it
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and str(cache) in err[0] and f"mode {mode:04o}" in err[0] and "0700" in err[0]


def test_a_linked_folder_is_not_used(cache, reads, capsys, tmp_path, fresh_warnings):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache.symlink_to(elsewhere)
    data = SEEDS.read_bytes()
    assert _answers(data) and _answers(data)
    assert len(reads) == 2 and list(elsewhere.iterdir()) == []
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "link" in err[0]


def test_a_folder_of_another_user_is_not_used(cache, reads, capsys, monkeypatch, fresh_warnings):
    data = SEEDS.read_bytes()
    parse_deal(data, "deal.toml")  # an entry this user wrote, in a folder that then is not theirs
    monkeypatch.setattr(deal_cache, "_me", lambda: os.getuid() + 1)
    assert _answers(data)
    assert len(reads) == 2
    assert "owned by user id" in capsys.readouterr().err


def test_an_entry_of_another_user_is_not_trusted(cache, reads):
    info = os.stat_result((0o100600, 0, 0, 1, os.getuid() + 1, 0, 100, 0, 0, 0))
    assert "owned by user id" in deal_cache.trusted(info)
    mine = os.stat_result((0o100600, 0, 0, 1, os.getuid(), 0, 100, 0, 0, 0))
    assert deal_cache.trusted(mine) is None
    if os.getuid() == 0:  # as root, a real entry handed to another user
        data = SEEDS.read_bytes()
        parse_deal(data, "deal.toml")
        os.chown(cache / "deal.toml.pickle", 65534, 65534)
        assert _answers(data) and len(reads) == 2


def test_a_folder_name_is_shown_with_its_control_characters_escaped(tmp_path, monkeypatch, capsys,
                                                                    fresh_warnings):
    shared = tmp_path / "shared\x1b]0;title\x07"
    shared.mkdir(mode=0o777)
    os.chmod(shared, 0o777)
    monkeypatch.setenv("TERMBOOK_CACHE_DIR", str(shared))
    assert _answers(SEEDS.read_bytes())
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;title\\x07" in err


def test_no_cache_where_the_system_cannot_say_who_wrote_an_entry(cache, reads, monkeypatch):
    monkeypatch.setattr(deal_cache, "_SECURE", False)  # Windows: no owner ids, no O_NOFOLLOW
    data = SEEDS.read_bytes()
    assert _answers(data) and _answers(data)
    assert len(reads) == 2 and not cache.exists()


def test_the_folder_is_made_0700(cache):
    parse_deal(SEEDS.read_bytes(), "deal.toml")
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / "deal.toml.pickle").stat().st_mode & 0o777 == 0o600
