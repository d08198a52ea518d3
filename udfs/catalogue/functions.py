"""The catalogue of questions, as plain Python functions (names and argument order as in Excel).

Each function checks its arguments, asks the engine, and returns a number, a text, or a table
(a list of rows whose first row is the header). Bad input raises TermsError; nothing else escapes.
`Catalogue(terms)` binds the questions to any deal; the module-level functions use the embedded one.
"""

from __future__ import annotations

import datetime as dt

from udfs.catalogue.spec import NAMES
from udfs.deal.errors import NA, TermsError
from udfs.engine import borrowing_base as bb
from udfs.engine import columns, explain, pricing
from udfs.engine import rules as rules_mod
from udfs.engine import severance as sev_mod
from udfs.engine.lazy import HAVE_NUMPY, is_array, np
from udfs.engine.schedule import table_function
from udfs.engine.terms import Terms
from udfs.engine.values import as_amount, as_collateral, as_date, as_events, as_facility, as_flag, as_offsets
from udfs.loading import ENGINE_READINGS, Deal, default_deal

FEE_HEADER = ["fee", "component", "scheduled_date", "due_date", "amount", "status", "reason", "citation"]
DEADLINE_HEADER = ["date", "item", "section", "document", "status", "citation"]
SEVERANCE_HEADER = ["installment", "due_date", "gross", "offset", "net", "late_after", "citation"]
INFO_HEADER = ["item", "value", "detail"]
RATE_DECIMALS = 10  # rates are whole hundredths of a basis point at most: drop binary noise like 0.10250000000000001
DAY_COUNTS = {"actual/360": 360, "act/360": 360, "360": 360, "actual/365": 365, "act/365": 365, "365": 365}


_AVAILABILITY_WORDS = {
    "exclude_overadvance": "Borrowing Capacity less Advances outstanding",
    None: "lesser of the Maximum Limit and borrowing base x advance rate plus the Overadvance limit, "
          "less deductions, reserves and Advances outstanding",
}


