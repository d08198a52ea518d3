"""A cache of deals already read: the bytes of a deal file, and the checked deal they gave.

Reading a deal file (TOML, every key checked, every view asked) takes longer than answering a question
from it, and the terminal answers one question per process. So a deal that was read is kept, pickled,
in the user's cache folder and taken back when the same file (same path, same bytes) is asked about
again, by the same engine (same Python, same source files of udfs/engine). Anything else reads the file
again: a cache entry is never trusted further than that, and a cache that cannot be read or written
only costs time. Only deals that loaded are kept; a refused file is read, and refused, every time.

Where: $TERMBOOK_CACHE_DIR, else $XDG_CACHE_HOME/termbook, else (Windows) %LOCALAPPDATA%\\termbook\\cache,
else ~/.cache/termbook.
TERMBOOK_CACHE_DIR=off turns the cache off.
"""

from __future__ import annotations

import os
import sys

_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
_stamp = None


def folder() -> str | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get("TERMBOOK_CACHE_DIR", "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return chosen
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base and os.name == "nt" and os.environ.get("LOCALAPPDATA", "").strip():
        return os.path.join(os.environ["LOCALAPPDATA"].strip(), "termbook", "cache")
    return os.path.join(base or os.path.join(os.path.expanduser("~"), ".cache"), "termbook")


def engine_stamp() -> tuple:
    """What produced a cached deal: Python's version and every engine source file's name, size and time.
    A changed engine (an upgrade, an edit) makes every entry stale."""
    global _stamp
    if _stamp is None:
        files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(_ENGINE_DIR)
                       if e.name.endswith(".py"))
        _stamp = (sys.version, tuple(files))
    return _stamp


def entry_path(path: str) -> str | None:
    """The cache file for a deal file given as `path` (as typed: the entry records it, and a hit
    needs it equal). Names are readable; two paths that map to one name only evict each other."""
    where = folder()
    if where is None:
        return None
    name = "".join(c if c in _NAME_CHARS else "_" for c in path)[-120:]
    return os.path.join(where, f"{name}.pickle")


def load(data: bytes, path: str):
    """The deal cached for these bytes at this path, or None."""
    entry = entry_path(path)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as handle:
            info = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
                return None  # written by somebody else, or writable by others: not ours to unpickle
            blob = handle.read()
        import pickle

        stamp, cached_path, cached_data, deal = pickle.loads(blob)
    except Exception:  # missing, unreadable, truncated, from another version: read the file instead
        return None
    if stamp != engine_stamp() or cached_path != path or cached_data != data:
        return None
    return deal


def store(data: bytes, path: str, deal) -> None:
    """Keep a deal that loaded, atomically (a temporary file renamed over the entry); never fails."""
    entry = entry_path(path)
    if entry is None:
        return
    temporary = f"{entry}.{os.getpid()}.tmp"
    try:
        import pickle

        blob = pickle.dumps((engine_stamp(), path, data, deal), protocol=pickle.HIGHEST_PROTOCOL)
        os.makedirs(os.path.dirname(entry), mode=0o700, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, entry)
    except Exception:  # a read-only home, a full disk, a deal that cannot be pickled: answer anyway
        try:
            os.remove(temporary)
        except OSError:
            pass
