"""`termbook`: ask the terms a question from the terminal, build the workbook, check a deal.

    termbook eval LSA_CAPACITY 2002-11-20 2500000 --event keltic_due_diligence=2002-11-14
    termbook build

Every function, argument and help text comes from the catalogue's declaration (udfs.catalogue.spec); the
events, facilities and readings come from the loaded deal. Usage errors print the usage line and
`termbook: error: ...`; bad values print one line; both exit 2. Never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys

from udfs.deal.errors import TermsError
from udfs.terminal import evaluate
from udfs.terminal.parsers import parser as new_parser
from udfs.terminal.protocol import (
    COMMAND_GROUP,
    COMMANDS,
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    SIGINT,
    Terminated,
    UsageError,
)
from udfs.terminal.text import main_help

# Imports inside the functions below are deferred for import time only: a command pays for what it
# uses (bench/bench_cli.py); none hides a cycle (bench/house.py counts them as imports).


def _full_parser(command: str):
    """The argparse parser of `build` or `check`, with the usual -h/--help."""
    module = _command_module(command)
    parser = new_parser(f"termbook {command}", raw_description=True)
    parser.add_argument("-h", "--help", action="help", help="show this help and exit")
    module.add_arguments(parser)
    parser.description = (module.__doc__ or "").strip().splitlines()[0]
    examples = _examples_of(command)
    if examples:
        parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)
    return parser


def _command_module(command: str):
    """The module behind `build` or `check`. Commands register themselves as entry points of the group
    "termbook.commands" (pyproject.toml), so the terminal imports no client of the catalogue by name."""
    from importlib import metadata  # costly to import and to scan: only for build and check

    for entry in metadata.entry_points(group=COMMAND_GROUP):
        if entry.name == command:
            return entry.load()
    raise UsageError("usage: termbook {eval,build,check} ...\n", f"the {command} command is not installed")


def available_commands() -> tuple[str, ...]:
    """eval always; the others as installed."""
    from importlib import metadata

    installed = {entry.name for entry in metadata.entry_points(group=COMMAND_GROUP)}
    return tuple(c for c in COMMANDS if c == "eval" or c in installed)



# -- main -----------------------------------------------------------------------------------------
def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("termbook")
        except PackageNotFoundError:
            pass
    except ImportError:  # pragma: no cover
        pass
    import tomllib
    from pathlib import Path

    try:
        with open(Path(__file__).resolve().parents[1] / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _top(argv: list[str]) -> int:
    from udfs.engine.values import did_you_mean

    if argv and argv[0] == "eval":  # the common case needs no scan of the installed commands
        return evaluate.run(evaluate.new_parser().parse_intermixed_args(argv[1:]))
    commands = available_commands()
    top_usage = f"usage: termbook [--version] [--help] {{{','.join(commands)}}} ...\n"
    if not argv:
        raise UsageError(top_usage, f"a command is needed: {', '.join(commands)} (termbook --help shows examples)")
    first, rest = argv[0], argv[1:]
    if first in ("-h", "--help"):
        print(main_help(commands, _examples_of, _about))
        return EXIT_OK
    if first in ("-V", "--version"):
        print(f"termbook {_version()}")
        return EXIT_OK
    if first not in commands:
        what = "option" if first.startswith("-") else "command"
        pool = ["--help", "--version"] if first.startswith("-") else commands
        raise UsageError(top_usage, f"unknown {what} {first!r}{did_you_mean(first, pool)}; "
                         f"commands: {', '.join(commands)}")
    parser = _full_parser(first)
    args = parser.parse_args(rest)
    return _command_module(first).run(args)


# Used only when a command's module declares no EXAMPLES of its own.
_FALLBACK_EXAMPLES = {"check": ("termbook check seeds/iec_hsbc_ge.toml", "termbook check tests/data/made_up_deal.toml")}


def _examples_of(command: str) -> list[str]:
    if command == "eval":
        return evaluate.examples()
    return list(getattr(_command_module(command), "EXAMPLES", ()) or _FALLBACK_EXAMPLES.get(command, ()))


def _about(command: str) -> str:
    """A command's one line: the first line of its module's docstring, after the `termbook x`: prefix."""
    if command == "eval":
        return "answer one question of the catalogue (termbook eval --help lists every function)"
    first = ((_command_module(command).__doc__ or "").strip().splitlines() or [""])[0]
    return first.split(": ", 1)[-1].rstrip(".")


def _left(exc) -> str:
    """What an interrupted build left in place (workbook.command sets it), or nothing."""
    left = getattr(exc, "left", None)
    return f"; {left}" if left else ""


# Characters a terminal acts on rather than shows: C0 and C1 controls (escape sequences that set a title or
# clear the screen), DEL, and the bidirectional overrides that reorder what follows.
_UNSHOWN = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7f, *range(0x80, 0xa0)]}
_UNSHOWN.update({c: f"\\u{c:04x}" for c in [*range(0x202a, 0x202f), *range(0x2066, 0x206a)]})


def _say(line: str) -> None:
    """One line on stderr, with whatever came from a file name or a file's text escaped, not acted on."""
    print(line.translate(_UNSHOWN), file=sys.stderr)


def _on_sigterm(signum, frame):
    raise Terminated(signum)


def _quiet_stdout():
    """After a closed pipe: point stdout at devnull so the flush at exit cannot fail again
    (the recipe in Python's documentation of SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    previous = None
    if hasattr(signal, "SIGTERM"):
        try:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread (main() called from a thread): leave signals alone
            previous = None
    try:
        code = _top(argv)
        sys.stdout.flush()
        return code
    except UsageError as exc:
        sys.stderr.write(exc.usage + f"termbook: error: {exc.message}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # argparse's --help of build and check
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except TermsError as exc:
        _say(f"termbook: {exc}")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Terminated as exc:
        _say("termbook: terminated" + _left(exc))
        return EXIT_SIGNAL_BASE + exc.signum
    except KeyboardInterrupt as exc:
        _say("termbook: interrupted" + _left(exc))
        return EXIT_SIGNAL_BASE + SIGINT
    except OSError as exc:  # permissions, not a folder, name too long, disk full
        if exc.filename is None:  # writing the answer failed (a full disk behind a redirect)
            _quiet_stdout()
        where = exc.filename if exc.filename is not None else "standard output"
        _say(f"termbook: {where}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except MemoryError:
        _say("termbook: out of memory")
        return EXIT_BAD_INPUT
    except Exception as exc:  # the last guard: one line, never a traceback
        _say(f"termbook: internal error: {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
