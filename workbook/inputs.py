"""The workbook's input values: template defaults, then an optional TOML file, then command-line dates.

Every bad value is refused with the file, the field and the reason (a TermsError, one line).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from udfs.engine import rules as rules_mod
from udfs.engine.deal import Deal
from udfs.engine.errors import TermsError
from udfs.engine.values import as_amount, as_date, as_flag, did_you_mean

AMOUNTS = ("receivables", "acceptances", "guaranties", "letters_of_credit", "outstanding")
KNOWN_KEYS = set(AMOUNTS) | {
    "as_of", "amended_through", "term_loan_reserve", "prime_override", "balances", "collateral", "events", "offsets",
    "rules", "annual_salary", "late_due", "late_paid", "late_amount", "election", "outplacement_cost",
    "lease_cost", "transfer_accepted",
}


@dataclass
class BuildInputs:
    as_of: dt.date
    amended_through: dt.date | None
    receivables: float
    acceptances: float
    guaranties: float
    letters_of_credit: float
    outstanding: float
    term_loan_reserve: float | None
    prime_override: float | None
    balances: dict  # facility -> balance
    events: dict  # event name -> date or None, every event of the deal in deal order
    annual_salary: float
    offsets: list  # [(date, amount)], in the order given
    rules: dict  # interpretation -> choice, every switchable interpretation
    late_due: dt.date | None
    late_paid: dt.date | None
    late_amount: float
    election: str
    outplacement_cost: float
    lease_cost: float
    transfer_accepted: bool
    offset_rows: int = 8
    extra: dict = field(default_factory=dict)
    collateral: dict = field(default_factory=dict)  # component id -> figure, the deal's components after receivables

    def delivered(self) -> dict:
        return {k: v for k, v in self.events.items() if v is not None}


class _Source:
    def __init__(self, where: str):
        self.where = where

    def fail(self, key: str, reason: str):
        raise TermsError(f"{self.where}: {key}" if self.where else key, reason)

    def date(self, value, key: str) -> dt.date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, dt.datetime):  # a time of day means nothing here: refused, as everywhere else
            self.fail(key, f"{value.isoformat()} is a date and time; give the date alone (YYYY-MM-DD)")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return as_date(value, key)
            except TermsError as exc:
                self.fail(key, exc.reason)
        self.fail(key, f"{value!r} is not a date (use YYYY-MM-DD)")

    def amount(self, value, key: str, *, optional: bool = False) -> float | None:
        """The terminal's rules (udfs.engine.values.as_amount): a number, or text like "2,400,000" or "$1,000"."""
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(key, f"{value!r} is not a number")
        try:
            return as_amount(value, key)
        except TermsError as exc:
            self.fail(key, exc.reason)


LATE_PAID_DAYS = 30  # illustrative: the template's late_paid_days_after_due overrides it


def default_as_of(deal: Deal, today: dt.date | None = None) -> dt.date:
    """Today, kept inside the encoded terms (the window start to the Initial Term's end)."""
    today = today or dt.date.today()
    end = term_end(deal)
    return min(max(today, deal.window_start), end)


def term_end(deal: Deal) -> dt.date:
    from udfs.engine.terms import Terms
    from udfs.functions import Catalogue

    view = Catalogue(Terms(deal)).view()
    return view.end


