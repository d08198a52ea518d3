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

from udfs.engine.errors import TermsError

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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:_PREFIX_CHARS]}.{os.getpid()}.", suffix=SUFFIX,
                               dir=path.parent)
    raw = os.fdopen(fd, "wb")
    handle = _Handle(raw)
    try:
        with _terminate_as_exit():
            yield handle
            raw.flush()
            if hasattr(os, "fchmod"):  # POSIX: the permissions a plain open() would give, not mkstemp's 0600
                os.fchmod(raw.fileno(), 0o666 & ~_umask())
            os.fsync(raw.fileno())
            raw.close()
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
    except BaseException:
        handle.abandon()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
