"""Explanations: a question's answer and its working (the terms, steps, events and readings it was
worked from: udfs.engine.explain). Mixed into udfs.catalogue.functions.Catalogue, which gives it the
questions, `view`, `facility`, `_prime`, `_basis` and `_collateral`."""

from __future__ import annotations

import datetime as dt

from udfs.catalogue.arguments import total_deductions
from udfs.catalogue.spec import NAMES
from udfs.deal.errors import TermsError
from udfs.engine import borrowing_base as bb
from udfs.engine import explain, pricing
from udfs.engine import rules as rules_mod
from udfs.engine.values import as_amount, as_date
from udfs.loading import ENGINE_READINGS

_AVAILABILITY_WORDS = {
    "exclude_overadvance": "Borrowing Capacity less Advances outstanding",
    None: "lesser of the Maximum Limit and borrowing base x advance rate plus the Overadvance limit, "
          "less deductions, reserves and Advances outstanding",
}

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


class Explaining:
    """LSA_EXPLAIN, `explain` and `readings_used` (see the module)."""

    def LSA_EXPLAIN(self, date, events=None, amended_through=None, rules=None) -> list[list]:
        view = self.view(events, amended_through, rules)
        return explain.Explanation("LSA_EXPLAIN", None, explain.all_terms(
            view, as_date(date, "date"), self.terms.prime)).table()

    def explain(self, name: str, **kwargs) -> explain.Explanation:
        """The answer to `name` for these arguments, and its working (the terms, steps, events and readings)."""
        if name not in NAMES:
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
        deductions = total_deductions(kw.get("acceptances"), kw.get("guaranties"), kw.get("letters_of_credit"))
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