def defaults(deal: Deal, template: dict, today: dt.date | None = None) -> BuildInputs:
    t = template.get("inputs", {})
    sev = deal.severance
    late_due = sev["plans"][rules_mod.Rules(rules_mod.defaults(deal)).pick(sev["plan"])]["dates"][0] if sev else None
    paid_days = int(t.get("late_paid_days_after_due", LATE_PAID_DAYS))
    late_paid = late_due + dt.timedelta(days=paid_days) if late_due else None
    balances = {name: float(t.get("balances", {}).get(name, 0.0)) for name in deal.pricing.get("margin_terms", {})}
    return BuildInputs(
        as_of=default_as_of(deal, today), amended_through=None,
        receivables=float(t.get("receivables", 0)), acceptances=float(t.get("acceptances", 0)),
        guaranties=float(t.get("guaranties", 0)), letters_of_credit=float(t.get("letters_of_credit", 0)),
        outstanding=float(t.get("outstanding", 0)), term_loan_reserve=None, prime_override=None,
        balances=balances, events={name: None for name in deal.events},
        annual_salary=float(t.get("annual_salary", 0)), offsets=[], rules=rules_mod.defaults(deal),
        late_due=late_due, late_paid=late_paid, late_amount=float(t.get("late_amount", 0)),
        election=str(t.get("election", "outplacement")), outplacement_cost=float(t.get("outplacement_cost", 0)),
        lease_cost=float(t.get("lease_cost", 0)), transfer_accepted=bool(t.get("transfer_accepted", True)),
        offset_rows=int(t.get("offset_rows", 8)), extra={"late_paid_days": paid_days},
        collateral={c.id: 0.0 for c in deal.borrowing_base.components[1:]},
    )


def apply(inputs: BuildInputs, deal: Deal, values: dict, where: str = "") -> BuildInputs:
    """Overlay values (as read from an inputs TOML file) on `inputs`, checking each."""
    src = _Source(where)
    for key in values:
        if key not in KNOWN_KEYS:
            src.fail(key, f"unknown input{did_you_mean(key, KNOWN_KEYS)}; known: {', '.join(sorted(KNOWN_KEYS))}")
    if "as_of" in values:
        inputs.as_of = src.date(values["as_of"], "as_of") or src.fail("as_of", "a date is required")
        given_in(inputs, "as_of", f"{where}: as_of" if where else "as_of")
    if "amended_through" in values:
        inputs.amended_through = src.date(values["amended_through"], "amended_through")
        given_in(inputs, "amended_through", f"{where}: amended_through" if where else "amended_through")
    for key in AMOUNTS + ("annual_salary", "late_amount", "outplacement_cost", "lease_cost"):
        if key in values:
            setattr(inputs, key, src.amount(values[key], key))
    for key in ("term_loan_reserve", "prime_override"):
        if key in values:
            setattr(inputs, key, src.amount(values[key], key, optional=True))
    if inputs.prime_override is not None and inputs.prime_override >= 1:
        src.fail("prime_override", f"{inputs.prime_override!r} looks like a percentage; give 0.0425 for 4.25%")
    for key in ("late_due", "late_paid"):
        if key in values:
            setattr(inputs, key, src.date(values[key], key))
    if "election" in values:
        if values["election"] not in ("outplacement", "lease"):
            src.fail("election", f"{values['election']!r} is not 'outplacement' or 'lease'")
        inputs.election = values["election"]
    if "transfer_accepted" in values:
        try:
            inputs.transfer_accepted = as_flag(values["transfer_accepted"], "transfer_accepted")
        except TermsError as err:
            src.fail("transfer_accepted", err.reason)
    if "balances" in values:
        table = values["balances"]
        if not isinstance(table, dict):
            src.fail("balances", "expected a table of facility = balance")
        for name, amount in table.items():
            if name not in inputs.balances:
                src.fail(f"balances.{name}", f"unknown facility; known: {', '.join(inputs.balances)}")
            inputs.balances[name] = src.amount(amount, f"balances.{name}")
    if "collateral" in values:
        table = values["collateral"]
        if not isinstance(table, dict):
            src.fail("collateral", "expected a table of component = amount")
        for name, amount in table.items():
            if name not in inputs.collateral:
                known = ", ".join(inputs.collateral) or "none: this deal lends against receivables only"
                src.fail(f"collateral.{name}", f"unknown collateral component; known: {known}")
            inputs.collateral[name] = src.amount(amount, f"collateral.{name}")
    if "events" in values:
        table = values["events"]
        if not isinstance(table, dict):
            src.fail("events", "expected a table of event = delivery date")
        for name, day in table.items():
            if name not in inputs.events:
                src.fail(f"events.{name}", f"unknown event; known: {', '.join(inputs.events)}")
            inputs.events[name] = src.date(day, f"events.{name}") if day not in ("", False) else None
    if "offsets" in values:
        rows = values["offsets"]
        if not isinstance(rows, list):
            src.fail("offsets", "expected a list of {date = ..., amount = ...}")
        offsets = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or set(row) != {"date", "amount"}:
                src.fail(f"offsets[{i}]", "expected {date = YYYY-MM-DD, amount = number}")
            day = src.date(row["date"], f"offsets[{i}].date")
            if day is None:
                src.fail(f"offsets[{i}].date", "a date is required")
            offsets.append((day, src.amount(row["amount"], f"offsets[{i}].amount")))
        inputs.offsets = offsets
        inputs.offset_rows = max(inputs.offset_rows, len(offsets))
    rules_given = "rules" in values
    if rules_given:
        table = values["rules"]
        if not isinstance(table, dict):
            src.fail("rules", "expected a table of interpretation = choice")
        switchable = {i.name: i for i in deal.interpretations if i.choices}
        for name, choice in table.items():
            interp = switchable.get(name)
            if interp is None:
                src.fail(f"rules.{name}", f"unknown interpretation; known: {', '.join(switchable)}")
            if choice not in interp.choices:
                src.fail(f"rules.{name}", f"{choice!r} is not one of {', '.join(interp.choices)}")
            inputs.rules[name] = choice
    sev = deal.severance
    if sev:
        plan = rules_mod.Rules(inputs.rules).pick(sev["plan"])
        dates = sev["plans"][plan]["dates"]
        if "late_due" not in values and inputs.late_due not in dates:
            inputs.late_due = dates[0]  # the calculator follows the plan the switches chose
            if "late_paid" not in values:
                inputs.late_paid = dates[0] + dt.timedelta(days=inputs.extra.get("late_paid_days", LATE_PAID_DAYS))
        if inputs.late_due is not None and inputs.late_due not in dates:
            src.fail("late_due", f"{inputs.late_due.isoformat()} is not an installment date under {plan} "
                     f"({', '.join(d.isoformat() for d in dates)})")
        if inputs.late_due and inputs.late_paid and inputs.late_paid < inputs.late_due:
            src.fail("late_paid", f"{inputs.late_paid.isoformat()} is before the due date "
                     f"{inputs.late_due.isoformat()}")
    return inputs


