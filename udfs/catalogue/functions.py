"""The catalogue of questions, as plain Python functions (names and argument order as in Excel).

Each function checks its arguments, asks the engine, and returns a number, a text, or a table
(a list of rows whose first row is the header). Bad input raises TermsError; nothing else escapes.
`Catalogue(terms)` binds the questions to any deal; the module-level functions use the embedded one.
"""

from __future__ import annotations

import datetime as dt

from udfs.catalogue.arguments import (
    DAY_COUNTS,
    INF,
    RATE_DECIMALS,
    is_table,
    optional_date,
    prime_rows,
    rate_fraction,
    total_deductions,
)
from udfs.catalogue.column_path import MANY_ACCEPTS, ColumnPath
from udfs.catalogue.explanations import Explaining
from udfs.catalogue.spec import NAMES
from udfs.deal.errors import NA, TermsError
from udfs.engine import rules as rules_mod
from udfs.engine import severance as sev_mod
from udfs.engine.schedule import table_function
from udfs.engine.terms import Terms
from udfs.engine.values import as_amount, as_collateral, as_date, as_events, as_facility, as_flag, as_offsets
from udfs.loading import ENGINE_READINGS, Deal, default_deal

FEE_HEADER = ["fee", "component", "scheduled_date", "due_date", "amount", "status", "reason", "citation"]
DEADLINE_HEADER = ["date", "item", "section", "document", "status", "citation"]
SEVERANCE_HEADER = ["installment", "due_date", "gross", "offset", "net", "late_after", "citation"]
INFO_HEADER = ["item", "value", "detail"]


