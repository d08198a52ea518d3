"""The terminal's argparse parsers: errors raised as UsageError (never argparse's exit), a "did you mean"
for a mistyped option or choice, and help wrapped to the terminal's width."""

from __future__ import annotations

import os
import sys

from udfs.terminal.protocol import UsageError


def parser(prog: str, usage: str | None = None, raw_description: bool = False):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise UsageError(self.format_usage(), with_suggestion(self, message))

    formatter = argparse.RawDescriptionHelpFormatter if raw_description else argparse.HelpFormatter
    width = terminal_width()
    return Parser(prog=prog, usage=usage, add_help=False, allow_abbrev=False,
                  formatter_class=lambda prog: formatter(prog, width=width))


def tty_width() -> int | None:
    """The terminal's width when the answer goes to one (tables then wrap to fit), else None."""
    try:
        return terminal_width() + 2 if sys.stdout.isatty() else None
    except (AttributeError, ValueError):  # stdout replaced or closed
        return None


def terminal_width() -> int:
    """shutil.get_terminal_size's answer less argparse's margin, without shutil: argparse asks shutil
    for it on every argument added, and shutil imports three compression modules the terminal never uses."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def with_suggestion(parser, message: str) -> str:
    """argparse's message plus "did you mean" for a mistyped option or choice."""
    from udfs.engine.values import did_you_mean

    if message.startswith("unrecognized arguments: "):
        options = [s for a in parser._actions for s in a.option_strings]
        for word in message.split(": ", 1)[1].split():
            if word.startswith("-"):
                hint = did_you_mean(word.split("=")[0], options)
                if hint:
                    return message + hint
    if "invalid choice: " in message:
        word = message.split("invalid choice: ", 1)[1].split(" (", 1)[0].strip("'")
        for action in parser._actions:
            if action.choices and word not in action.choices:
                hint = did_you_mean(word, list(action.choices))
                if hint:
                    return message + hint
    return message
