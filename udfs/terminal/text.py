"""The terminal's help texts, derived from the catalogue's declaration (udfs.catalogue.spec) and the loaded deal.

Nothing here names a function or an argument by hand: signatures, one-line help and argument
help come from spec.FUNCTIONS; events, facilities and readings from the deal.
"""

from __future__ import annotations

from udfs.catalogue import spec

# The view arguments (spec.VIEW_ARGUMENTS) are options on the terminal, never positions.
_OPTIONS = {
    "events": ("--event NAME=DATE", "an event delivered on DATE; repeatable (an event not given is not delivered)"),
    "offsets": ("--offset DATE=AMOUNT", "compensation received elsewhere on DATE; repeatable"),
    "collateral": ("--collateral NAME=AMOUNT", "a collateral component besides receivables (e.g. inventory); "
                   "repeatable"),
    "amended_through": ("--amended-through DATE", "count only documents signed on or before DATE (default: all)"),
    "rules": ("--rule CHOICE", "a reading: a choice name, or NAME=CHOICE; repeatable, one choice per reading"),
}
_OPTIONS["rule"] = _OPTIONS["rules"]
_REPEATABLE = {"events", "offsets", "collateral", "rules", "rule"}

DATE_RULE = ("Dates: YYYY-MM-DD; also M/D/YYYY (US month/day/year) for a deal in USD. Nothing else is read "
             "as a date: no names of days or months, no times, no partial dates.")
AMOUNT_RULE = ("Amounts: plain numbers in the deal's currency, zero or more and under 1e15; thousands "
               "separators only every three digits (1,234,567.50); a leading $ is allowed.")
OUTPUT_RULE = ("Output: money to the cent with thousands separators (1,750,000.00); rates in percent "
               "(0.0425 prints as 4.25%); dates YYYY-MM-DD; tables in aligned columns. --json prints full "
               "precision instead: money and rates as JSON numbers (always with a decimal point), dates as "
               "\"YYYY-MM-DD\".")
ARGUMENT_RULE = ("Arguments: a function's own arguments follow its name in the order shown; '-' leaves out an "
                 "optional one. Events, offsets, collateral, amended_through and rules are given by option "
                 "only (--event, --offset, --collateral, --amended-through, --rule).")


def option_of(name: str) -> str:
    return _OPTIONS[name][0]


def signature(fn: spec.Function) -> str:
    parts = [f"termbook eval {fn.name}"]
    for arg in fn.args:
        if arg.name in spec.VIEW_ARGUMENTS:
            more = " ..." if arg.name in _REPEATABLE else ""
            parts.append(f"[{option_of(arg.name)}{more}]")
        else:
            parts.append(arg.name if arg.required else f"[{arg.name}]")
    return " ".join(parts)


def eval_usage() -> str:
    return ("usage: termbook eval FUNCTION [ARG ...] [--event NAME=DATE] [--offset DATE=AMOUNT] "
            "[--amended-through DATE] [--rule CHOICE] [--explain] [--json] [--deal FILE]\n"
            "       termbook eval [FUNCTION] --help\n")


def _wrap(text: str, indent: str, width: int = 100) -> str:
    import textwrap

    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)


def _terminal(text: str) -> str:
    """An argument's help, as declared for Excel, without what only Excel means (ranges, serials)."""
    return (text.replace("; a range gives one answer per cell", "")
            .replace("A date, Excel serial or date text.", "A date.")
            .replace("A date, Excel serial or date text", "A date"))


def _readings(deal, only=None) -> list[str]:
    """Each switchable reading and its choices (`only`: those names, when a question uses a few)."""
    lines = []
    switchable = [i for i in deal.interpretations if i.choices and (only is None or i.name in only)]
    width = max((len(i.name) for i in switchable), default=0)
    for interp in switchable:
        choices = " | ".join(f"{c} (default)" if c == interp.default else c for c in interp.choices)
        lines.append(f"  {interp.name.ljust(width)}  {choices}")
    return lines


def _events(deal) -> list[str]:
    width = max((len(n) for n in deal.events), default=0)
    return [f"  {name.ljust(width)}  {info.get('label', '')}".rstrip() for name, info in deal.events.items()]


def facility_names(deal) -> list[str]:
    return [str(info.get("label", name)).lower() for name, info in deal.facilities.items()]


def _deal_line(deal) -> str:
    currency = str(deal.raw.get("deal", {}).get("currency", "") or "no currency stated")
    us = "M/D/YYYY read" if currency.upper() == "USD" else "M/D/YYYY not read"
    return f"{deal.name} ({deal.id}, data {deal.version}; {currency}: {us})"


