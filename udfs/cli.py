"""`termbook`: ask the terms a question from the terminal, or build the workbook.

    termbook eval LSA_CAPACITY 2002-11-20 2500000 --event keltic_due_diligence=2002-11-14
    termbook build

Errors are one line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import sys

from .engine.errors import TermsError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line, exit 2, like every other error here
        raise TermsError("usage", message)


def _pair(text: str, flag: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise TermsError(flag, f"{text!r} is not KEY=VALUE")
    return key.strip(), value.strip()


def _format_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _jsonable(value):
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def render(result, as_json: bool) -> str:
    if as_json:
        return json.dumps(_jsonable(result))
    if isinstance(result, list):
        cells = [[_format_cell(v) for v in row] for row in result]
        widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)
    return _format_cell(result)


def evaluate(args) -> object:
    from . import functions
    from .engine.deal import load_deal
    from .engine.terms import Terms

    catalogue = functions.Catalogue(Terms(load_deal(args.deal))) if args.deal else functions.default_catalogue()
    name = args.function.upper()
    if name not in functions.CATALOGUE:
        raise TermsError("FUNCTION", f"unknown function {args.function!r}; known: {', '.join(functions.CATALOGUE)}")
    method = getattr(catalogue, name)
    params = list(inspect.signature(method).parameters.values())
    flag_params = {"events", "offsets", "amended_through", "rules", "rule"}
    positional = [p for p in params if p.name not in flag_params]
    if len(args.args) > len(positional):
        raise TermsError("ARG", f"{name} takes at most {len(positional)} arguments "
                         f"({', '.join(p.name for p in positional)}); got {len(args.args)}")
    kwargs = {}
    for param, text in zip(positional, args.args):
        if text != "-":  # "-" leaves an optional argument out
            kwargs[param.name] = text
    missing = [p.name for p in positional if p.default is inspect.Parameter.empty and p.name not in kwargs]
    if missing:
        raise TermsError(missing[0], f"{name} needs {', '.join(missing)}")
    names = {p.name for p in params}
    supplied = {
        "events": [_pair(e, "--event") for e in args.event] or None,
        "offsets": [_pair(o, "--offset") for o in args.offset] or None,
        "amended_through": args.amended_through,
        "rules": args.rule or None,
        "rule": args.rule or None,
    }
    for key, value in supplied.items():
        if value is None:
            continue
        if key in names:
            kwargs[key] = value
        elif key not in ("rules", "rule"):
            raise TermsError(f"--{key.replace('_', '-').rstrip('s')}", f"{name} does not take {key}")
    if args.rule and not ({"rules", "rule"} & names):
        raise TermsError("--rule", f"{name} does not take rules")
    return method(**kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="termbook", description="Credit-agreement terms as data: answers and workbooks.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ev = sub.add_parser("eval", help="answer one question, e.g. termbook eval LSA_MAX_LIMIT 2002-11-22")
    ev.add_argument("function", help="a catalogue function, e.g. LSA_CAPACITY")
    ev.add_argument("args", nargs="*", help="its arguments in order; '-' leaves an optional one out")
    ev.add_argument("--event", action="append", default=[], metavar="NAME=DATE", help="a delivery, repeatable")
    ev.add_argument("--offset", action="append", default=[], metavar="DATE=AMOUNT",
                    help="compensation received (severance), repeatable")
    ev.add_argument("--amended-through", metavar="DATE", help="count only documents signed on or before DATE")
    ev.add_argument("--rule", action="append", default=[], metavar="NAME",
                    help="an interpretation choice, e.g. last_six or day_count=actual/365; repeatable")
    ev.add_argument("--json", action="store_true", help="print JSON")
    ev.add_argument("--deal", metavar="FILE", help="a deal file instead of the embedded one")
    try:
        from workbook import cli as workbook_cli
    except ImportError:
        workbook_cli = None
    if workbook_cli is not None and hasattr(workbook_cli, "add_build_arguments"):
        bd = sub.add_parser("build", help="build the workbook for lenders")
        workbook_cli.add_build_arguments(bd)
    from . import check
    check.add_arguments(sub.add_parser("check", help="load and validate a deal file; summarise it for review"))
    return parser


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "eval":
            print(render(evaluate(args), args.json))
            return 0
        if args.command == "check":
            from . import check
            return check.run(args)
        from workbook import cli as workbook_cli
        return workbook_cli.run_build(args)
    except TermsError as exc:
        print(f"termbook: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("termbook: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last guard: one line, never a traceback
        print(f"termbook: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
