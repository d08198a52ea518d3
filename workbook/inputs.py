"""The workbook's input values: template defaults, then an optional TOML file, then command-line dates.

Every bad value is refused with the file, the field and the reason (a TermsError, one line). An inputs
file is read as strictly as a deal file, by the same checks: a regular file only (udfs.loading
read_limited), the same size cap, UTF-8, TOML errors with their line and nesting (deal_reader.parse_toml);
dates within the terminal's bounds (udfs.catalogue.argument_checks.dated), amounts under its limit
(udfs.engine.values), unknown names with the closest known one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from udfs.catalogue import argument_checks as cli_checks
from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.deal.reader import parse_toml
from udfs.engine import rules as rules_mod
from udfs.engine.severance import plan_in_force
from udfs.engine.terms import Terms
from udfs.engine.values import MAX_AMOUNT, as_amount, as_date, as_flag, did_you_mean
from udfs.loading import Deal, read_limited

AMOUNTS = ("receivables", "acceptances", "guaranties", "letters_of_credit", "outstanding")
KNOWN_KEYS = set(AMOUNTS) | {
    "as_of", "amended_through", "term_loan_reserve", "prime_override", "balances", "collateral", "events", "offsets",
    "rules", "annual_salary", "late_due", "late_paid", "late_amount", "election", "outplacement_cost",
    "lease_cost", "transfer_accepted", "borrowers_figures", "certificate",
}
# The certificate's reporting inputs ([certificate] of an inputs file): amounts, then dates and words.
CERT_AMOUNTS = ("prior_receivables", "sales", "collections", "credits", "adjustments", "gross_receivables",
                "opening_advances", "advances_made", "advances_repaid")
CERT_KEYS = set(CERT_AMOUNTS) | {"number", "period_start", "ineligibles"}


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
    # False until the borrower says the amounts are its own (borrowers_figures = true in an inputs file,
    # or yes typed on the Inputs tab): until then every page says the figures are ILLUSTRATIVE.
    borrowers_figures: bool = False
    certificate: dict = field(default_factory=dict)  # the certificate's reporting inputs (CERT_KEYS)

    def delivered(self) -> dict:
        return {k: v for k, v in self.events.items() if v is not None}

    @property
    def view_through(self) -> dt.date:
        """The documents the file counts: those signed by amended_through if given, else by the as-of date."""
        return self.amended_through if self.amended_through is not None else self.as_of


PRIME_MOST = 0.5  # a prime rate of 50% or more is a typo (the highest US prime was 21.5%, in 1980)


class _Source:
    def __init__(self, where: str, deal: Deal | None = None):
        self.where = where
        self.deal = deal

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

    def dated(self, value, key: str) -> dt.date | None:
        """A date of something that happened under the deal, in the terminal's bounds: not before the
        deal's first document, not more than 50 years after its window starts."""
        day = self.date(value, key)
        if day is None or self.deal is None:
            return day
        try:
            return cli_checks.dated(key, day, self.deal, cli_checks.HORIZON_YEARS)
        except TermsError as exc:
            self.fail(key, exc.reason)

    def amount(self, value, key: str, *, optional: bool = False) -> float | None:
        """The terminal's rules (udfs.engine.values.as_amount): a number, or text like "2,400,000" or "$1,000"."""
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(key, f"{_short(value)} is not a number")
        if isinstance(value, int | float) and abs(value) >= MAX_AMOUNT:  # as typed text is bounded
            self.fail(key, f"{_short(value)} is too large; amounts must be under 1e15")
        try:
            return as_amount(value, key)
        except TermsError as exc:
            self.fail(key, exc.reason)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


LATE_PAID_DAYS = 30  # illustrative: the template's late_paid_days_after_due overrides it


def default_as_of(deal: Deal, today: dt.date | None = None) -> dt.date:
    """Today, kept inside the encoded terms (the window start to the Initial Term's end)."""
    today = today or dt.date.today()
    end = term_end(deal)
    return min(max(today, deal.window_start), end)


def term_end(deal: Deal) -> dt.date:
    view = Catalogue(Terms(deal)).view()
    return view.end


def defaults(deal: Deal, template: dict, today: dt.date | None = None) -> BuildInputs:
    t = template.get("inputs", {})
    sev = deal.severance
    late_due = plan_in_force(sev, rules_mod.Rules(rules_mod.defaults(deal))).dates[0] if sev else None
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
        certificate=certificate_defaults(template),
    )


def ineligible_categories(template: dict) -> list[tuple[str, str]]:
    """(key, label) of each category of ineligible receivables the certificate lists (template): a
    common field-examination list, not the Agreement's words; the Agreement's eligibility criteria govern."""
    return [(k, label) for k, label in template.get("certificate", {}).get("ineligible_categories", [])]