def eval_help(deal) -> str:
    out = [eval_usage().rstrip(), "",
           "Answer one question of the catalogue for a deal: the embedded one, or --deal FILE.",
           f"Deal loaded: {_deal_line(deal)}.", ""]
    for rule in (ARGUMENT_RULE, DATE_RULE, AMOUNT_RULE, OUTPUT_RULE):
        out += [_wrap(rule, ""), ""]
    out.append("functions (termbook eval FUNCTION --help for its arguments):")
    for fn in spec.FUNCTIONS:
        out.append("  " + signature(fn).removeprefix("termbook eval "))
        out.append(_wrap(fn.help, " " * 6))
    out += ["", "events (--event NAME=DATE):", *_events(deal)]
    out += ["", f"facilities: {', '.join(facility_names(deal))}"]
    out += ["", "readings (--rule CHOICE or --rule NAME=CHOICE; TERMS_INFO explains each):", *_readings(deal)]
    out += ["", "options:", *_option_lines(), "", "examples:", *(f"  {e}" for e in eval_examples(deal))]
    return "\n".join(out)


def _option_lines() -> list[str]:
    rows = [("-h, --help", "this help; after a function, that function's help")]
    rows += [(_OPTIONS[k][0], _OPTIONS[k][1]) for k in ("events", "offsets", "collateral", "amended_through",
                                                         "rules")]
    rows.append(("--explain", "print the answer, then its working: each term, value, document, step, why "
                 "and clause"))
    rows += [("--json", "print the answer as JSON, at full precision"),
             ("--deal FILE", "answer from this deal file instead of the embedded deal")]
    width = max(len(r[0]) for r in rows)
    return [f"  {name.ljust(width)}  {text}" for name, text in rows]


def function_help(fn: spec.Function, deal, readings=None, window=None) -> str:
    """`readings`: the readings the question's answer depends on (None: every reading of the deal);
    `window`: the first and last dates the deal's terms answer, every document counted."""
    out = [f"usage: {signature(fn)}", "", _wrap(fn.help, ""), "", "arguments:"]
    rows = []
    for arg in fn.args:
        if arg.name in spec.VIEW_ARGUMENTS:
            rows.append((option_of(arg.name), _OPTIONS[arg.name][1]))
        else:
            rows.append((arg.name, _terminal(arg.help)))
    width = max((len(r[0]) for r in rows), default=0)
    for name, text in rows:
        out.append(_wrap(text, " " * (width + 4)).replace(" " * (width + 4), f"  {name.ljust(width)}  ", 1))
    kinds = {a.kind for a in fn.args}
    names = {a.name for a in fn.args}
    if "events" in names:
        out += ["", "events:", *_events(deal)]
    if "facility" in names:
        out += ["", f"facilities: {', '.join(facility_names(deal))}"]
    if kinds & {"rules"}:
        out += ["", "readings:", *(_readings(deal, readings) or ["  none in this deal's terms for this question"])]
    out += ["", _wrap(ARGUMENT_RULE, "")]
    if "date" in kinds:
        out.append(_wrap(DATE_RULE, ""))
        if window is not None:
            out.append(_wrap(f"This deal's terms answer {window[0].isoformat()} to {window[1].isoformat()} with every "
                             "document counted (the Initial Term; --amended-through may end it earlier).", ""))
    if "amount" in kinds:
        out.append(_wrap(AMOUNT_RULE, ""))
    return "\n".join(out)


def _example_date(deal) -> str:
    """A date every question of the deal answers: the latest document's date, inside the window."""
    dates = [d.date for d in deal.documents if d.date >= deal.window_start]
    return max(dates or [deal.window_start]).isoformat()


def eval_examples(deal=None) -> list[str]:
    """Three examples made from the declaration and the deal: a one-date question, one with an
    event, a table as JSON, and one function's help."""
    if deal is None:
        from udfs.loading import default_deal  # the embedded deal: only when the caller gave none (import time)

        deal = default_deal()
    day = _example_date(deal)

    def positional(fn):
        return [a for a in fn.args if a.name not in spec.VIEW_ARGUMENTS]

    out = []
    simple = next((f for f in spec.FUNCTIONS if f.answer == "money" and [a.kind for a in positional(f)] == ["date"]
                   and any(a.name == "events" for a in f.args)), None)
    if simple is not None:
        out.append(f"termbook eval {simple.name} {day}")
        if deal.events:
            out.append(f"termbook eval {simple.name} {day} --event {next(iter(deal.events))}={day}")
    table = next((f for f in spec.FUNCTIONS if f.table and not any(a.required for a in f.args)), None)
    if table is not None:
        out.append(f"termbook eval {table.name} --json")
    wide = max(spec.FUNCTIONS, key=lambda f: len(f.args))
    out.append(f"termbook eval {wide.name} --help")
    return out


def main_help(commands, examples_of, about) -> str:
    out = [f"usage: termbook [--version] [--help] {{{','.join(commands)}}} ...", "",
           "termbook: a credit agreement and its amendments as data with citations; answers from the",
           "terminal, Excel functions, and a lender workbook.", "", "commands:"]
    width = max(len(c) for c in commands)
    for command in commands:
        out.append(f"  {command.ljust(width)}  {about(command)}")
    out += ["", "examples:"]
    for command in commands:
        out += [f"  {line}" for line in examples_of(command)[:3]]
    out += ["", "options:", "  -h, --help     show this help and exit", "  -V, --version  print termbook's version",
            "", "Each command has its own help: " + ", ".join(f"termbook {c} --help" for c in commands) + "."]
    return "\n".join(out)