class Catalogue:
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
        at = None if amended_through is None else _optional_date(amended_through, "amended_through")
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
        if not (type(receivables) is float and 0.0 <= receivables < _INF):
            receivables = as_amount(receivables, "receivables")
        if collateral is not None:
            receivables = self._collateral(receivables, collateral)
        return view.capacity(ordinal, receivables, _deductions(acceptances, guaranties, letters_of_credit))

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
                                 _deductions(acceptances, guaranties, letters_of_credit), reserve)

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
        if _is_table(prime):
            rows = sorted((as_date(d, "prime date"), _rate(r, "prime rate")) for d, r in
                          (prime.items() if isinstance(prime, dict) else _rows(prime, "prime")))
            if not rows:
                raise TermsError("prime", "the prime table is empty")
            return table_function(rows, "caller's prime table", rows[0][0], dt.date.max - dt.timedelta(days=1)), None
        return None, _rate(prime, "prime")

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
        return sum(ln.amount for ln in view.fee_lines() if ln.status == "due" and first <= ln.due <= last)

    def LSA_FEE_SCHEDULE(self, events=None, amended_through=None, rules=None) -> list[list]:
        view = self.view(events, amended_through, rules)
        return [FEE_HEADER] + [
            [ln.fee, ln.component, ln.scheduled, ln.due, ln.amount, ln.status, ln.reason, ln.citation]
            for ln in view.fee_lines()
        ]

    def LSA_DEADLINES(self, amended_through=None, date=None, events=None) -> list[list]:
        view = self.view(events, amended_through)
        day = None if date is None else _optional_date(date, "date")
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

    # -- columns -------------------------------------------------------------------------------
    def many(self, name: str, args: list, n: int) -> list:
        """`name` answered for n rows at once.

        `args` follow the function's order; each is a plain value (every row) or a list of n values
        (one per row). Events, offsets and rules are always plain. A row that fails holds its
        TermsError (returned, not raised), so one bad row does not spoil the column.
        """
        if name not in CATALOGUE:
            raise TermsError("function", f"unknown function {name!r}")
        import inspect  # costly to import: only columns need it

        method = getattr(self, name)
        names = list(inspect.signature(method).parameters)
        if len(args) > len(names):
            raise TermsError(name, f"takes at most {len(names)} arguments; got {len(args)}")
        bound = dict(zip(names, args))
        rows = {k for k, v in bound.items()
                if (isinstance(v, list) or is_array(v)) and k not in _PLAIN_ARGS
                and not (k == "prime" and _is_table(v))}
        for key in rows:
            if len(bound[key]) != n:
                raise TermsError(key, f"has {len(bound[key])} rows; expected {n}")
        if name in _COLUMN_FUNCTIONS and not (rows & {"facility", "prime", "term_loan_reserve"}):
            if HAVE_NUMPY:
                return self._column(name, bound, rows, n)
            try:  # without numpy every row goes the one-value way; a shared error fails all rows alike
                self._shared(name, bound, rows)
            except TermsError as exc:
                return [exc] * n
        for key in rows:  # the row-by-row path takes Python values: datetime64[D] -> date, float64 -> float
            if is_array(bound[key]):
                bound[key] = _python_values(bound[key])
        results = []
        for i in range(n):
            call = {k: (v[i] if k in rows else v) for k, v in bound.items()}
            try:
                results.append(method(**call))
            except TermsError as exc:
                results.append(exc)
        return results

    def _shared(self, name: str, bound: dict, rows: set) -> tuple:
        """What every row of a column shares, checked once in this order: the view, then each argument
        given as one value. A wrong one raises the TermsError all rows share (with numpy or without:
        the row-by-row path asks this first, so both fail alike). Returns (view, plain values)."""
        if name == "LSA_PRIME":
            view = None
        else:
            view = self.view(bound.get("events"), bound.get("amended_through"), bound.get("rules"))
        if "date" not in rows:
            as_date(bound.get("date"), "date")
        plain = {}

        def amount(key, default=None):
            if key not in rows:
                plain[key] = as_amount(bound.get(key), key, default=default)

        if name in ("LSA_CAPACITY", "LSA_AVAILABILITY"):
            for key in ("acceptances", "guaranties", "letters_of_credit"):
                amount(key, 0.0)
        if name in ("LSA_AVAILABILITY", "LSA_OVERADVANCE_LIMIT"):
            reserve = bound.get("term_loan_reserve")
            plain["term_loan_reserve"] = None if reserve is None else as_amount(reserve, "term_loan_reserve")
        if name in ("LSA_CAPACITY", "LSA_AVAILABILITY"):
            amount("receivables")
            if bound.get("collateral") is not None:
                plain["collateral"] = as_collateral(bound["collateral"], self.deal.borrowing_base.components)
            if name == "LSA_AVAILABILITY":
                amount("outstanding")
        elif name == "LSA_PRIME":
            if self.terms.prime is None:
                raise TermsError("date", "this deal has no prime rate table")
        elif name in ("LSA_MARGIN", "LSA_RATE"):
            plain["facility"] = self.facility(bound.get("facility"))
            if name == "LSA_RATE":
                plain["prime"] = self._prime(bound.get("prime"))
        return view, plain

    def _column(self, name: str, bound: dict, rows: set, n: int) -> list:
        errors: dict[int, TermsError] = {}
        try:
            view, plain = self._shared(name, bound, rows)
            ordinals = _ordinal_column(bound.get("date"), "date", n, errors)

            def amount(key, default=None):
                if key in rows:
                    return _amount_column(bound.get(key), key, n, errors, default)
                return plain[key]

            if name == "LSA_MAX_LIMIT":
                values = columns.term(view, "max_limit", ordinals)
            elif name in ("LSA_CAPACITY", "LSA_AVAILABILITY"):
                deductions = (amount("acceptances", 0.0) + amount("guaranties", 0.0)
                              + amount("letters_of_credit", 0.0))
                given = amount("receivables")
                if "collateral" in plain:
                    given = {self.deal.borrowing_base.components[0].id: given, **plain["collateral"]}
                if name == "LSA_CAPACITY":
                    values = columns.capacity(view, ordinals, given, deductions)
                else:
                    values = columns.availability(view, ordinals, given, amount("outstanding"),
                                                  deductions, plain["term_loan_reserve"])
            elif name == "LSA_OVERADVANCE_LIMIT":
                values = columns.overadvance_limit(view, ordinals, plain["term_loan_reserve"])
            elif name == "LSA_PRIME":
                values = columns.prime(self.terms.prime, ordinals)
            else:  # LSA_MARGIN, LSA_RATE
                facility = plain["facility"]
                values = columns.margin(view, ordinals, facility)
                if name == "LSA_RATE":
                    table, constant = plain["prime"]
                    index = columns.prime(table, ordinals) if constant is None else constant
                    rate = columns.rate(view, ordinals, facility, index)
                    values = np.round(np.where(np.isnan(values), np.nan, rate), RATE_DECIMALS)
        except TermsError as exc:  # a plain argument is wrong: every row shares the error
            return [exc] * n
        results = values.tolist()
        for i in np.flatnonzero(np.isnan(values)).tolist():
            if i not in errors:
                errors[i] = self._row_error(name, view, int(ordinals[i]))
        for i, exc in errors.items():
            results[i] = exc
        return results

    def _row_error(self, name: str, view, ordinal: int) -> TermsError:
        day = dt.date.fromordinal(ordinal)
        try:
            if view is not None:
                view.check(day)
            if view is None:
                self.terms.prime_at(day)
            elif name == "LSA_RATE":
                raise TermsError("prime", f"the prime table has no rate for {day.isoformat()}", NA)
        except TermsError as exc:
            return exc
        return TermsError("date", f"{day.isoformat()} has no value in this view", NA)

    # -- why ---------------------------------------------------------------------------------
    def LSA_EXPLAIN(self, date, events=None, amended_through=None, rules=None) -> list[list]:
        view = self.view(events, amended_through, rules)
        return explain.Explanation("LSA_EXPLAIN", None, explain.all_terms(
            view, as_date(date, "date"), self.terms.prime)).table()

    def explain(self, name: str, **kwargs) -> explain.Explanation:
        """The answer to `name` for these arguments, and its working (the terms, steps, events and readings)."""
        if name not in CATALOGUE:
            raise TermsError("function", f"unknown function {name!r}")
        answer = getattr(self, name)(**kwargs)
        return explain.Explanation(name, answer, self._working(name, answer, kwargs))

    def _working(self, name: str, answer, kw: dict) -> list[explain.Line]:
        get = kw.get
        if name in ("LSA_PRIME", "SEV_SCHEDULE", "SEV_PAYMENT", "SEV_LATE_INTEREST", "SEV_ELECTION", "TERMS_INFO",
                    "LSA_EXPLAIN", "LSA_DEADLINES"):
            return self._plain_working(name, kw)
        view = self.view(get("events"), get("amended_through"), get("rules"))
        lines: list[explain.Line] = []
        if "date" in kw:
            day = as_date(kw["date"], "date")
            lines.append(explain.document_line(view, day))
        if name == "LSA_MAX_LIMIT":
            lines += explain.term_lines(view, "max_limit", day)
        elif name in ("LSA_CAPACITY", "LSA_AVAILABILITY"):
            lines += self._capacity_working(view, day, kw)  # ends on the answer: capacity, or availability
        elif name == "LSA_OVERADVANCE_LIMIT":
            lines += explain.term_lines(view, "overadvance_limit", day)
            lines += self._reserve_working(view, day, get("term_loan_reserve"))
        elif name in ("LSA_MARGIN", "LSA_RATE"):
            facility = self.facility(kw["facility"])
            lines += explain.term_lines(view, view.margin_term(facility), day)
            if name == "LSA_RATE":
                lines.append(self._prime_line(day, get("prime")))
                lines += self._rate_working(view, day, facility, get("prime"))
        elif name == "LSA_INTEREST":
            lines += self._interest_working(view, kw)
        elif name in ("LSA_FEES_DUE", "LSA_FEE_SCHEDULE"):
            lines += self._fee_working(view, kw, name)
        day = as_date(kw["date"], "date") if "date" in kw else None
        lines += [explain.reading_line(view, reading) for reading in self.readings_used(name, view, day)]
        return lines

    def readings_used(self, name: str, view, day: dt.date | None = None) -> list[str]:
        """The switchable readings `name`'s answer depends on in this view (on `day`: in the versions of
        its terms in force that day), from the deal's data."""
        parts, engine = [], set()
        for source in WORKED_FROM.get(name, ()):
            if source in ENGINE_READINGS:
                engine.add(source)
                continue
            terms = pricing.part_terms(self.deal.pricing) if source == "margins" else (source,)
            for term in terms:
                piece = view.term(term).piece(day.toordinal()) if day and term in self.deal.terms else None
                parts.append((term, piece.version) if piece is not None and piece.version is not None else term)
        found = set(rules_mod.readings_in(self.deal, view.visible, parts)) | engine
        return [i.name for i in self.deal.interpretations if i.choices and i.name in found]

    def _plain_working(self, name: str, kw: dict) -> list[explain.Line]:
        if name == "LSA_PRIME":
            return [self._prime_line(as_date(kw["date"], "date"), None)]
        view = self.view(rules=kw.get("rules") or kw.get("rule"),
                         rules_argument="rule" if "rule" in kw else "rules")
        return [explain.reading_line(view, reading) for reading in self.readings_used(name, view)]

    def _prime_line(self, day: dt.date, prime) -> explain.Line:
        if prime is not None:
            table, constant = self._prime(prime)
            if constant is not None:
                return explain.Line("Prime rate", constant, "", "given", "the prime rate passed in", "caller")
            return explain.Line("Prime rate", table.at(day.toordinal()), "", "given", "the caller's prime table",
                                "caller")
        piece = self.terms.prime.piece(day.toordinal()) if self.terms.prime else None
        value = None if piece is None else piece.value
        since = "" if piece is None else f"rate from {dt.date.fromordinal(piece.start).isoformat()}"
        return explain.Line("Prime rate", value, "", since, self.deal.prime.get("source", ""),
                            self.deal.prime.get("citation", ""))

    def _rate_working(self, view, day: dt.date, facility: str, prime) -> list[explain.Line]:
        """The floor, cap and add-ons of the rate (each a term, or none that day), then the rate in words."""
        table, constant = self._prime(prime)
        lines = explain.pricing_part_lines(view, facility, day)
        values = view.rate_parts(day.toordinal(), facility, table, constant)
        lines.append(explain.rate_line(view, facility, values))
        return lines

    def _capacity_working(self, view, day: dt.date, kw: dict) -> list[explain.Line]:
        """The terms the borrowing base reads that day, then each of its figures (the definitions of
        udfs.engine.borrowing_base, in order), through Borrowing Capacity or availability."""
        ordinal = day.toordinal()
        given = as_amount(kw["receivables"], "receivables")
        if kw.get("collateral") is not None:
            given = self._collateral(given, kw["collateral"])
        deductions = _deductions(kw.get("acceptances"), kw.get("guaranties"), kw.get("letters_of_credit"))
        available = "outstanding" in kw
        base = self.deal.borrowing_base
        lines = explain.term_lines(view, "max_limit", day)
        for term in base.terms:
            if view.term(term).at(ordinal) is not None:
                lines += explain.term_lines(view, term, day)
        if available:
            lines += explain.term_lines(view, "overadvance_limit", day)
            lines += self._reserve_working(view, day, kw.get("term_loan_reserve"))
            outstanding = as_amount(kw["outstanding"], "outstanding")
            lines.append(explain.Line("Advances outstanding", outstanding, "", "", "given", ""))
        values = view.figures(ordinal, given, deductions, outstanding if available else 0.0,
                              None if kw.get("term_loan_reserve") is None
                              else as_amount(kw["term_loan_reserve"], "term_loan_reserve"),
                              stop="availability" if available else "capacity")
        by_component = {bb.component_key(c): c for c in base.components}
        for d in view.definitions:
            if "def:" + d.key not in values:
                break
            value = values["def:" + d.key]
            c = by_component.get(d.key)
            if c is not None:
                label = "Borrowing base x advance rate" if len(base.components) == 1 else f"{c.label} x advance rate"
                figure = values[f"in:{c.id}"]
                rate = values.get(f"term:{c.rate_term}") or 0.0
                how = f"{figure:,.2f} x {rate:g}" + (", at most the sublimit" if c.sublimit_term else "")
                lines.append(explain.Line(label, value, "", "", how, c.citation or _citation(view, c.rate_term, day)))
            else:
                label, how = BB_WORDS.get(d.key, (d.label, ""))
                if d.key == "availability":  # in the words of the reading in force
                    how = _AVAILABILITY_WORDS.get(view.rules.chosen.get("availability_overadvance"),
                                                  _AVAILABILITY_WORDS[None])
                lines.append(explain.Line(label, value, "", "", how, base.citation if d.key == "capacity" else ""))
        return lines

    def _reserve_working(self, view, day: dt.date, reserve) -> list[explain.Line]:
        piece = view.term("overadvance_limit").piece(day.toordinal())
        if piece is None or view.bounded_by_document(piece.document) != "term_loan_reserve":
            return []
        if reserve is None:
            return [explain.Line("Term Loan Reserve", None, "", "", "not given: does not limit Overadvances", "")]
        amount = as_amount(reserve, "term_loan_reserve")
        return [explain.Line("Term Loan Reserve", amount, "", "", "Overadvances never above the reserve",
                             piece.citation)]

    def _interest_working(self, view, kw: dict) -> list[explain.Line]:
        first, stop = as_date(kw["start"], "start"), as_date(kw["end"], "end")
        facility = self.facility(kw["facility"])
        basis = self._basis(kw.get("day_count"), view)
        table, constant = self._prime(kw.get("prime"))
        balance = as_amount(kw["balance"], "balance")
        lines = []
        tree = view.rate_tree(facility)
        for a, b, values, rate in view.rate_segments(first, stop, facility, table, constant):
            piece = view.term(view.margin_term(facility)).piece(a)
            days = b - a
            lines.append(explain.Line(
                "Interest", balance * rate * days / basis,
                view.deal.document(piece.document).title if piece.document else "",
                f"{dt.date.fromordinal(a).isoformat()} to {dt.date.fromordinal(b - 1).isoformat()} ({days} days)",
                f"{balance:,.2f} x {rate:g} ({pricing.describe(tree, values.get)}) x {days}/{basis}",
                piece.citation))
        return lines

    def _fee_working(self, view, kw: dict, name: str) -> list[explain.Line]:
        lines = []
        first = as_date(kw["start"], "start") if "start" in kw else None
        last = as_date(kw["end"], "end") if "end" in kw else None
        for ln in view.fee_lines():
            if first is not None and not first <= ln.due <= last:
                continue
            lines.append(explain.Line(f"{ln.fee}: {ln.component}", ln.amount if ln.status == "due" else 0.0,
                                      "", f"scheduled {ln.scheduled.isoformat()}, due {ln.due.isoformat()}",
                                      ln.reason or ln.status, ln.citation))
        return lines

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


