"""The questions a deal answers, for a date and a view (amended_through, events, rules)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from udfs.deal.errors import NA, TermsError
from udfs.deal.records import Deal, Document
from udfs.engine import pricing
from udfs.engine import rules as rules_mod
from udfs.engine import severance as sev_mod
from udfs.engine.borrowing_base import definitions as bb_definitions
from udfs.engine.borrowing_base import evaluate as bb_evaluate
from udfs.engine.lazy import np
from udfs.engine.rules import Rules
from udfs.engine.schedule import StepFunction, compile_term, table_function


class View:
    """The terms as known through `amended_through`, given deliveries and readings.

    Compiled step functions are built once per view and reused: a column of dates costs
    one compile and then a bisect (or a searchsorted) per date.
    """

    def __init__(self, deal: Deal, amended_through: dt.date | None, events: tuple, rules: Rules):
        self.deal = deal
        self.events = dict(events)
        self.rules = rules
        lsa_docs = [d for d in deal.documents if d.is_lsa]
        first_known = min((d for d in lsa_docs if d.has_terms), key=lambda d: d.date)
        if amended_through is not None and amended_through < first_known.date:
            raise TermsError(
                "amended_through", f"{amended_through.isoformat()} is before {first_known.title} "
                f"({first_known.date.isoformat()}), the first document whose terms we have", NA)
        self.amended_through = amended_through
        self.visible = {d.id for d in deal.documents if amended_through is None or d.date <= amended_through}
        self.lsa_documents = [d for d in lsa_docs if d.id in self.visible]
        self._check_ending_events()
        self._terms: dict[str, StepFunction] = {}
        self._capacity_starts = self._capacity_values = None  # merged on first use by capacity()
        self.definitions = bb_definitions(deal.borrowing_base)
        self.start = deal.window_start
        end_piece = self._term_end_piece()
        self.end: dt.date = end_piece.value
        self.end_citation = end_piece.citation
        self.lo, self.hi = self.start.toordinal(), self.end.toordinal()

    def _term_end_piece(self):
        """The piece of the Initial Term's end that closes this view's window.

        The end is itself an effective-dated term: a later document can extend or shorten it from its
        own date. A day belongs to the window while it is within the term as known on that day, so
        the window runs from its start to the first day past the end in force on that day, less one.
        """
        fn = self.term("initial_term_end")
        current = fn.piece(self.start.toordinal())
        if current is None or current.value is None or current.value < self.start:
            raise TermsError("amended_through", f"no Initial Term end on or after {self.start.isoformat()} is "
                             f"known {self.label}", NA)
        later = [p for p in fn.pieces if p.start > current.start]
        for nxt in later:
            if current.value.toordinal() < nxt.start - 1:
                break  # the term ends before the next change takes effect
            if nxt.value is None or nxt.value.toordinal() < nxt.start:
                # the next change ends the term on a day already past: the window closes the day before it
                return nxt._replace(value=dt.date.fromordinal(nxt.start - 1))
            current = nxt
        return current

    @property
    def label(self) -> str:
        """The view in words, for messages: which documents count."""
        if self.amended_through is None:
            return "with every document counted"
        return f"as amended through {self.amended_through.isoformat()}"

    def ending_events_too_early(self) -> list[tuple]:
        """(event, its date, the first document of the view dated after it) for each event that ends the
        agreement (full payment) dated before a document of the view whose terms we have."""
        out = []
        for name, day in self.events.items():
            if not self.deal.events[name].get("ends_agreement"):
                continue
            later = [d for d in self.lsa_documents if d.has_terms and d.date > day]
            if later:
                out.append((name, day, later[0]))
        return out

    def _check_ending_events(self):
        """An event that ends the agreement cannot precede a document in the view: that document would
        never have been signed, so its terms would answer a world that did not exist."""
        for name, day, later in self.ending_events_too_early()[:1]:
            raise TermsError(
                "events", f"{name} on {day.isoformat()} is before {later.title} ({later.date.isoformat()}), "
                f"which this view counts; set amended_through before {later.date.isoformat()} "
                "or date the payment later")

    def term(self, name: str) -> StepFunction:
        fn = self._terms.get(name)
        if fn is None:
            versions = self.deal.terms.get(name)
            if versions is None:
                raise TermsError("term", f"this deal has no term {name!r}")
            fn = self._terms[name] = compile_term(versions, self.visible, self.events, self.rules)
        return fn

    # -- dates -------------------------------------------------------------------------------
    def check(self, day: dt.date, argument: str = "date") -> int:
        """The ordinal of a date inside the encoded terms, or a #N/A error saying which side it fell."""
        ordinal = day.toordinal()
        if ordinal < self.lo:
            raise TermsError(argument, f"{day.isoformat()} is before {self.start.isoformat()}, the first date "
                             f"whose terms are in our documents ({self.deal.window_start_citation})", NA)
        if ordinal > self.hi:
            raise TermsError(argument, f"{day.isoformat()} is after the Initial Term, which ended "
                             f"{self.end.isoformat()} ({self.end_citation}; terms {self.label})", NA)
        return ordinal

    def check_many(self, ordinals: np.ndarray, argument: str = "date") -> None:
        if ordinals.size and (ordinals.min() < self.lo or ordinals.max() > self.hi):
            bad = ordinals[(ordinals < self.lo) | (ordinals > self.hi)][0]
            self.check(dt.date.fromordinal(int(bad)), argument)

    # -- borrowing ---------------------------------------------------------------------------
    def amendment(self, day: dt.date) -> Document:
        self.check(day)
        return [d for d in self.lsa_documents if d.date <= day][-1]

    def value(self, name: str, ordinal: int):
        value = self.term(name).at(ordinal)
        if value is None:
            raise TermsError("date", f"{dt.date.fromordinal(ordinal).isoformat()} has no {name} in this view", NA)
        return value

    def capacity(self, ordinal: int, collateral, deductions: float) -> float:
        """Borrowing Capacity: `collateral` is the receivables figure, or {component id: figure}."""
        return self.figures(ordinal, collateral, deductions, stop="capacity")["def:capacity"]

    def figures(self, ordinal: int, collateral, deductions: float, outstanding: float = 0.0,
                term_loan_reserve: float | None = None, stop: str = "availability") -> dict:
        """The borrowing base's figures on a day (udfs.engine.borrowing_base.definitions), through `stop`:
        name -> value for the terms read ("term:NAME"), the inputs ("in:NAME") and each figure ("def:KEY").
        `deductions`: acceptances, guaranties and letters of credit together."""
        if self._capacity_starts is None:
            self._merge_capacity_terms()
        terms = self._capacity_values[bisect_right(self._capacity_starts, ordinal) - 1]
        overadvance = self.overadvance_limit(ordinal, term_loan_reserve) if stop == "availability" else None
        return bb_evaluate(self.deal.borrowing_base, self.definitions, terms, collateral, deductions,
                           self.rules.chosen, outstanding, overadvance, stop)

    def _merge_capacity_terms(self):
        """One table of the borrowing base's terms by date: a single bisect per capacity question."""
        names = ("max_limit", *self.deal.borrowing_base.terms)
        fns = [self.term(n) for n in names]
        starts = sorted(set().union(*(fn.starts for fn in fns)))
        self._capacity_values = [{f"term:{n}": fn.at(s) for n, fn in zip(names, fns, strict=True)} for s in starts]
        self._capacity_starts = starts

    def overadvance_limit(self, ordinal: int, term_loan_reserve: float | None) -> float:
        piece = self.term("overadvance_limit").piece(ordinal)
        value = piece.value
        if term_loan_reserve is not None and self.bounded_by_document(piece.document) == "term_loan_reserve":
            value = min(value, term_loan_reserve)
        return value

    def bounded_by_document(self, document: str | None) -> str | None:
        """What else bounds the overadvance limit in the version a document wrote (e.g. the reserve)."""
        for version in self.deal.terms["overadvance_limit"]:
            if version.document == document:
                return version.bounded_by
        return None

    def availability(self, ordinal: int, collateral, outstanding: float, deductions: float,
                     term_loan_reserve: float | None) -> float:
        return float(self.figures(ordinal, collateral, deductions, outstanding, term_loan_reserve)["def:availability"])

    # -- pricing -----------------------------------------------------------------------------
    def margin_term(self, facility: str) -> str:
        return self.deal.pricing["margin_terms"][facility]

    def rate_tree(self, facility: str):
        """The facility's rate as declared once (udfs.engine.pricing): index after floor and cap, plus the
        margin and any add-on."""
        return pricing.rate_tree(self.deal.pricing, facility)

    def rate_parts(self, ordinal: int, facility: str, prime_fn, prime_override: float | None) -> dict:
        """Each leaf of the facility's rate -> its value on the day (None: no value)."""
        values = {}
        for part in pricing.parts(self.rate_tree(facility)):
            if part.term is None:
                values[part] = prime_override if prime_override is not None else prime_fn.at(ordinal)
            else:
                values[part] = self.term(part.term).at(ordinal)
        return values

    def rate_at(self, ordinal: int, facility: str, prime_fn, prime_override: float | None):
        """The all-in rate on a day (None where the index or the margin has no value)."""
        values = self.rate_parts(ordinal, facility, prime_fn, prime_override)
        return pricing.evaluate(self.rate_tree(facility), values.get)

    def rate_segments(self, start: dt.date, end: dt.date, facility: str, prime_fn, prime_override: float | None):
        """[start, end) cut wherever a part of the rate changes (the index, its floor or cap, the margin, an
        add-on): (first ordinal, stop ordinal, the parts' values, the rate)."""
        tree = self.rate_tree(facility)
        first, stop = start.toordinal(), end.toordinal()
        cuts = {first, stop}
        for part in pricing.parts(tree):
            if part.term is not None:
                cuts |= {s for s in self.term(part.term).starts if first < s < stop}
            elif prime_override is None:
                cuts |= {s for s in prime_fn.starts if first < s < stop}
        cuts = sorted(cuts)
        for a, b in zip(cuts, cuts[1:]):
            values = self.rate_parts(a, facility, prime_fn, prime_override)
            rate = pricing.evaluate(tree, values.get)
            if rate is None:
                raise TermsError("start", f"{dt.date.fromordinal(a).isoformat()} has no rate in this view", NA)
            yield a, b, values, rate

    def interest(self, start: dt.date, end: dt.date, balance: float, facility: str,
                 prime_fn, prime_override: float | None, basis: int) -> float:
        """Sum over each day in [start, end) of balance x rate / basis, piece by piece."""
        return sum((balance * rate * (b - a) / basis
                    for a, b, _, rate in self.rate_segments(start, end, facility, prime_fn, prime_override)), 0.0)

    # -- fees, deadlines ---------------------------------------------------------------------
    def fee_lines(self) -> list:
        from udfs.engine import fees as fees_mod  # fees: imported by the questions that ask

        return fees_mod.fee_lines(self)

    def fee_working(self):
        """Each fee rule's state per installment (what `fee_lines` is the end of): a fees.FeeWorking."""
        from udfs.engine import fees as fees_mod  # imported by the questions that ask (terminal import time)

        return fees_mod.fee_working(self)

    def deadlines(self, as_of: dt.date | None = None) -> list[dict]:
        """The requirements set by documents in view, each with its status (see `deadline_status`)."""
        rows = []
        for item in self.deal.deadlines:
            if item.document not in self.visible or not self.deadline_in_term(item):
                continue
            status, ended = self.deadline_status(item, as_of)
            note = item.change_citation if ended else ""
            rows.append({"date": item.date, "item": item.item, "section": item.section,
                         "document": self.deal.document(item.document).title, "status": status,
                         "citation": item.citation + (f"; {note}" if note else "")})
        return rows

    def deadline_in_term(self, item) -> bool:
        """A deadline counts in this view unless it is an occurrence of a recurrence that runs to the term's
        end and falls after this view's end."""
        return item.occurrence is None or item.until is not None or item.date <= self.end

    def deadline_status(self, item, as_of: dt.date | None) -> tuple[str, bool]:
        """A requirement's status as of a date, and whether a later document ended it (DEADLINE_WORDS).

        Ended by a later document in view (and, given a date, signed on or before it): "replaced by ...",
        "deleted by ..." or "made moot by ..."; one met by events whose date passed undelivered before that
        document was signed says so first ("not delivered by D; then deleted by ..."). Without a date:
        otherwise "in force". With a date, for a requirement met by events (delivery: the last of them for
        "all", the first for "any"; a delivery after the date is not yet made): "met on D" (on or before
        the deadline), "met late on D", "not delivered by D" (not delivered by the close of the deadline
        day, the as-of date included, as the Maximum Limit's caps read it) or "open"; for a date only,
        which no input records: "date passed (not tracked)" or "open".
        """
        words = DEADLINE_WORDS
        delivered = self._delivered(item)
        missed = bool(item.met_by) and (delivered is None or delivered > item.date)
        ender = self.deal.document(item.ended_by) if item.ended_by else None
        if ender is not None and ender.id in self.visible and (as_of is None or ender.date <= as_of):
            ended = f"{item.ended_how} by {ender.title}"
            if as_of is not None and missed and item.date < ender.date:
                ended = f"{words['not_delivered']}{item.date.isoformat()}{words['then']}{ended}"
            return ended, True
        if as_of is None:
            return "in force", False
        if item.met_by:
            if delivered is not None and delivered <= as_of:
                return f"{words['met'] if delivered <= item.date else words['met_late']}{delivered.isoformat()}", False
            # at the close of the deadline day an undelivered item is missed, as the terms that
            # depend on it read it (a cap "unless delivered by" the date applies from that day)
            return (f"{words['not_delivered']}{item.date.isoformat()}" if as_of >= item.date else words["open"]), False
        return (words["date_passed"] if as_of > item.date else words["open"]), False

    def _delivered(self, item) -> dt.date | None:
        """When a requirement's events were delivered: the last of them ("all"), the first ("any"); None
        when not delivered, or when no event meets it."""
        if not item.met_by:
            return None
        days = [self.events.get(e) for e in item.met_by]
        if item.met_when == "any":
            done = [d for d in days if d is not None]
            return min(done) if done else None
        return None if None in days else max(days)


