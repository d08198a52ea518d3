"""Loading a deal: a deal file's bytes in, its checked records (udfs.deal.records) out.

A deal file is read once by udfs.deal.reader (TOML, every key checked) and proved by
udfs.loading.validate (every view of the engine asked), and what that gave is kept in a cache
(udfs.deal.cache): the next question about the same bytes skips both, which cost more than
answering. Loading sits above the engine because the proof asks the engine's views; the engine itself
computes with the records and never loads.
"""

from __future__ import annotations

import errno
import os
import stat

from udfs.deal import cache as deal_cache
from udfs.deal.errors import DealFileError
from udfs.deal.records import MAX_FILE_BYTES, Deal


def parse_deal(data: bytes, path: str) -> Deal:
    """The deal a file's bytes describe, or a DealFileError naming the field, why, and its line."""
    deal = deal_cache.load(data, path)
    if deal is None:
        # imported here for the terminal's import time only: a deal read before comes from the cache,
        # and TOML, the checks and the proof cost more than answering (bench/bench_cli.py)
        from udfs.deal import reader as deal_reader
        from udfs.loading import validate

        deal = deal_reader.read(data, path)
        try:
            validate.check(deal)
        except DealFileError as exc:
            raise deal_reader.located(exc, data, path) from None
        deal_cache.store(data, path, deal)
    return deal


NOT_REGULAR = "not a regular file (a FIFO, a device or a folder)"


def read_limited(path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (the caller refuses a longer file without
    the rest being read). A FIFO, a device (/dev/zero) or a folder is refused at once: opened without
    blocking, never read. Deal files and inputs files both come through here."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, NOT_REGULAR)
        return handle.read(limit + 1)


def load_deal(path) -> Deal:
    if not str(path).strip():
        raise DealFileError(repr(str(path)), "(file)", "no file named")
    path = os.fspath(path)
    try:
        data = read_limited(path)
    except OSError as exc:
        raise DealFileError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None
    return parse_deal(data, str(path))


DEFAULT_DEAL_FILE = "iec_hsbc_ge.toml"
_default = None


def default_deal() -> Deal:
    """The embedded deal, shipped in the wheel as package data of `termbook_seeds`."""
    global _default
    if _default is None:
        _default = parse_deal(_embedded_bytes(), f"seeds/{DEFAULT_DEAL_FILE}")
    return _default


def _embedded_bytes() -> bytes:
    import termbook_seeds

    try:  # a package installed as files: read it directly (importlib.resources costs more than answering)
        return read_limited(os.path.join(os.path.dirname(termbook_seeds.__file__), DEFAULT_DEAL_FILE))
    except OSError:  # installed some other way (a zip): ask the import system
        from importlib import resources

        return resources.files("termbook_seeds").joinpath(DEFAULT_DEAL_FILE).read_bytes()
