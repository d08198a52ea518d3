"""A one-line progress bar on stderr while long schedules are written (one line a stage when not a terminal)."""

from __future__ import annotations

import sys


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or a plain object stream
        return False


class Progress:
    """A one-line progress bar on stderr for long schedules."""

    def __init__(self, stream=None, threshold: int = 20000):
        self.stream = stream or sys.stderr
        self.threshold = threshold
        self._last = None

    def update(self, label: str, done: int, total: int):
        if total < self.threshold:
            return
        if not _is_tty(self.stream):  # piped or redirected: one line a stage, when it is done
            if done >= total:
                self.stream.write(f"{label}: {total} rows written\n")
                self.stream.flush()
            return
        width = 30
        filled = width * done // max(total, 1)
        text = f"\r{label[:24]:<24} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total}"
        if text != self._last:
            self.stream.write(text + ("\n" if done >= total else ""))
            self.stream.flush()
            self._last = text
