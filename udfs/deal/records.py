"""The deal's records: checked, immutable values, and the names of what the engine reads by name.

A leaf: no I/O, and no import of the rest of the engine. udfs.loading.deal_file reads a deal file into
these (udfs.deal.reader does the reading); the engine computes with them.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cached_property

# The deal's records are named tuples, not dataclasses: every question loads them, and creating a
# dataclass costs more import time than answering (bench/bench_cli.py). Immutable either way. The engine's
# own records (a schedule, an explanation, a fee line) are named tuples for the same reason: see here.

__all__ = ["BORROWING_BASE_DEFAULT", "DEDUCTION_INPUTS", "ENGINE_READINGS", "FIRST_COMPONENT", "MAX_FILE_BYTES",
           "TERM_KINDS", "BorrowingBase", "Component", "Deadline", "Deal", "Document", "FeeRule", "FeeSource",
           "Installment", "Interpretation", "Provision", "Reserve", "Severance", "SeverancePlan", "Step", "Version",
           "kinds_of_terms", "part_terms"]

MAX_FILE_BYTES = 2 * 1024 * 1024  # a deal file is a few hundred lines: far beyond this is a mistake

# Interpretations the engine reads by name (not through a {interpretation = ...} map): their choices.
ENGINE_READINGS = {
    "capacity_floor": ("negative_allowed", "floor_zero"),
    "availability_overadvance": ("include_overadvance", "exclude_overadvance"),
    "deductions_and_max_limit": ("reduce_both_sides", "max_limit_caps_advances_only"),
}
# The value kind of each term the engine asks for by name; margin terms (named in pricing.margin_terms)
# are fractions.
TERM_KINDS = {"max_limit": "amount", "advance_rate": "fraction", "overadvance_limit": "amount",
              "initial_term_end": "date"}


def part_terms(pricing: dict) -> dict[str, str]:
    """Every term the pricing names -> its role (margin, floor, cap, add_on): all fractions."""
    roles = {term: "margin" for term in pricing.get("margin_terms", {}).values()}
    for key, role in (("index_floor_term", "floor"), ("index_cap_term", "cap")):
        if pricing.get(key):
            roles.setdefault(pricing[key], role)
    for terms in pricing.get("add_on_terms", {}).values():
        for term in terms:
            roles.setdefault(term, "add_on")
    return roles


def kinds_of_terms(pricing: dict, borrowing_base=None) -> dict:
    """Each term's value kind ("amount", "fraction" or "date"): TERM_KINDS; the pricing's terms (margins,
    floor, cap, add-ons) fractions; the borrowing base's rates fractions, its sublimits and reserves
    amounts. The reader checks values by it; the workbook formats by it."""
    kinds = dict(TERM_KINDS) | {term: "fraction" for term in part_terms(pricing)}
    if borrowing_base is not None:
        for c in borrowing_base.components:
            kinds[c.rate_term] = "fraction"
            if c.sublimit_term:
                kinds[c.sublimit_term] = "amount"
        kinds.update({r.term: "amount" for r in borrowing_base.reserves})
    return kinds


DEDUCTION_INPUTS = ("acceptances", "guaranties", "letters_of_credit")
FIRST_COMPONENT = "receivables"  # its figure is the questions' `receivables` argument


class Component(namedtuple("Component", "id label rate_term sublimit_term citation document",
                           defaults=(None, "", None))):
    """One kind of collateral: the borrower reports `id`'s figure; it counts at the rate `rate_term`
    gives that day, at most `sublimit_term` (None: no sublimit). On a day its rate term has no value (the
    document adding it not yet in force, or not counted) it counts zero; a day without a sublimit value
    has no sublimit."""

    __slots__ = ()


class Reserve(namedtuple("Reserve", "term label citation", defaults=("",))):
    """An effective-dated amount deducted from Borrowing Capacity (zero on a day its term has no value)."""

    __slots__ = ()


class BorrowingBase(namedtuple("BorrowingBase", "components reserves citation", defaults=((), ""))):
    __slots__ = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term the borrowing base reads (besides max_limit and overadvance_limit)."""
        names = []
        for c in self.components:
            names += [c.rate_term] + ([c.sublimit_term] if c.sublimit_term else [])
        return tuple(dict.fromkeys(names + [r.term for r in self.reserves]))

    @property
    def optional_terms(self) -> frozenset:
        """Terms that may have no value on some days of the window: they count as zero (or no sublimit)."""
        first = self.components[0].rate_term if self.components else None
        return frozenset(t for t in self.terms if t != first)


BORROWING_BASE_DEFAULT = BorrowingBase((Component(FIRST_COMPONENT, "Receivables", "advance_rate"),))


class Document(namedtuple("Document", "id short title date terms_known is_lsa citation changes")):
    __slots__ = ()

    @property
    def has_terms(self) -> bool:
        """A document of the agreement (not a side letter) whose terms this file holds: one that can be
        the view's last amendment, and whose versions count."""
        return self.is_lsa and self.terms_known


