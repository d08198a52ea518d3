"""Write a file atomically: into a temporary file beside it, then one rename.

A build that fails or is interrupted (an exception, Ctrl-C, SIGTERM) removes its temporary file
and leaves any existing file untouched; readers never see half a workbook. A build killed outright
(kill -9) cannot clean up: its temporary file carries its process id, and the next build in that
folder removes temporary files whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import threading
from pathlib import Path

from udfs.deal.errors import TermsError

SUFFIX = ".termbook-tmp"
_TEMP_NAME = re.compile(r"\..*\.(\d+)\.[A-Za-z0-9_]{8}" + re.escape(SUFFIX))
_PREFIX_CHARS = 80  # of the target's name in the temporary name: the whole stays under 255 bytes


@contextlib.contextmanager
def _terminate_as_exit():
    """Turn SIGTERM into SystemExit while writing, so the cleanup below runs; a handler the
    program installed already (the terminal's) is kept."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
        yield
        return

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_HELD = (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None))
_ignored: dict = {}  # signal -> the handler it had before the commit


def _block_signals() -> object:
    """Hold Ctrl-C and SIGTERM while the file is committed (POSIX, main thread); the old mask, or None."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {s for s in _HELD if s is not None})


def _ignore_held_signals(mask) -> None:
    """The file is in place: a Ctrl-C held during the commit, or one from now until the program has said
    so (release_signals), cannot make it say "interrupted" about a file it wrote. Held signals are dropped."""
    if mask is None:
        return
    for s in _HELD:
        if s is not None and s not in _ignored:
            _ignored[s] = signal.signal(s, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def release_signals() -> None:
    """Ctrl-C and SIGTERM act again as before the commit."""
    while _ignored:
        s, handler = _ignored.popitem()
        signal.signal(s, handler)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process: never sweep
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or cannot tell: leave its file alone
    return True


def sweep_stale(folder: str | Path) -> list[Path]:
    """Remove temporary files that builds killed outright left in `folder` (their process is gone)."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match and entry.is_file(follow_symlinks=False) and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


class _Sink:
    """A file that keeps only its position: where an abandoned archive's late writes go."""

    def __init__(self, position: int):
        self.position = position

    def write(self, data) -> int:
        self.position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset if whence == 0 else self.position + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def flush(self):
        pass

    def close(self):
        pass

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True


class _Handle:
    """The temporary file as the writer sees it. Once abandoned (the write failed or was interrupted)
    the real file is closed and every later call goes to a sink, so a half-written zip archive
    finalized afterwards (XlsxWriter's ZipFile, freed with the traceback) writes nowhere and prints
    nothing ("Exception ignored ... seek of closed file")."""

    def __init__(self, raw):
        self._target = raw

    def abandon(self):
        raw = self._target
        try:
            position = raw.tell()
        except (OSError, ValueError):
            position = 0
        self._target = _Sink(position)
        with contextlib.suppress(OSError, ValueError):
            raw.close()

    def __getattr__(self, name):
        return getattr(self._target, name)


@contextlib.contextmanager
def atomic_write(path: str | Path, overwrite: bool = True):
    """Yield a binary file; on success it becomes `path`, else it is removed.

    With overwrite=False an existing `path` (even one created while we were writing) is refused.
    """
    path = Path(path)
    try:  # a file replaced keeps its permissions (a 0600 workbook stays 0600)
        keep = os.stat(path).st_mode & 0o7777 if overwrite else None
    except OSError:
        keep = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:_PREFIX_CHARS]}.{os.getpid()}.", suffix=SUFFIX,
                               dir=path.parent)
    raw = os.fdopen(fd, "wb")
    handle = _Handle(raw)
    try:
        with _terminate_as_exit():
            yield handle
            raw.flush()
            if hasattr(os, "fchmod"):  # POSIX: the replaced file's, else what a plain open() gives (not 0600)
                os.fchmod(raw.fileno(), keep if keep is not None else 0o666 & ~_umask())
            os.fsync(raw.fileno())
            raw.close()
            mask = _block_signals()
            try:
                _commit(tmp, path, overwrite)
            except BaseException:
                if mask is not None:
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                raise
            _ignore_held_signals(mask)
    except BaseException:
        handle.abandon()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _commit(tmp: str, path: Path, overwrite: bool) -> None:
    """The temporary file becomes `path` (with overwrite=False, only if `path` is still free)."""
    if overwrite:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise TermsError("--output", f"{path} already exists; use --force to replace it") from None
        except OSError:  # no hard links here: check, then rename
            if path.exists():
                raise TermsError("--output", f"{path} already exists; use --force to replace it") from None
            os.replace(tmp, path)
        else:
            os.unlink(tmp)