def certificate_defaults(template: dict) -> dict:
    """The template's illustrative reporting inputs: numbers, a period start (None: the first day of the
    as-of date's month) and the amounts of each ineligible category."""
    t = template.get("inputs", {}).get("certificate", {})
    out = {k: float(t.get(k, 0)) for k in CERT_AMOUNTS}
    out["number"] = str(t.get("number", ""))
    out["period_start"] = None
    given = t.get("ineligibles", {})
    out["ineligibles"] = {k: float(given.get(k, 0)) for k, _ in ineligible_categories(template)}
    return out


def period_start(inputs: BuildInputs) -> dt.date:
    """The reporting period's first day: given, or the first day of the as-of date's month."""
    return inputs.certificate.get("period_start") or inputs.as_of.replace(day=1)


def apply(inputs: BuildInputs, deal: Deal, values: dict, where: str = "") -> BuildInputs:
    """Overlay values (as read from an inputs TOML file) on `inputs`, checking each."""
    src = _Source(where, deal)
    for key in values:
        if key not in KNOWN_KEYS:
            src.fail(key, f"unknown input{did_you_mean(key, KNOWN_KEYS)}; known: {', '.join(sorted(KNOWN_KEYS))}")
    if "as_of" in values:
        inputs.as_of = src.date(values["as_of"], "as_of") or src.fail("as_of", "a date is required")
        given_in(inputs, "as_of", f"{where}: as_of" if where else "as_of")
    if "amended_through" in values:
        inputs.amended_through = src.dated(values["amended_through"], "amended_through")
        given_in(inputs, "amended_through", f"{where}: amended_through" if where else "amended_through")
    for key in AMOUNTS + ("annual_salary", "late_amount", "outplacement_cost", "lease_cost"):
        if key in values:
            setattr(inputs, key, src.amount(values[key], key))
    for key in ("term_loan_reserve", "prime_override"):
        if key in values:
            setattr(inputs, key, src.amount(values[key], key, optional=True))
    if inputs.prime_override is not None and inputs.prime_override >= PRIME_MOST:
        src.fail("prime_override", f"{inputs.prime_override!r} is a prime rate of {inputs.prime_override:.0%}; "
                 "give 0.0425 for 4.25%")
    for key in ("late_due", "late_paid"):
        if key in values:
            setattr(inputs, key, src.dated(values[key], key))
    if "election" in values:
        if values["election"] not in ("outplacement", "lease"):
            src.fail("election", f"{values['election']!r} is not 'outplacement' or 'lease'")
        inputs.election = values["election"]
    if "transfer_accepted" in values:
        try:
            inputs.transfer_accepted = as_flag(values["transfer_accepted"], "transfer_accepted")
        except TermsError as err:
            src.fail("transfer_accepted", err.reason)
    for key in ("balances", "collateral", "events"):
        if key in values:
            _named_table(src, inputs, key, values[key])
    if "offsets" in values:
        _offsets(src, inputs, values["offsets"])
    if "borrowers_figures" in values:
        try:
            inputs.borrowers_figures = as_flag(values["borrowers_figures"], "borrowers_figures")
        except TermsError as err:
            src.fail("borrowers_figures", err.reason)
    if "certificate" in values:
        _certificate(src, inputs, values["certificate"])
    if "rules" in values:
        _rules(src, inputs, deal, values["rules"])
    sev = deal.severance
    if sev:
        plan = plan_in_force(sev, rules_mod.Rules(inputs.rules))
        dates = plan.dates
        if "late_due" not in values and inputs.late_due not in dates:
            inputs.late_due = dates[0]  # the calculator follows the plan the switches chose
            if "late_paid" not in values:
                inputs.late_paid = dates[0] + dt.timedelta(days=inputs.extra.get("late_paid_days", LATE_PAID_DAYS))
        if inputs.late_due is not None and inputs.late_due not in dates:
            src.fail("late_due", f"{inputs.late_due.isoformat()} is not an installment date under {plan.name} "
                     f"({', '.join(d.isoformat() for d in dates)})")
        if inputs.late_due and inputs.late_paid and inputs.late_paid < inputs.late_due:
            src.fail("late_paid", f"{inputs.late_paid.isoformat()} is before the due date "
                     f"{inputs.late_due.isoformat()}")
    return inputs


# what a table of the inputs file names (its keys) and what each entry gives
TABLE_OF = {"balances": "facility = balance", "collateral": "component = amount", "events": "event = delivery date"}