def load(path: str | Path, inputs: BuildInputs, deal: Deal) -> BuildInputs:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TermsError(f"--inputs {path}", f"cannot be read: {exc.strerror or exc}") from None
    try:
        values = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TermsError(f"--inputs {path}", f"not valid TOML: {exc}") from None
    return apply(inputs, deal, values, str(path))


def given_in(inputs: BuildInputs, key: str, where: str) -> None:
    """Remember where a date was given (an option, a line of an inputs file), for a later refusal to name."""
    inputs.extra.setdefault("given_in", {})[key] = where


def check_dates(inputs: BuildInputs, deal: Deal, start: dt.date, end: dt.date):
    """The as-of date must fall inside the schedules; amended_through no earlier than the first known terms."""
    where = inputs.extra.get("given_in", {})
    if not start <= inputs.as_of <= end:
        raise TermsError(where.get("as_of", "as_of"), f"{inputs.as_of.isoformat()} is outside the encoded terms "
                         f"{start.isoformat()} to {end.isoformat()}")
    known = [d.date for d in deal.documents if d.is_lsa and d.terms_known]
    if inputs.amended_through is not None and known and inputs.amended_through < min(known):
        raise TermsError(where.get("amended_through", "amended_through"),
                         f"{inputs.amended_through.isoformat()} is before the first document "
                         f"whose terms we have ({min(known).isoformat()})")