# The words of a deadline's status (View.deadline_status); the workbook's Deadlines formula writes the same.
DEADLINE_WORDS = {"met": "met on ", "met_late": "met late on ", "not_delivered": "not delivered by ",
                  "then": "; then ", "date_passed": "date passed (not tracked)", "open": "open",
                  "after_term": "after the term's end"}  # an occurrence a view does not list (the workbook's row)


class Terms:
    """A deal plus caches of its views and its prime table."""

    def __init__(self, deal: Deal):
        self.deal = deal
        self._views: dict = {}
        prime = deal.prime
        self.prime = table_function(prime["rates"], prime["citation"], prime["valid_from"],
                                    prime["valid_through"]) if prime else None

    def view(self, amended_through: dt.date | None, events: tuple, rules: Rules) -> View:
        # what the caller asked is part of the view (a day count given beside a reading it chose must
        # agree with it): two callers with the same choices, one asking and one not, get their own views
        key = (amended_through, events, rules.key, rules.asked)
        view = self._views.get(key)
        if view is None:
            if len(self._views) > 4096:  # many distinct event sets: keep memory bounded
                self._views.clear()
            view = self._views[key] = View(self.deal, amended_through, events, rules)
        return view

    def cutoffs(self) -> list[dt.date | None]:
        """Every distinct view by documents: amended through each document with terms, then all of them."""
        return [d.date for d in self.deal.documents if d.has_terms] + [None]

    def longest_end(self, events: tuple = (), rules: Rules | None = None) -> dt.date:
        """The latest Initial Term end over every view by documents: a schedule covering every view runs to it."""
        chosen = rules if rules is not None else rules_mod.resolve(self.deal, None)
        ends = []
        for at in self.cutoffs():
            try:
                ends.append(self.view(at, events, chosen).end)
            except TermsError:  # an ending event before a document this view counts: no such view exists
                continue
        return max(ends) if ends else self.longest_end((), chosen)

    def reach_end(self, events: tuple = ()) -> dt.date:
        """The latest Initial Term end that any view and any deliveries can give: the longest window with
        these events, or a later end a version or level step names (one that events can bring about, e.g.
        a cap on the term lifted by a delivery). The workbook's schedules run to it; each day past the
        term as the inputs have it is marked."""
        named = [v for version in self.deal.terms["initial_term_end"]
                 for v in (version.value, *(s.value for s in version.steps if s.kind == "level"))]
        return max([self.longest_end(events), *named])

    def prime_at(self, day: dt.date, argument: str = "date") -> float:
        if self.prime is None:
            raise TermsError(argument, "this deal has no prime rate table")
        value = self.prime.at(day.toordinal())
        if value is None:
            p = self.deal.prime
            raise TermsError(argument, f"{day.isoformat()} is outside the prime rate table "
                             f"({p['valid_from'].isoformat()} to {p['valid_through'].isoformat()})", NA)
        return value

    # severance does not depend on the LSA view
    def severance(self):
        if self.deal.severance is None:
            raise TermsError("deal", "this deal has no severance terms")
        return self.deal.severance

    def severance_schedule(self, salary: float, offsets, rules: Rules, order: str | None = None):
        sev = self.severance()
        reading = sev_mod.plan_reading(sev)
        words = dict(self.deal.interpretation(reading).choices) if reading else {}
        return sev_mod.schedule(sev, salary, offsets, rules, words, order)