_INF = float("inf")
# What each question's answer is worked from, for the readings its working shows: terms by name ("margins":
# every term of the facilities' rates: margins, index floor and cap, add-ons), the areas of rules_mod.AREAS,
# and readings the engine reads by name (ENGINE_READINGS). The readings themselves come from the deal's data
# (rules_mod.readings_in).
WORKED_FROM = {
    "LSA_MAX_LIMIT": ("max_limit",),
    "LSA_CAPACITY": ("max_limit", "advance_rate", "capacity_floor"),
    "LSA_AVAILABILITY": ("max_limit", "advance_rate", "overadvance_limit", "capacity_floor",
                         "availability_overadvance", "deductions_and_max_limit"),
    "LSA_OVERADVANCE_LIMIT": ("overadvance_limit",),
    "LSA_MARGIN": ("margins",),
    "LSA_RATE": ("margins",),
    "LSA_INTEREST": ("margins", "pricing"),
    "LSA_FEES_DUE": ("fees",),
    "LSA_FEE_SCHEDULE": ("fees",),
    "SEV_SCHEDULE": ("severance",),
    "SEV_PAYMENT": ("severance",),
    "SEV_LATE_INTEREST": ("severance",),
}
# How the borrowing base's figures read in an explanation (label, how it is worked out).
BB_WORDS = {
    "base": ("Borrowing base after advance rates", "the components' amounts added"),
    "deductions": ("Deductions", "acceptances + guaranties + letters of credit"),
    "reserves": ("Reserves", "the reserves in force that day"),
    "capacity": ("Borrowing Capacity", "lesser of the Maximum Limit and borrowing base x advance rate, less "
                 "deductions and reserves"),
    "availability": ("Availability", ""),  # worded by the reading in force (_AVAILABILITY_WORDS)
}


