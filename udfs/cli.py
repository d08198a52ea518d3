"""`termbook`: ask the terms a question from the terminal, build the workbook, check a deal.

    termbook eval LSA_CAPACITY 2002-11-20 2500000 --event keltic_due_diligence=2002-11-14
    termbook build

Every function, argument and help text comes from the catalogue's declaration (udfs.spec); the
events, facilities and readings come from the loaded deal. Usage errors print the usage line and
`termbook: error: ...`; bad values print one line; both exit 2. Never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys

from . import spec
from .cli_text import (
    EXIT_BAD_INPUT,
    UsageError,
    eval_help,
    eval_usage,
    function_help,
    main_help,
    option_of,
    signature,
)
from .engine.errors import TermsError

# Imports inside the functions below are deferred for import time only: a command pays for what it
# uses (bench/bench_cli.py); none hides a cycle (bench/house.py counts them as imports).
EXIT_INTERNAL = 70
COMMANDS = ("eval", "build", "check")
COMMAND_GROUP = "termbook.commands"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so cleanups run as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# -- the parsers ----------------------------------------------------------------------------------
def _parser(prog: str, usage: str | None = None, raw_description: bool = False):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise UsageError(self.format_usage(), _with_suggestion(self, message))

    formatter = argparse.RawDescriptionHelpFormatter if raw_description else argparse.HelpFormatter
    width = _terminal_width()
    return Parser(prog=prog, usage=usage, add_help=False, allow_abbrev=False,
                  formatter_class=lambda prog: formatter(prog, width=width))


def _tty_width() -> int | None:
    """The terminal's width when the answer goes to one (tables then wrap to fit), else None."""
    try:
        return _terminal_width() + 2 if sys.stdout.isatty() else None
    except (AttributeError, ValueError):  # stdout replaced or closed
        return None


def _terminal_width() -> int:
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


def _with_suggestion(parser, message: str) -> str:
    """argparse's message plus "did you mean" for a mistyped option or choice."""
    from .engine.values import did_you_mean

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


def _eval_parser():
    ev = _parser("termbook eval", eval_usage().removeprefix("usage: ").rstrip())
    ev.add_argument("-h", "--help", action="store_true")
    ev.add_argument("function", nargs="?")
    ev.add_argument("args", nargs="*")
    ev.add_argument("--event", action="append", default=[], metavar="NAME=DATE")
    ev.add_argument("--offset", action="append", default=[], metavar="DATE=AMOUNT")
    ev.add_argument("--collateral", action="append", default=[], metavar="NAME=AMOUNT")
    ev.add_argument("--amended-through", metavar="DATE")
    ev.add_argument("--rule", action="append", default=[], metavar="CHOICE")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--deal", metavar="FILE")
    ev.add_argument("--explain", action="store_true")
    return ev


def _full_parser(command: str):
    """The argparse parser of `build` or `check`, with the usual -h/--help."""
    module = _command_module(command)
    parser = _parser(f"termbook {command}", raw_description=True)
    parser.add_argument("-h", "--help", action="help", help="show this help and exit")
    if command == "build":
        module.add_build_arguments(parser)
    else:
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


# -- eval ---------------------------------------------------------------------------------------
def _load_catalogue(deal_path):
    from . import functions

    if deal_path is None:
        return functions.default_catalogue()
    if not deal_path.strip():
        raise TermsError("--deal", "is empty: give the path of a deal file")
    from .engine.deal import load_deal
    from .engine.terms import Terms

    return functions.Catalogue(Terms(load_deal(deal_path)))


def _function(name: str) -> spec.Function:
    from .engine.values import did_you_mean

    found = spec.BY_NAME.get(name.upper())
    if found is None:
        raise UsageError(eval_usage(), f"unknown function {name!r}{did_you_mean(name.upper(), spec.NAMES)}; "
                         "termbook eval --help lists them")
    return found


