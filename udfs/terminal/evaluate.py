"""`termbook eval FUNCTION ARGS... [--event NAME=DATE ...]`: one question of the catalogue, answered.

The function's own arguments come by position ('-' leaves out an optional one), the view arguments
(events, offsets, collateral, amended_through, rules) by option only; each is checked by the catalogue's
own resolvers before the question is asked (udfs.catalogue.argument_checks).
"""

from __future__ import annotations

from udfs.catalogue import spec
from udfs.deal.errors import TermsError
from udfs.terminal.parsers import parser, tty_width
from udfs.terminal.protocol import EXIT_OK, UsageError
from udfs.terminal.text import eval_examples, eval_help, eval_usage, function_help, option_of, signature

# Imports inside the functions below are deferred for import time only: a question pays for what it uses
# (bench/bench_cli.py); none hides a cycle (bench/house.py counts them as imports).


def examples() -> list[str]:
    return eval_examples()


def new_parser():
    """eval's parser: its own --help (the catalogue's, or one function's), arguments intermixed with options."""
    ev = parser("termbook eval", eval_usage().removeprefix("usage: ").rstrip())
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



def _load_catalogue(deal_path):
    from udfs.catalogue import functions

    if deal_path is None:
        return functions.default_catalogue()
    if not deal_path.strip():
        raise TermsError("--deal", "is empty: give the path of a deal file")
    from udfs.engine.terms import Terms
    from udfs.loading import load_deal

    return functions.Catalogue(Terms(load_deal(deal_path)))


def _function(name: str) -> spec.Function:
    from udfs.engine.values import did_you_mean

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
    from udfs.engine.values import facility_spellings

    k = positional.index("facility")
    given = args.args
    if k + 1 < len(given):
        joined = f"{given[k]} {given[k + 1]}"
        if " ".join(joined.lower().replace("_", " ").split()) in facility_spellings(deal):
            fixed = " ".join([fn.name, *given[:k], f"'{joined}'", *given[k + 2:]])
            raise UsageError(f"usage: {signature(fn)}\n", f"facility {joined!r} is two words: put it in quotes, "
                             f"termbook eval {fixed}")


def check_arguments(fn: spec.Function, kwargs: dict, deal) -> None:
    """What the terminal refuses before asking: date forms, unknown names (with a suggestion),
    and event or offset dates outside any sensible range for this deal."""
    from udfs.catalogue import argument_checks as cli_checks

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


def run(args) -> int:
    from udfs.terminal.render import render

    if args.deal is not None and not args.deal.strip():
        raise TermsError("--deal", "is empty: give the path of a deal file")
    if args.help:
        fn = _function(args.function) if args.function else None
        catalogue = _load_catalogue(args.deal)
        if fn is None:
            print(eval_help(catalogue.deal))
        else:
            from udfs.catalogue.explanations import WORKED_FROM

            view = catalogue.view()
            used = catalogue.readings_used(fn.name, view) if fn.name in WORKED_FROM else None
            print(function_help(fn, catalogue.deal, used, (view.start, view.end)))
        return EXIT_OK
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
        print(render(explained.answer, fn, args.json, working=explained.rows, fit=tty_width()))
        return EXIT_OK
    print(render(getattr(catalogue, fn.name)(**kwargs), fn, args.json, fit=tty_width()))
    return EXIT_OK