def _named_table(src: _Source, inputs: BuildInputs, key: str, table) -> None:
    """[balances], [collateral] or [events]: each entry names a facility, a component or an event the deal has."""
    if not isinstance(table, dict):
        src.fail(key, f"expected a table of {TABLE_OF[key]}")
    known = getattr(inputs, key)
    for name, value in table.items():
        where = f"{key}.{name}"
        if key == "balances":
            if name not in known:
                src.fail(where, f"unknown facility{did_you_mean(name, known)}; known: {', '.join(known)}")
            known[name] = src.amount(value, where)
        elif key == "collateral":
            if name not in known:
                listed = ", ".join(known) or "none: this deal lends against receivables only"
                src.fail(where, f"unknown collateral component; known: {listed}")
            known[name] = src.amount(value, where)
        else:
            if name not in known:
                src.fail(where, f"unknown event{did_you_mean(name, known)}; known: {', '.join(known)}")
            if value is False or (isinstance(value, int | float) and not isinstance(value, bool)):
                src.fail(where, f"{_short(value)} is not a date; leave an event out (or \"\") if it was not delivered")
            known[name] = src.dated(value, where)


def _offsets(src: _Source, inputs: BuildInputs, rows) -> None:
    """offsets = [{date, amount}, ...]: compensation received elsewhere."""
    if not isinstance(rows, list):
        src.fail("offsets", "expected a list of {date = ..., amount = ...}")
    offsets = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or set(row) != {"date", "amount"}:
            src.fail(f"offsets[{i}]", "expected {date = YYYY-MM-DD, amount = number}")
        day = src.dated(row["date"], f"offsets[{i}].date")
        if day is None:
            src.fail(f"offsets[{i}].date", "a date is required")
        offsets.append((day, src.amount(row["amount"], f"offsets[{i}].amount")))
    inputs.offsets = offsets
    inputs.offset_rows = max(inputs.offset_rows, len(offsets))


def _rules(src: _Source, inputs: BuildInputs, deal: Deal, table) -> None:
    """[rules]: interpretation = choice, for the switchable interpretations of the deal."""
    if not isinstance(table, dict):
        src.fail("rules", "expected a table of interpretation = choice")
    switchable = {i.name: i for i in deal.interpretations if i.choices}
    for name, choice in table.items():
        interp = switchable.get(name)
        if interp is None:
            src.fail(f"rules.{name}", f"unknown interpretation{did_you_mean(name, switchable)}; "
                     f"known: {', '.join(switchable)}")
        if not isinstance(choice, str) or choice not in interp.choices:
            hint = did_you_mean(choice, interp.choices) if isinstance(choice, str) else ""
            src.fail(f"rules.{name}", f"{_short(choice)} is not one of {', '.join(interp.choices)}{hint}")
        inputs.rules[name] = choice


def _certificate(src: _Source, inputs: BuildInputs, table) -> None:
    """[certificate] of an inputs file: the reporting period, its number and the borrower's amounts."""
    if not isinstance(table, dict):
        src.fail("certificate", "expected a table of the certificate's inputs")
    cert = inputs.certificate
    for key, value in table.items():
        where = f"certificate.{key}"
        if key not in CERT_KEYS:
            src.fail(where, f"unknown input{did_you_mean(key, CERT_KEYS)}; known: {', '.join(sorted(CERT_KEYS))}")
        if key == "number":
            if isinstance(value, bool) or not isinstance(value, int | str):
                src.fail(where, f"{value!r} is not a certificate number (text or a whole number)")
            cert["number"] = str(value)
        elif key == "period_start":
            cert["period_start"] = src.date(value, where)
        elif key == "ineligibles":
            if not isinstance(value, dict):
                src.fail(where, "expected a table of category = amount")
            for name, amount in value.items():
                if name not in cert["ineligibles"]:
                    src.fail(f"{where}.{name}", f"unknown category; known: {', '.join(cert['ineligibles'])}")
                cert["ineligibles"][name] = src.amount(amount, f"{where}.{name}")
        elif key == "adjustments":  # the one signed amount: adjustments add or take away
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                cert[key] = -src.amount(-value, where)
            else:
                cert[key] = src.amount(value, where)
        else:
            cert[key] = src.amount(value, where)
    start = cert.get("period_start")
    if start is not None and start > inputs.as_of:
        src.fail("certificate.period_start", f"{start.isoformat()} is after the as-of date {inputs.as_of.isoformat()}")


def load(path: str | Path, inputs: BuildInputs, deal: Deal) -> BuildInputs:
    path = Path(path)
    try:
        data = read_limited(path)  # a regular file only: a FIFO or /dev/zero is refused at once
    except OSError as exc:
        raise TermsError(f"--inputs {path}", f"cannot be read: {exc.strerror or exc}") from None

    def fail(where: str, reason: str):
        raise TermsError(f"--inputs {path}", reason)

    values = parse_toml(data, fail, "an inputs file is a few lines")
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
    known = [d.date for d in deal.documents if d.has_terms]
    if inputs.amended_through is not None and known and inputs.amended_through < min(known):
        raise TermsError(where.get("amended_through", "amended_through"),
                         f"{inputs.amended_through.isoformat()} is before the first document "
                         f"whose terms we have ({min(known).isoformat()})")
