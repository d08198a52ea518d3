"""The terminal's one protocol, declared once: the exit codes, the usage error, and what a command is.

A command (`eval` here; `build` from the workbook, `check` from udfs.terminal.check, both found by entry
point in the group COMMAND_GROUP) is a module with:

    EXAMPLES                   a few command lines shown under its --help
    add_arguments(parser)      its options, on an argparse parser the terminal made
    run(args) -> int           EXIT_OK when done; bad input is raised, never printed: a TermsError (one line,
                               EXIT_BAD_INPUT) or a UsageError (the usage line, then the message)

udfs.terminal.main turns what a command raises into one line and its exit code; nothing else prints errors.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_BROKEN_PIPE = 1  # the reader of our output went away (`| head`): nothing to say
EXIT_BAD_INPUT = 2  # a usage error or a bad value, file or argument: one line naming what, where and why
EXIT_INTERNAL = 70  # EX_SOFTWARE: a fault of termbook's own, one line, never a traceback
EXIT_SIGNAL_BASE = 128  # killed by signal n: 128 + n, as shells report it (Ctrl-C: 130)
SIGINT = 2

COMMANDS = ("eval", "build", "check")
COMMAND_GROUP = "termbook.commands"


class UsageError(Exception):
    """A command line that does not fit the usage: printed as the usage line, then `termbook: error: ...`."""

    def __init__(self, usage: str, message: str):
        super().__init__(message)
        self.usage = usage if usage.endswith("\n") else usage + "\n"
        self.message = message


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so cleanups run as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