class Step(namedtuple("Step", "kind date value citation requires late_delivery unless unless_by on_event",
                      defaults=((), "effective_on_delivery", (), None, None))):
    """`kind`: "level" or "cap"; `date`: the day it takes effect, or None for a step dated by an event
    (`on_event`: it takes effect on that event's date, never while the event is absent); `requires`: events
    the step waits for; `late_delivery`: "effective_on_delivery" or "lapse", or a choice map; `unless`
    (by `unless_by`): events that undo it."""

    __slots__ = ()


class Version(namedtuple("Version", "document start end value citation steps bounded_by", defaults=((), None))):
    __slots__ = ()


class Installment(namedtuple("Installment",
                             "fee component key fee_label component_label document date amount citation source",
                             defaults=(None,))):
    """`key`: "fee/component"; `source`: None for an installment the deal lists, else the FeeSource that
    generates it (its date and amount may then depend on the view: udfs.deal.fee_sources)."""

    __slots__ = ()


class FeeSource(namedtuple("FeeSource", "kind params citation")):
    """A rule that generates a component's installments: kind "recurring", "percent_of" or "tiered",
    with its checked keys (`params`); see udfs.deal.fee_sources."""

    __slots__ = ()


class Provision(namedtuple("Provision", "id document title text citation kind")):
    """A clause recorded for readers that no question computes (a covenant, a release, a reporting duty)."""

    __slots__ = ()


class FeeRule(namedtuple("FeeRule", "kind document components citation params")):
    __slots__ = ()


class Deadline(namedtuple("Deadline",
                          "id date item section document citation ended_by ended_how change_citation met_by met_when "
                          "recurrence until occurrence",
                          defaults=((), "all", None, None, None))):
    """`ended_by`: the document that replaced, deleted or mooted the requirement (or None);
    `ended_how`: "replaced", "deleted" or "made moot"; `met_by`: the events whose delivery satisfies it
    (empty: a date only); `met_when`: "all" of them, or "any" one. A recurring deadline (`recurrence`: rrule
    arguments, from `date` through `until` or the term's end in each view) is listed once per occurrence,
    each a Deadline with `occurrence` its number (1, 2, ...) and `date` its own date."""

    __slots__ = ()


class SeverancePlan(namedtuple("SeverancePlan", "name parts dates")):
    """One installment plan of a severance letter: `parts` installments due on `dates` (increasing)."""

    __slots__ = ()


class Severance(namedtuple("Severance", [
        "letter_date", "salary_through", "months_of_salary", "months_citation",
        "plan",  # a plan's name, or a reading map {interpretation = ..., choice = plan name}
        "plans",  # plan name -> SeverancePlan, in the file's order
        "offset_from", "offset_through", "offset_citation",
        "offset_order", "late_rate", "late_grace_days", "late_basis_days", "late_start",  # orders: words or maps
        "outplacement_cap",
        # optional: None (a date, a count, the letter's document) or "" (a text) when the file leaves it out
        "document", "employee", "employer", "salary_through_citation", "late_citation", "insurance_through",
        "insurance_citation", "auto_lease_through", "auto_lease_citation", "outplacement_months",
        "election_citation", "transition_support_through", "transition_citation", "employment_agreement_date",
        "release_citation"],
        defaults=(None, "", "", "", "", None, "", None, "", None, "", None, "", None, ""))):
    """A severance letter's terms (the deal file's [severance], checked): salary paid in installments
    under the plan in force (udfs.engine.severance.plan_in_force), offsets, late interest, the election."""

    __slots__ = ()

    def in_payment_period(self, day) -> bool:
        """The letter's payment period: from its date through the last day compensation offsets."""
        return self.letter_date <= day <= self.offset_through

    @property
    def payment_period(self) -> str:
        return f"{self.letter_date.isoformat()} to {self.offset_through.isoformat()}"


class Interpretation(namedtuple("Interpretation",
                                "name default citation question rationale choices how_to_vary title",
                                defaults=("", ""))):
    """`choices`: choice name -> description; empty for a recorded reading without a switch."""

    __slots__ = ()


class Deal(namedtuple("Deal", [
        "path", "content_hash", "raw", "id", "name", "short_name", "version", "window_start",
        "window_start_citation", "documents", "parties",
        "events",  # name -> {label, citation}
        "facilities",  # name -> {label, aliases}
        "terms",  # term name -> tuple[Version, ...]
        "pricing", "prime", "installments", "fees", "fee_rules", "deadlines", "severance", "interpretations",
        "borrowing_base", "provisions"], defaults=(BORROWING_BASE_DEFAULT, ()))):
    """A loaded deal. Its own __dict__ (no __slots__) holds cached lookups. `borrowing_base`: a
    BorrowingBase (its components and reserves); `severance`: a Severance, or None; `provisions`: clauses
    recorded for readers that no question computes."""

    def document(self, doc_id: str) -> Document:
        return self._documents_by_id[doc_id]

    @cached_property
    def _documents_by_id(self) -> dict:
        return {d.id: d for d in self.documents}

    @cached_property
    def term_kinds(self) -> dict:
        """Term name -> its value kind (kinds_of_terms)."""
        return kinds_of_terms(self.pricing, self.borrowing_base)

    def interpretation(self, name: str) -> Interpretation:
        for interp in self.interpretations:
            if interp.name == name:
                return interp
        raise KeyError(name)
