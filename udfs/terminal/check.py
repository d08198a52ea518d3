"""`termbook check FILE`: load and validate a deal file, and print what it says for a reviewer.

The summary follows the documents: the documents in signing order, each term's versions and steps
with their citations, events, fees and their rules, deadlines, readings, and the valid window in
each view (the terms as known after each document). A file that does not load is refused in one
line, `termbook: FILE: field.path: reason`, with exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from udfs.deal.errors import TermsError
from udfs.deal.fee_sources import describe_recurrence
from udfs.engine.rules import resolve
from udfs.engine.terms import Terms
from udfs.loading import Deal, load_deal
from udfs.terminal.protocol import EXIT_OK

EXAMPLES = ("termbook check my-deal.toml          # the summary, or one line naming the field to fix",
            "termbook check my-deal.toml | less   # read it against the documents")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the deal file (TOML) to load, validate and summarise")


def run(args, out=None) -> int:
    """The summary on stdout; a file that does not load raises its DealFileError (one line, exit 2)."""
    deal = load_deal(args.file)
    (out or sys.stdout).write("\n".join(summary(deal)) + "\n")
    return EXIT_OK


# ------------------------------------------------------------------------------------- summary


def _amount(value) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _value(value, kind: str) -> str:
    if value is None:
        return "the event's date"
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "fraction":
        return f"{value:g} ({value * 100:.4g}%)"
    return _amount(value)


def _reading(value, show=str) -> str:
    """A plain value, or a reading map shown as `reading x: a -> 1, b -> 2`."""
    if isinstance(value, dict) and "interpretation" in value:
        pairs = ", ".join(f"{k} -> {show(v)}" for k, v in value.items() if k != "interpretation")
        return f"by reading {value['interpretation']} ({pairs})"
    return show(value)


def summary(deal: Deal) -> list[str]:
    """The deal in the documents' order, a section after another (each empty where the deal has none)."""
    lines = [f"{deal.path}: loads, and answers every term on every day of its window in every reading.",
             f"Deal: {deal.name} (id {deal.id}, data version {deal.version})"]
    for section in (_documents, _terms, _pricing, _events, _fees, _fee_rules, _deadlines, _provisions,
                    _severance, _readings):
        lines += section(deal)
    return lines


def _documents(deal: Deal) -> list[str]:
    lines = ["", "Documents, in signing order:"]
    for doc in deal.documents:
        known = "terms in this file" if doc.terms_known else "terms not in this file (date only)"
        part = "" if doc.is_lsa else ", outside the loan agreement"
        lines.append(f"  {doc.date}  {doc.title} [{doc.id}]: {known}{part} ({doc.citation})")
    lines += ["", "Valid window in each view (the terms as known through each document):"]
    return lines + [f"  {line}" for line in windows(deal)]


def _terms(deal: Deal) -> list[str]:
    kinds = deal.term_kinds  # the engine's kinds: margins, pricing parts and borrowing-base terms included
    lines = ["", "Terms (each version governs from its date until a later document's version takes over):"]
    for name, versions in deal.terms.items():
        kind = kinds.get(name, "amount")
        lines.append(f"  {name} ({kind}):")
        for v in versions:
            span = f"from {v.start}" + (f" to {v.end}" if v.end else "")
            bound = f", never above the {v.bounded_by.replace('_', ' ')}" if v.bounded_by else ""
            lines.append(f"    {deal.document(v.document).title}, {span}: {_value(v.value, kind)}{bound} "
                         f"({v.citation})")
            for s in v.steps:
                when = s.date if s.on_event is None else \
                    f"the date of the {deal.events[s.on_event]['label']} ({s.on_event}; never without it)"
                lines.append(f"      {s.kind} on {when}: {_value(s.value, kind)}{_step_conditions(s)} ({s.citation})")
    return lines


def _pricing(deal: Deal) -> list[str]:
    """The pricing's lines, under the terms."""
    lines = []
    for facility, term in deal.pricing.get("margin_terms", {}).items():
        lines.append(f"  margin of {deal.facilities[facility]['label']}: {term}")
    for key, what in (("index_floor_term", "floor"), ("index_cap_term", "cap")):
        if deal.pricing.get(key):
            lines.append(f"  {what} on the prime rate: {deal.pricing[key]} (no {what} on a day it has no value)")
    for facility, terms in deal.pricing.get("add_on_terms", {}).items():
        lines.append(f"  added to the margin of {deal.facilities[facility]['label']}: {', '.join(terms)}")
    if deal.pricing.get("margin_terms"):
        lines.append("  rate = min(max(prime, floor), cap) + margin + add-ons")
    if deal.pricing.get("day_count") is not None:
        lines.append(f"  interest day count: {_reading(deal.pricing['day_count'])}")
    if deal.prime:
        lines.append(f"  prime rate table: {len(deal.prime['rates'])} rates, {deal.prime['valid_from']} to "
                     f"{deal.prime['valid_through']} ({deal.prime['citation']})")
    return lines


def _section(heading: str, rows: list[str]) -> list[str]:
    """A blank line, the heading and its rows; nothing where there are no rows."""
    return ["", heading, *rows] if rows else []


def _events(deal: Deal) -> list[str]:
    rows = []
    for name, info in deal.events.items():
        ends = "; ends the agreement" if info.get("ends_agreement") else ""
        cite = f" ({info['citation']})" if info.get("citation") else ""
        rows.append(f"  {name}: {info['label']}{ends}{cite}")
    return _section("Events (dates are inputs: a delivery, a payment):", rows)