def _citation(view, term: str, day: dt.date) -> str:
    piece = view.term(term).piece(day.toordinal())
    return "" if piece is None else piece.citation


_PLAIN_ARGS = {"events", "offsets", "collateral", "rules", "rule", "amended_through"}
_COLUMN_FUNCTIONS = {"LSA_MAX_LIMIT", "LSA_CAPACITY", "LSA_OVERADVANCE_LIMIT", "LSA_AVAILABILITY", "LSA_PRIME",
                     "LSA_MARGIN", "LSA_RATE"}


# numpy columns `many` takes as per-row arguments (none without numpy: then every row is a Python value)
MANY_ACCEPTS = frozenset({"datetime64[D]", "float64"} if HAVE_NUMPY else ())
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(): datetime64[D] counts days from it


def _python_values(values: np.ndarray) -> list:
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]").tolist()  # NaT becomes None
    return values.tolist()


def _ordinal_column(values, argument: str, n: int, errors: dict) -> np.ndarray:
    if isinstance(values, np.ndarray):
        if not np.issubdtype(values.dtype, np.datetime64):
            values = _python_values(values)
        else:
            days = values.astype("datetime64[D]")
            for i in np.flatnonzero(np.isnat(days)).tolist():
                errors[i] = TermsError(argument, "a date is required")
            return np.where(np.isnat(days), 0, days.astype(np.int64) + _EPOCH_ORDINAL)
    if not isinstance(values, list):
        return np.full(n, as_date(values, argument).toordinal(), dtype=np.int64)
    out = np.zeros(n, dtype=np.int64)
    for i, value in enumerate(values):
        try:
            out[i] = as_date(value, argument).toordinal()
        except TermsError as exc:
            errors[i] = exc
    return out


