"""Load-time proof that a deal answers: every term, every day of its window, in every reading.

parse_deal calls check() last. It builds the engine's views (the default view and one for each
switchable reading's other choices) and asks each the questions a user can ask, so that a file
that loads never fails at the first question that trips on it. A failure is a DealFileError
naming the field to fix.
"""

from __future__ import annotations

import datetime as dt

from udfs.deal.errors import DealFileError, TermsError
from udfs.deal.records import TERM_KINDS, Deal
from udfs.engine.pricing import part_terms
from udfs.engine.rules import Rules, defaults
from udfs.engine.terms import Terms


def reading_variants(deal: Deal) -> list[tuple[str, Rules]]:
    """The default readings, then each switchable reading's other choices one at a time."""
    base = defaults(deal)
    variants = [("", Rules(base))]
    for interp in deal.interpretations:
        for choice in interp.choices:
            if choice != base[interp.name]:
                variants.append((f" with {interp.name} = {choice}", Rules({**base, interp.name: choice})))
    return variants


def _day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def check(deal: Deal) -> None:
    terms = Terms(deal)

    def fail(field: str, reason: str):
        raise DealFileError(deal.path, field, reason)

    for label, rules in reading_variants(deal):
        try:
            view = terms.view(None, (), rules)
        except TermsError as exc:
            fail("terms.initial_term_end", f"the view with every document{label}: {exc.reason}")
        lo, hi = view.lo, view.hi
        if hi < lo:
            fail("terms.initial_term_end", f"the Initial Term ends {_day(hi)}, before the window's start "
                 f"{_day(lo)} (window.start)")
        for name in _required_terms(deal):
            _check_defined(view, name, lo, hi, f"the view with every document{label}", fail)
        if deal.pricing.get("margin_terms"):
            _check_prime(deal, terms, lo, hi, fail)
        try:
            view.fee_lines()
            view.deadlines()
            if deal.severance is not None:
                terms.severance_schedule(0.0, (), rules)
        except TermsError as exc:
            fail(exc.argument, exc.reason)
    _check_earlier_views(deal, terms, fail)
    _check_events(deal, terms)


def _required_terms(deal: Deal) -> list[str]:
    """The terms that must have a value on every day of the window: all but a floor, a cap or an add-on of
    the pricing, which simply do not apply on a day no document in view defines them, and the borrowing
    base's terms after its first rate (a component, a sublimit or a reserve counts zero or none there)."""
    optional = {term for term, role in part_terms(deal.pricing).items() if role != "margin"}
    optional |= deal.borrowing_base.optional_terms  # a component, sublimit or reserve not yet in force
    return [name for name in deal.terms if name not in optional]


def _check_earlier_views(deal: Deal, terms: Terms, fail) -> None:
    """Each view amended through a document with terms answers too: the terms the engine computes with
    (Maximum Limit, advance rate, Overadvance limit, term end) on every day of that view's window.
    A margin may be missing there (a facility a later document adds): that question is refused by name."""
    rules = Rules(defaults(deal))  # readings change values, never whether a term has one
    for doc in deal.documents:
        if not doc.has_terms:
            continue
        label = f"the view amended through {doc.title} ({doc.date})"
        try:
            view = terms.view(doc.date, (), rules)
            view.fee_lines()
            view.deadlines()
        except TermsError as exc:
            fail("terms.initial_term_end" if exc.argument == "amended_through" else exc.argument,
                 f"{label}: {exc.reason}")
        for name in TERM_KINDS:
            _check_defined(view, name, view.lo, view.hi, label, fail)


def _check_defined(view, name: str, lo: int, hi: int, view_name: str, fail) -> None:
    """The term has a value on every day from lo to hi: at lo, and in every piece that starts inside."""
    fn = view.term(name)
    gaps = []
    if fn.at(lo) is None:
        gaps.append(lo)
    for piece in fn.pieces:
        if lo < piece.start <= hi and piece.value is None:
            gaps.append(piece.start)
    if gaps:
        fail(f"terms.{name}", f"has no value on {_day(gaps[0])}, inside the window {_day(lo)} to {_day(hi)} "
             f"({view_name}); add a version that covers it")


def _check_prime(deal: Deal, terms: Terms, lo: int, hi: int, fail) -> None:
    prime = terms.prime
    for ordinal in (lo, hi):
        if prime.at(ordinal) is None:
            fail("prime.valid_through" if ordinal == hi else "prime.valid_from",
                 f"the prime table ({deal.prime['valid_from']} to {deal.prime['valid_through']}) does not cover "
                 f"{_day(ordinal)}, inside the window {_day(lo)} to {_day(hi)}")


def _check_events(deal: Deal, terms: Terms) -> None:
    """With every event delivered after the last document (so that an ending event ends nothing in view),
    and with every other event delivered on the last document's date (steps dated by events then fall
    inside the versions), the terms and the fees still answer."""
    if not deal.events:
        return
    last = max(d.date for d in deal.documents)
    base = terms.view(None, (), Rules(defaults(deal)))
    day = max(last, dt.date.fromordinal(base.hi))
    early = tuple(sorted((name, last) for name, info in deal.events.items() if not info.get("ends_agreement")))
    for events, when in ((tuple(sorted((name, day) for name in deal.events)), day), (early, last)):
        _check_with(deal, terms, events, when)


def _check_with(deal: Deal, terms: Terms, events: tuple, day: dt.date) -> None:
    def fail(field: str, reason: str):
        raise DealFileError(deal.path, field, f"with every event delivered {day}: {reason}")

    for label, rules in reading_variants(deal):
        try:
            view = terms.view(None, events, rules)
            view.fee_lines()
        except TermsError as exc:
            fail(exc.argument, exc.reason)
        for name in _required_terms(deal):
            _check_defined(view, name, view.lo, view.hi, f"the view with every document{label}", fail)