def _fees(deal: Deal) -> list[str]:
    if not deal.installments:
        return []
    lines = ["", "Fees and installments:"]
    for fee in deal.fees:
        total = f", total {_amount(fee['total'])}" if "total" in fee else ""
        cite = f" ({fee['citation']})" if fee.get("citation") else ""
        lines.append(f"  {fee['id']}: {fee['label']}, set by {deal.document(fee['document']).title}{total}{cite}")
        shown = set()
        for inst in deal.installments:
            if inst.fee == fee["id"] and inst.source is None:
                lines.append(f"    {inst.component}: {inst.date} {_amount(inst.amount)} ({inst.citation})")
            elif inst.fee == fee["id"] and inst.key not in shown:
                shown.add(inst.key)
                lines.append(f"    {inst.component}: {_source(inst.source)} ({inst.source.citation})")
    return lines


def _fee_rules(deal: Deal) -> list[str]:
    rows = []
    for rule in deal.fee_rules:
        params = "; ".join(f"{k} = {_reading(v, _param)}" for k, v in rule.params.items() if k != "kind")
        rows.append(f"  {deal.document(rule.document).title}: {rule.kind} on {', '.join(rule.components)}"
                    f"{': ' + params if params else ''} ({rule.citation})")
    return _section("Fee rules, applied in document order:", rows)


def _deadlines(deal: Deal) -> list[str]:
    if not deal.deadlines:
        return []
    title = deal.document
    lines = ["", "Deadlines:"]
    for d in deal.deadlines:
        if d.occurrence is not None:
            if d.occurrence == 1:
                dates = [e.date for e in deal.deadlines if e.id == d.id]
                through = d.until.isoformat() if d.until else "the term's end in each view"
                lines.append(f"  {d.date} {d.id}: {d.item}, {describe_recurrence(d.recurrence)} through "
                             f"{through} ({len(dates)} dates at most, the last {max(dates)}); set by "
                             f"{title(d.document).title} ({d.citation})")
            continue
        ended = (f"; {d.ended_how} by {title(d.ended_by).title} ({d.change_citation})" if d.ended_by else "")
        section = f" [{d.section}]" if d.section else ""
        met = f"; met by {(' or ' if d.met_when == 'any' else ' and ').join(d.met_by)}" if d.met_by else ""
        lines.append(f"  {d.date} {d.id}{section}: {d.item}; set by {title(d.document).title} "
                     f"({d.citation}){met}{ended}")
    return lines


def _provisions(deal: Deal) -> list[str]:
    rows = []
    for prov in deal.provisions:
        rows += [f"  {prov.id} [{prov.kind}]: {prov.title}; {deal.document(prov.document).title} ({prov.citation})",
                 f"    {prov.text}"]
    return _section("Provisions recorded for readers (no question computes them):", rows)


def _severance(deal: Deal) -> list[str]:
    sev = deal.severance
    if sev is None:
        return []
    lines = ["", "Severance:",
             f"  letter of {sev.letter_date}; {sev.months_of_salary:g} months of salary; plan "
             f"{_reading(sev.plan)} ({sev.months_citation})",
             f"  offsets from {sev.offset_from} to {sev.offset_through}, order "
             f"{_reading(sev.offset_order)} ({sev.offset_citation})",
             f"  late interest {sev.late_rate:g} a year after {sev.late_grace_days} days, "
             f"{sev.late_basis_days}-day year; interest starts: {_reading(sev.late_start)}"]
    for plan in sev.plans.values():
        lines.append(f"  plan {plan.name}: {plan.parts} installments, {', '.join(d.isoformat() for d in plan.dates)}")
    return lines


def _readings(deal: Deal) -> list[str]:
    rows = []
    for interp in deal.interpretations:
        if interp.choices:
            choices = ", ".join(f"{c}{'*' if c == interp.default else ''}" for c in interp.choices)
            rows.append(f"  {interp.name}: {choices} ({interp.citation})")
        else:
            rows.append(f"  {interp.name}: recorded reading \"{interp.default}\", no switch ({interp.citation})")
    return _section("Readings (switchable ones name their choices; the default is marked *):", rows)


def _param(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _step_conditions(step) -> str:
    parts = []
    if step.requires:
        parts.append(f"once {', '.join(step.requires)} delivered")
        parts.append(f"late delivery: {_reading(step.late_delivery)}")
    if step.unless:
        parts.append(f"unless {', '.join(step.unless)} delivered by {step.unless_by}")
    return f", {'; '.join(parts)}" if parts else ""


def windows(deal: Deal) -> list[str]:
    """The window (first day .. last day the terms answer) after each document with terms, then with all."""
    terms = Terms(deal)
    rules = resolve(deal, None)
    rows = []
    views = [(d.date, f"through {d.title} ({d.date})") for d in deal.documents if d.has_terms]
    for amended_through, label in views:
        try:
            view = terms.view(amended_through, (), rules)
            rows.append(f"{label}: {dt.date.fromordinal(view.lo)} to {dt.date.fromordinal(view.hi)}")
        except TermsError as exc:
            rows.append(f"{label}: no window ({exc.reason})")
    return rows


def _source(source) -> str:
    """A generated component's rule in words."""
    p = source.params
    if source.kind == "recurring":
        through = p["until"].isoformat() if "until" in p else "the term's end in each view"
        return (f"{_amount(p['amount'])} {describe_recurrence(p['recurrence'])}, from {p['start']} through "
                f"{through}")
    if source.kind == "percent_of":
        due = f", due {p['due']}" if "due" in p else ""
        return f"{p['rate'] * 100:g}% of {p['term']} on {p['on']}{due}"
    tiers = ", ".join(f"{_amount(t['amount'])} through {t['through']}" for t in p["tiers"])
    return (f"on the date of {p['event']}: {tiers}, else {_amount(p['otherwise'])}; without it, "
            f"{_amount(p['otherwise'])} on the term's end")
