"""Write a file atomically: into a temporary file beside it, then one rename.

A build that fails or is interrupted (an exception, Ctrl-C, SIGTERM) removes its temporary file
and leaves any existing file untouched; readers never see half a workbook.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from pathlib import Path

from udfs.engine.errors import TermsError

SUFFIX = ".termbook-tmp"


@contextlib.contextmanager
def _terminate_as_exit():
    """Turn SIGTERM into SystemExit while writing, so the cleanup below runs."""
    if threading.current_thread() is not threading.main_thread():
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


@contextlib.contextmanager
def atomic_write(path: str | Path, overwrite: bool = True):
    """Yield a binary file; on success it becomes `path`, else it is removed.

    With overwrite=False an existing `path` (even one created while we were writing) is refused.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=SUFFIX, dir=path.parent)
    try:
        with _terminate_as_exit():
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
                os.fsync(handle.fileno())
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
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