class Catalogue(ColumnPath, Explaining):
    """The LSA_ and SEV_ questions bound to one deal."""

    def __init__(self, terms: Terms):
        self.terms = terms
        self.deal: Deal = terms.deal
        self._plain_view = None  # the view with no events, all documents, default readings

    # -- shared argument handling -------------------------------------------------------------
    def view(self, events=None, amended_through=None, rules=None, rules_argument="rules"):
        if events is None and amended_through is None and rules is None:
            if self._plain_view is None:
                self._plain_view = self.terms.view(None, (), rules_mod.resolve(self.deal, None))
            return self._plain_view
        at = None if amended_through is None else optional_date(amended_through, "amended_through")
        ev = () if events is None else as_events(events, self.deal.events)
        chosen = rules_mod.resolve(self.deal, rules, rules_argument)
        return self.terms.view(at, ev, chosen)

    def facility(self, value) -> str:
        return as_facility(value, self.deal)

    # -- borrowing -----------------------------------------------------------------------------
    def LSA_AMENDMENT(self, date, amended_through=None, events=None) -> str:
        view = self.view(events, amended_through)
        return view.amendment(as_date(date, "date")).title

    def LSA_MAX_LIMIT(self, date, events=None, amended_through=None, rules=None) -> float:
        view = self.view(events, amended_through, rules)
        return view.term("max_limit").at(view.check(as_date(date, "date")))

    def LSA_CAPACITY(self, date, receivables, acceptances=None, guaranties=None, letters_of_credit=None,
                     events=None, amended_through=None, rules=None, collateral=None) -> float:
        # Called per row over whole columns: the common case (plain floats, a date, the plain view)
        # skips the general converters, which still handle and explain everything else.
        if events is None and amended_through is None and rules is None and self._plain_view is not None:
            view = self._plain_view
        else:
            view = self.view(events, amended_through, rules)
        day = date if type(date) is dt.date else as_date(date, "date")
        ordinal = day.toordinal()
        if ordinal < view.lo or ordinal > view.hi:
            view.check(day)
        if not (type(receivables) is float and 0.0 <= receivables < INF):
            receivables = as_amount(receivables, "receivables")
        if collateral is not None:
            receivables = self._collateral(receivables, collateral)
        return view.capacity(ordinal, receivables, total_deductions(acceptances, guaranties, letters_of_credit))

    def _collateral(self, receivables: float, collateral) -> dict:
        """{component id: figure}: receivables and the other components given."""
        components = self.deal.borrowing_base.components
        return {components[0].id: receivables, **as_collateral(collateral, components)}

    def LSA_OVERADVANCE_LIMIT(self, date, term_loan_reserve=None, amended_through=None, events=None) -> float:
        view = self.view(events, amended_through)
        reserve = None if term_loan_reserve is None else as_amount(term_loan_reserve, "term_loan_reserve")
        return view.overadvance_limit(view.check(as_date(date, "date")), reserve)

    def LSA_AVAILABILITY(self, date, receivables, outstanding, acceptances=None, guaranties=None,
                         letters_of_credit=None, term_loan_reserve=None, events=None, amended_through=None,
                         rules=None, collateral=None) -> float:
        view = self.view(events, amended_through, rules)
        ordinal = view.check(as_date(date, "date"))
        reserve = None if term_loan_reserve is None else as_amount(term_loan_reserve, "term_loan_reserve")
        given = as_amount(receivables, "receivables")
        if collateral is not None:
            given = self._collateral(given, collateral)
        return view.availability(ordinal, given, as_amount(outstanding, "outstanding"),
                                 total_deductions(acceptances, guaranties, letters_of_credit), reserve)

    # -- pricing -------------------------------------------------------------------------------
    def LSA_PRIME(self, date) -> float:
        return self.terms.prime_at(as_date(date, "date"))

    def LSA_MARGIN(self, date, facility, amended_through=None, events=None, rules=None) -> float:
        view = self.view(events, amended_through, rules)
        ordinal = view.check(as_date(date, "date"))
        return view.value(view.margin_term(self.facility(facility)), ordinal)

    def LSA_RATE(self, date, facility, prime=None, amended_through=None, events=None, rules=None) -> float:
        """The index (prime) after its floor and cap, plus the margin, plus any add-on (udfs.engine.pricing)."""
        day = as_date(date, "date")
        self.LSA_MARGIN(day, facility, amended_through, events, rules)  # the margin's own refusals first
        view = self.view(events, amended_through, rules)
        table, constant = self._prime(prime)
        if constant is None and table.at(day.toordinal()) is None:
            raise TermsError("prime", f"the prime table has no rate for {day.isoformat()}", NA)
        return round(view.rate_at(day.toordinal(), self.facility(facility), table, constant), RATE_DECIMALS)

    def _prime(self, prime):
        """(table, None) for the default or a caller's date|rate table; (None, rate) for one rate."""
        if prime is None:
            if self.terms.prime is None:
                raise TermsError("prime", "this deal has no prime table; pass prime")
            return self.terms.prime, None
        if is_table(prime):
            rows = sorted((as_date(d, "prime date"), rate_fraction(r, "prime rate")) for d, r in
                          (prime.items() if isinstance(prime, dict) else prime_rows(prime, "prime")))
            if not rows:
                raise TermsError("prime", "the prime table is empty")
            return table_function(rows, "caller's prime table", rows[0][0], dt.date.max - dt.timedelta(days=1)), None
        return None, rate_fraction(prime, "prime")

    def LSA_INTEREST(self, start, end, balance, facility, prime=None, day_count=None,
                     amended_through=None, rules=None, events=None) -> float:
        view = self.view(events, amended_through, rules)
        first, stop = as_date(start, "start"), as_date(end, "end")
        if stop < first:
            raise TermsError("end", f"{stop.isoformat()} is before start {first.isoformat()}")
        view.check(first, "start")
        if stop > first:
            last = stop - dt.timedelta(days=1)  # end is excluded: its eve is the last day counted
            if last.toordinal() > view.hi:
                raise TermsError("end", f"{stop.isoformat()} would count interest through {last.isoformat()}, after "
                                 f"the Initial Term, which ended {view.end.isoformat()} ({view.end_citation}; terms "
                                 f"{view.label}); the latest end is {(view.end + dt.timedelta(days=1)).isoformat()}",
                                 NA)
        basis = self._basis(day_count, view)
        table, constant = self._prime(prime)
        return view.interest(first, stop, as_amount(balance, "balance"), self.facility(facility),
                             table, constant, basis)

    def _basis(self, day_count, view) -> int:
        if day_count is None or (isinstance(day_count, str) and not day_count.strip()):
            return int(view.rules.pick(self.deal.pricing["day_count"]))
        key = str(day_count).strip().lower().replace(" ", "")
        if isinstance(day_count, (int, float)) and not isinstance(day_count, bool):
            key = str(int(day_count)) if day_count == int(day_count) else key
        if key not in DAY_COUNTS:
            raise TermsError("day_count", f"{day_count!r} is not a day count; use 'actual/360' or 'actual/365'")
        basis = DAY_COUNTS[key]
        reading = self.deal.pricing.get("day_count")
        name = reading.get("interpretation") if isinstance(reading, dict) else None
        if name in view.rules.asked and int(view.rules.pick(reading)) != basis:  # two answers to one question
            raise TermsError("day_count", f"{day_count!r} and the reading {name}={view.rules.choice(name)} chosen "
                             f"in rules disagree ({basis}- vs {int(view.rules.pick(reading))}-day year); give one")
        return basis

    # -- fees ----------------------------------------------------------------------------------
    def LSA_FEES_DUE(self, start, end, events=None, amended_through=None, rules=None) -> float:
        view = self.view(events, amended_through, rules)
        first, last = as_date(start, "start"), as_date(end, "end")
        # A fee window may run past the term's end: fees still fall due then (an exit fee on the term's
        # last day, an installment moved past it), so only a date before the encoded terms is refused.
        for day, argument in ((first, "start"), (last, "end")):
            if day < view.start:
                view.check(day, argument)
        if last < first:
            raise TermsError("end", f"{last.isoformat()} is before start {first.isoformat()}")
        return sum((ln.amount for ln in view.fee_lines() if ln.status == "due" and first <= ln.due <= last), 0.0)

    def LSA_FEE_SCHEDULE(self, events=None, amended_through=None, rules=None) -> list[list]:
        view = self.view(events, amended_through, rules)
        return [FEE_HEADER] + [
            [ln.fee, ln.component, ln.scheduled, ln.due, ln.amount, ln.status, ln.reason, ln.citation]
            for ln in view.fee_lines()
        ]

    def LSA_DEADLINES(self, amended_through=None, date=None, events=None) -> list[list]:
        view = self.view(events, amended_through)
        day = None if date is None else optional_date(date, "date")
        return [DEADLINE_HEADER] + [[row[k] for k in DEADLINE_HEADER] for row in view.deadlines(day)]

    # -- severance -----------------------------------------------------------------------------
    def _severance(self, annual_salary, offsets, rule):
        chosen = rules_mod.resolve(self.deal, rule, "rule")
        salary = as_amount(annual_salary, "annual_salary")
        return self.terms.severance_schedule(salary, as_offsets(offsets), chosen)

    def SEV_SCHEDULE(self, annual_salary, offsets=None, rule=None) -> list[list]:
        result = self._severance(annual_salary, offsets, rule)
        rows = [SEVERANCE_HEADER] + [
            [r.number, r.due, r.gross, r.offset, r.net, r.grace_end, result.citation] for r in result.installments
        ]
        sev = self.terms.severance()
        for a in result.allocations:  # compensation that reduced nothing, one row per receipt, and why
            if a.unapplied > 0:
                rows.append(["unapplied", None, 0.0, a.unapplied, 0.0, None,
                             f"received {a.received.isoformat()}: {sev_mod.NOT_OFFSET[a.why]} "
                             f"({sev.offset_citation})"])
        return rows

    def SEV_PAYMENT(self, date, annual_salary, offsets=None, rule=None) -> float:
        sev = self.terms.severance()
        day = as_date(date, "date")
        if not sev.in_payment_period(day):
            raise TermsError("date", f"{day.isoformat()} is outside the severance letter's payment period "
                             f"{sev.payment_period}", NA)
        result = self._severance(annual_salary, offsets, rule)
        return sum((r.net for r in result.installments if r.due == day), 0.0)

    def SEV_LATE_INTEREST(self, due_date, paid_date, amount, rule=None) -> float:
        sev = self.terms.severance()
        chosen = rules_mod.resolve(self.deal, rule, "rule")
        due, paid = as_date(due_date, "due_date"), as_date(paid_date, "paid_date")
        if not sev.in_payment_period(due):
            raise TermsError("due_date", f"{due.isoformat()} is outside the severance letter's payment period "
                             f"{sev.payment_period}", NA)
        plan = sev_mod.plan_in_force(sev, chosen)
        if due not in plan.dates:
            raise TermsError("due_date", f"{due.isoformat()} is not an installment date under {plan.name} "
                             f"({', '.join(d.isoformat() for d in plan.dates)})")
        if paid < due:
            raise TermsError("paid_date", f"{paid.isoformat()} is before the due date {due.isoformat()}")
        return sev_mod.late_interest(sev, due, paid, as_amount(amount, "amount"), chosen)

    def SEV_ELECTION(self, election, outplacement_cost, lease_cost, transfer_accepted=True) -> float:
        if not isinstance(election, str):
            raise TermsError("election", f"{election!r} is not 'outplacement' or 'lease'")
        transfer_accepted = as_flag(transfer_accepted, "transfer_accepted")
        return sev_mod.election_amount(self.terms.severance(), election.strip().lower(),
                                       as_amount(outplacement_cost, "outplacement_cost"),
                                       as_amount(lease_cost, "lease_cost"), transfer_accepted)

    # -- about ---------------------------------------------------------------------------------
    def TERMS_INFO(self, rules=None, amended_through=None, events=None) -> list[list]:
        chosen = rules_mod.resolve(self.deal, rules)
        deal = self.deal
        rows = [INFO_HEADER,
                ["deal", deal.name, deal.id],
                ["data_version", deal.version, deal.path],
                ["content_hash", deal.content_hash, "sha256 of the deal file"]]
        view = self.view(events, amended_through, rules)
        for doc in deal.documents:
            if doc.id not in view.visible:
                continue
            rows.append([f"document: {doc.short}", doc.title,
                         f"signed {doc.date.isoformat()}; "
                         + ("terms in this file" if doc.terms_known else "date only: terms not in our documents")
                         + ("" if doc.is_lsa else "; not an amendment of the agreement")])
        rows.append(["window", f"{view.start.isoformat()} to {view.end.isoformat()}", view.end_citation])
        counted = set(rules_mod.readings_in(deal, view.visible, [*deal.terms, *rules_mod.AREAS])) | set(ENGINE_READINGS)
        for interp in deal.interpretations:
            if interp.choices:
                choice = chosen.choice(interp.name)
                unused = "" if interp.name in counted else "; no document counted in this view uses it"
                rows.append([f"interpretation: {interp.name}", choice,
                             f"{interp.choices[choice]} ({interp.citation}){unused}"])
            else:
                rows.append([f"reading: {interp.name}", interp.default, interp.citation])
        return rows


CATALOGUE = NAMES  # declared once, in udfs.catalogue.spec
_default: Catalogue | None = None


def default_catalogue() -> Catalogue:
    global _default
    if _default is None:
        _default = Catalogue(Terms(default_deal()))
    return _default


def __getattr__(name: str):
    """`from udfs.catalogue.functions import LSA_CAPACITY` gives the embedded deal's bound method itself:
    no wrapper in between, since these are called once per row over whole columns."""
    if name in CATALOGUE:
        return getattr(default_catalogue(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CATALOGUE", "MANY_ACCEPTS", "Catalogue", "default_catalogue", *CATALOGUE]
