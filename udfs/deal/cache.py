"""A cache of deals already read: the bytes of a deal file, and the checked deal they gave.

Reading a deal file (TOML, every key checked, every view asked) takes longer than answering a question
from it, and the terminal answers one question per process. So a deal that was read is kept, pickled,
in the user's cache folder and taken back when the same file (same path, same bytes) is asked about
again, by the same engine (same Python, same source files of udfs/engine). Anything else reads the file
again: a cache entry is never trusted further than that, and a cache that cannot be read or written
only costs time. Only deals that loaded are kept; a refused file is read, and refused, every time.

Where: $TERMBOOK_CACHE_DIR, else $XDG_CACHE_HOME/termbook, else (Windows) %LOCALAPPDATA%\\termbook\\cache,
else ~/.cache/termbook.
TERMBOOK_CACHE_DIR=off turns the cache off. The folder must be the user's own (see `trusted`): one
termbook made, mode 0700, not a link; any other is not used, and stderr says so once. No cache on
Windows, which cannot give the same guarantees.
"""

from __future__ import annotations

import errno
import os
import stat
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


def entry_name(path: str) -> str:
    """The cache file's name for a deal file given as `path` (as typed: the entry records it, and a hit
    needs it equal). Names are readable; two paths that map to one name only evict each other."""
    return "".join(c if c in _NAME_CHARS else "_" for c in path)[-120:] + ".pickle"


def entry_path(path: str) -> str | None:
    where = folder()
    return None if where is None else os.path.join(where, entry_name(path))


# -- trust --------------------------------------------------------------------------------------
# Unpickling runs code, so an entry is taken back only if this user wrote it: the folder is one termbook
# made (a real directory, not a link, owned by the user, mode 0700: nobody else can add, swap or link
# an entry), and each entry is opened inside it without following a link or blocking (a FIFO), must be
# a regular file owned by the user, writable by nobody else, and no larger than an entry can be.
# Where the system cannot say so much (Windows: no owner ids, no O_NOFOLLOW), there is no cache.
_SECURE = hasattr(os, "getuid") and hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a pickled deal holds its file's bytes (at most 2 MB) and its records
_refused: set = set()  # folders already said to be unusable: one line each, once


def _me() -> int:
    return os.getuid()


def trusted(info, *, folder: bool = False) -> str | None:
    """Why a folder or entry (its lstat/fstat) is not this user's own, or None if it is."""
    if folder and not stat.S_ISDIR(info.st_mode):
        return "not a folder (a link or a file)"
    if not folder and not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_uid != _me():
        return f"owned by user id {info.st_uid}, not by you ({_me()})"
    if folder and info.st_mode & 0o077:
        return f"mode {stat.S_IMODE(info.st_mode):04o}; the cache needs 0700 (only you may read or change it)"
    if not folder and info.st_mode & 0o022:
        return "writable by others"
    if not folder and info.st_size > MAX_ENTRY_BYTES:
        return "larger than a cache entry can be"
    return None


def _say_once(where: str, why: str) -> None:
    if where in _refused:
        return
    _refused.add(where)
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in where)
    sys.stderr.write(f"termbook: not using the deal cache {shown}: {why} (set TERMBOOK_CACHE_DIR to a folder "
                     "of your own, or to off)\n")


def _open_folder(create: bool) -> int | None:
    """A descriptor of the cache folder if it is this user's own (made with 0700 when missing and `create`)."""
    where = folder()
    if where is None or not _SECURE:
        return None
    try:
        if create:
            parent = os.path.dirname(os.path.abspath(where))
            os.makedirs(parent, exist_ok=True)
            try:
                os.mkdir(where, 0o700)
            except FileExistsError:
                pass
        descriptor = os.open(where, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_DIRECTORY", 0)
                             | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENOENT and not create:
            return None  # not made yet: the first store makes it
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            _say_once(where, "it is a link or not a folder")
        else:
            _say_once(where, exc.strerror or str(exc))
        return None
    why = trusted(os.fstat(descriptor), folder=True)
    if why is not None:
        os.close(descriptor)
        _say_once(where, why)
        return None
    return descriptor


def load(data: bytes, path: str):
    """The deal cached for these bytes at this path, or None."""
    directory = _open_folder(create=False)
    if directory is None:
        return None
    try:
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        descriptor = os.open(entry_name(path), flags, dir_fd=directory)
        with os.fdopen(descriptor, "rb") as handle:
            if trusted(os.fstat(handle.fileno())) is not None:
                return None  # a link, a FIFO, somebody else's or too large: not ours to unpickle
            blob = handle.read(MAX_ENTRY_BYTES + 1)
        if len(blob) > MAX_ENTRY_BYTES:
            return None
        import pickle

        stamp, cached_path, cached_data, deal = pickle.loads(blob)
    except Exception:  # missing, unreadable, truncated, from another version: read the file instead
        return None
    finally:
        os.close(directory)
    if stamp != engine_stamp() or cached_path != path or cached_data != data:
        return None
    return deal


def store(data: bytes, path: str, deal) -> None:
    """Keep a deal that loaded, atomically (a temporary file renamed over the entry); never fails."""
    directory = _open_folder(create=True)
    if directory is None:
        return
    name = entry_name(path)
    temporary = f"{name}.{os.getpid()}.tmp"
    try:
        import pickle

        blob = pickle.dumps((engine_stamp(), path, data, deal), protocol=pickle.HIGHEST_PROTOCOL)
        if len(blob) > MAX_ENTRY_BYTES:
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        descriptor = os.open(temporary, flags, 0o600, dir_fd=directory)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except Exception:  # a read-only home, a full disk, a deal that cannot be pickled: answer anyway
        try:
            os.remove(temporary, dir_fd=directory)
        except OSError:
            pass
    finally:
        os.close(directory)