def _amount_column(values, argument: str, n: int, errors: dict, default) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        bad = ~np.isfinite(values) | (values < 0)
        for i in np.flatnonzero(bad).tolist():
            try:
                as_amount(float(values[i]), argument)
            except TermsError as exc:
                errors.setdefault(i, exc)
        return np.where(bad, 0.0, values)
    if isinstance(values, np.ndarray):
        values = _python_values(values)
    out = np.zeros(n, dtype=float)
    for i, value in enumerate(values):
        try:
            out[i] = as_amount(value, argument, default=default)
        except TermsError as exc:
            errors.setdefault(i, exc)
    return out


def _is_table(value) -> bool:
    """A date|rate table (dict or rows of pairs), as opposed to one rate or a column of rates."""
    if isinstance(value, dict):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(row, (list, tuple)) for row in value)


def _rows(value, argument):
    rows = []
    for row in value:
        if not isinstance(row, (list, tuple)) or len(row) != 2:
            raise TermsError(argument, f"{row!r} is not a date|rate pair")
        if all(cell is None or cell == "" for cell in row):
            continue
        rows.append(row)
    return rows


def _optional_date(value, argument):
    if isinstance(value, str) and not value.strip():
        return None
    return as_date(value, argument)


def _deductions(acceptances, guaranties, letters_of_credit) -> float:
    if guaranties is None and letters_of_credit is None:
        if acceptances is None:
            return 0.0
        if type(acceptances) is float and 0.0 <= acceptances < _INF:
            return acceptances
    return (as_amount(acceptances, "acceptances", default=0.0) + as_amount(guaranties, "guaranties", default=0.0)
            + as_amount(letters_of_credit, "letters_of_credit", default=0.0))


def _rate(value, argument) -> float:
    rate = as_amount(value, argument)
    if rate >= 1:
        raise TermsError(argument, f"{value!r} looks like a percentage; give rates as fractions (0.0425 = 4.25%)")
    return rate


_default: Catalogue | None = None


def default_catalogue() -> Catalogue:
    global _default
    if _default is None:
        _default = Catalogue(Terms(default_deal()))
    return _default


CATALOGUE = NAMES  # declared once, in udfs.catalogue.spec


def __getattr__(name: str):
    """`from udfs.catalogue.functions import LSA_CAPACITY` gives the embedded deal's bound method itself:
    no wrapper in between, since these are called once per row over whole columns."""
    if name in CATALOGUE:
        return getattr(default_catalogue(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CATALOGUE", "MANY_ACCEPTS", "Catalogue", "default_catalogue", *CATALOGUE]