def _pair(text: str, flag: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        shape = {"--event": "NAME=DATE", "--collateral": "NAME=AMOUNT"}.get(flag, "DATE=AMOUNT")
        raise TermsError(flag, f"{text!r} is not {shape}")
    return key.strip(), value.strip()


def call_arguments(fn: spec.Function, args) -> dict:
    """The function's keyword arguments from the command line, by the one rule: the function's
    own arguments by position ('-' skips an optional one), the view arguments by option only."""
    positional = [a for a in fn.args if a.name not in spec.VIEW_ARGUMENTS]
    view = [a for a in fn.args if a.name in spec.VIEW_ARGUMENTS]
    if len(args.args) > len(positional):
        count = f"{len(positional)} positional argument{'' if len(positional) == 1 else 's'}"
        names = f" ({', '.join(a.name for a in positional)})" if positional else ""
        hint = "; ".join(f"use {option_of(a.name)} for {a.name}" for a in view)
        raise UsageError(f"usage: {signature(fn)}\n",
                         f"{fn.name} takes {count}{names}; got {len(args.args)}" + (f"; {hint}" if hint else ""))
    kwargs = {}
    for arg, text in zip(positional, args.args):
        if text == "-":
            if arg.required:
                raise UsageError(f"usage: {signature(fn)}\n", f"{arg.name} is required; '-' leaves out only an "
                                 "optional argument")
            continue
        if not text.strip():  # a blank is no value: never the default taken silently
            raise TermsError(arg.name, "is empty: give a value ('-' leaves out an optional argument)")
        kwargs[arg.name] = text
    missing = [a for a in positional if a.required and a.name not in kwargs]
    if missing:
        kinds = {"date": "a date, YYYY-MM-DD"}
        names = ", ".join(f"{a.name} ({kinds[a.kind]})" if a.kind in kinds else a.name for a in missing)
        example = " ".join([fn.name, *args.args, *(f"<{a.name}>" for a in missing)])
        raise UsageError(f"usage: {signature(fn)}\n", f"{fn.name} needs {names}; add it: termbook eval {example}")
    taken = {a.name for a in view}
    given = {"events": args.event, "offsets": args.offset, "collateral": args.collateral,
             "amended_through": args.amended_through,
             "rules": args.rule}
    for name, value in given.items():  # a blank option is refused, never read as "not given"
        blanks = [value] if isinstance(value, str) else list(value or ())
        if any(not str(v).replace(",", " ").replace(";", " ").strip() for v in blanks):
            raise TermsError(option_of(name).split()[0], "is empty: give a value, or leave the option out")
        if not value:
            continue
        target = name if name in taken else ("rule" if name == "rules" and "rule" in taken else None)
        if target is None:
            option = option_of(name).split()[0]
            raise UsageError(f"usage: {signature(fn)}\n", f"{fn.name} does not take {name} ({option})")
        kwargs[target] = value
    if "events" in kwargs:
        kwargs["events"] = [_pair(e, "--event") for e in kwargs["events"]]
    if "offsets" in kwargs:
        kwargs["offsets"] = [_pair(o, "--offset") for o in kwargs["offsets"]]
    if "collateral" in kwargs:
        kwargs["collateral"] = [_pair(c, "--collateral") for c in kwargs["collateral"]]
    return kwargs


def _split_facility(fn: spec.Function, args, deal) -> None:
    """A facility named in two words without quotes (term loan) reaches us as two arguments: say so,
    with the command that works, before the second word is read as the next argument."""
    positional = [a.name for a in fn.args if a.name not in spec.VIEW_ARGUMENTS]
    if "facility" not in positional:
        return
    k = positional.index("facility")
    given = args.args
    if k + 1 < len(given):
        joined = f"{given[k]} {given[k + 1]}"
        names = {n.replace("_", " ") for n in deal.facilities}
        names |= {str(a).lower() for info in deal.facilities.values()
                  for a in [info.get("label", ""), *info.get("aliases", ())]}
        if " ".join(joined.lower().replace("_", " ").split()) in names:
            fixed = " ".join([fn.name, *given[:k], f"'{joined}'", *given[k + 2:]])
            raise UsageError(f"usage: {signature(fn)}\n", f"facility {joined!r} is two words: put it in quotes, "
                             f"termbook eval {fixed}")


def check_arguments(fn: spec.Function, kwargs: dict, deal) -> None:
    """What the terminal refuses before asking: date forms, unknown names (with a suggestion),
    and event or offset dates outside any sensible range for this deal."""
    from . import argument_checks as cli_checks

    for arg in fn.args:
        value = kwargs.get(arg.name)
        if value is None:
            continue
        if arg.kind == "date":
            where = option_of(arg.name).split()[0] if arg.name in spec.VIEW_ARGUMENTS else arg.name
            cli_checks.within_horizon(where, cli_checks.date_form(value, where, deal), deal, cli_checks.HORIZON_YEARS)
        elif arg.name == "facility":
            cli_checks.facility(value, deal)
        elif arg.kind == "events":
            for name, when in value:
                cli_checks.event(name, when, deal, cli_checks.HORIZON_YEARS)
        elif arg.kind == "offsets":
            for when, _amount in value:
                cli_checks.dated("--offset", when, deal, cli_checks.HORIZON_YEARS)
        elif arg.kind == "rules":
            cli_checks.rules(value, deal)


def run_eval(args) -> int:
    from .cli_render import render

    if args.deal is not None and not args.deal.strip():
        raise TermsError("--deal", "is empty: give the path of a deal file")
    if args.help:
        fn = _function(args.function) if args.function else None
        catalogue = _load_catalogue(args.deal)
        if fn is None:
            print(eval_help(catalogue.deal))
        else:
            from .functions import WORKED_FROM

            view = catalogue.view()
            used = catalogue.readings_used(fn.name, view) if fn.name in WORKED_FROM else None
            print(function_help(fn, catalogue.deal, used, (view.start, view.end)))
        return 0
    if args.function is None:
        raise UsageError(eval_usage(), "a function is needed, e.g. termbook eval "
                         f"{spec.NAMES[0]} DATE (termbook eval --help lists them)")
    fn = _function(args.function)
    kwargs = call_arguments(fn, args)
    catalogue = _load_catalogue(args.deal)
    _split_facility(fn, args, catalogue.deal)
    check_arguments(fn, kwargs, catalogue.deal)
    if getattr(args, "explain", False):
        explained = catalogue.explain(fn.name, **kwargs)
        print(render(explained.answer, fn, args.json, working=explained.rows, fit=_tty_width()))
        return 0
    print(render(getattr(catalogue, fn.name)(**kwargs), fn, args.json, fit=_tty_width()))
    return 0


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
    from .engine.values import did_you_mean

    if argv and argv[0] == "eval":  # the common case needs no scan of the installed commands
        return run_eval(_eval_parser().parse_intermixed_args(argv[1:]))
    commands = available_commands()
    top_usage = f"usage: termbook [--version] [--help] {{{','.join(commands)}}} ...\n"
    if not argv:
        raise UsageError(top_usage, f"a command is needed: {', '.join(commands)} (termbook --help shows examples)")
    first, rest = argv[0], argv[1:]
    if first in ("-h", "--help"):
        print(main_help(commands, _examples_of, _about))
        return 0
    if first in ("-V", "--version"):
        print(f"termbook {_version()}")
        return 0
    if first not in commands:
        what = "option" if first.startswith("-") else "command"
        pool = ["--help", "--version"] if first.startswith("-") else commands
        raise UsageError(top_usage, f"unknown {what} {first!r}{did_you_mean(first, pool)}; "
                         f"commands: {', '.join(commands)}")
    parser = _full_parser(first)
    args = parser.parse_args(rest)
    if first == "build":
        return _command_module("build").run_build(args)
    return _command_module("check").run(args)


# Used only when a command's module declares no EXAMPLES of its own.
_FALLBACK_EXAMPLES = {"check": ("termbook check seeds/iec_hsbc_ge.toml", "termbook check tests/data/made_up_deal.toml")}


def _examples_of(command: str) -> list[str]:
    if command == "eval":
        from .cli_text import eval_examples

        return eval_examples()
    return list(getattr(_command_module(command), "EXAMPLES", ()) or _FALLBACK_EXAMPLES.get(command, ()))


def _about(command: str) -> str:
    """A command's one line: the first line of its module's docstring, after the `termbook x`: prefix."""
    if command == "eval":
        return "answer one question of the catalogue (termbook eval --help lists every function)"
    first = ((_command_module(command).__doc__ or "").strip().splitlines() or [""])[0]
    return first.split(": ", 1)[-1].rstrip(".")


def _left(exc) -> str:
    """What an interrupted build left in place (workbook.cli sets it), or nothing."""
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
        return 1
    except Terminated as exc:
        _say("termbook: terminated" + _left(exc))
        return 128 + exc.signum
    except KeyboardInterrupt as exc:
        _say("termbook: interrupted" + _left(exc))
        return 130
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
