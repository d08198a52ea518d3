"""The deal's records: checked, immutable values, and the names of what the engine reads by name.

A leaf: no I/O, and no import of the rest of the engine. udfs.engine.loading reads a deal file into
these (udfs.engine.deal_reader does the reading); the engine computes with them.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cached_property

__all__ = ["ENGINE_READINGS", "MAX_FILE_BYTES", "TERM_KINDS", "Deadline", "Deal", "Document", "FeeRule",
           "Installment", "Interpretation", "Step", "Version", "kinds_of_terms"]

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


def kinds_of_terms(pricing: dict) -> dict:
    """Each term's value kind ("amount", "fraction" or "date"): TERM_KINDS, and each facility's margin
    term (pricing.margin_terms) a fraction. The reader checks values by it; the workbook formats by it."""
    return dict(TERM_KINDS) | {term: "fraction" for term in pricing.get("margin_terms", {}).values()}


# The deal's records are named tuples, not dataclasses: every question loads them, and creating a
# dataclass costs more import time than answering (bench/bench_cli.py). Immutable either way.
class Document(namedtuple("Document", "id short title date terms_known is_lsa citation changes")):
    __slots__ = ()

    @property
    def has_terms(self) -> bool:
        """A document of the agreement (not a side letter) whose terms this file holds: one that can be
        the view's last amendment, and whose versions count."""
        return self.is_lsa and self.terms_known


class Step(namedtuple("Step", "kind date value citation requires late_delivery unless unless_by",
                      defaults=((), "effective_on_delivery", (), None))):
    """`kind`: "level" or "cap"; `requires`: events the step waits for; `late_delivery`:
    "effective_on_delivery" or "lapse", or a choice map; `unless` (by `unless_by`): events that undo it."""

    __slots__ = ()


class Version(namedtuple("Version", "document start end value citation steps bounded_by", defaults=((), None))):
    __slots__ = ()


class Installment(namedtuple("Installment",
                             "fee component key fee_label component_label document date amount citation")):
    """`key`: "fee/component"."""

    __slots__ = ()


class FeeRule(namedtuple("FeeRule", "kind document components citation params")):
    __slots__ = ()


class Deadline(namedtuple("Deadline",
                          "id date item section document citation ended_by ended_how change_citation met_by met_when",
                          defaults=((), "all"))):
    """`ended_by`: the document that replaced, deleted or mooted the requirement (or None);
    `ended_how`: "replaced", "deleted" or "made moot"; `met_by`: the events whose delivery satisfies it
    (empty: a date only); `met_when`: "all" of them, or "any" one."""

    __slots__ = ()


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
        "pricing", "prime", "installments", "fees", "fee_rules", "deadlines", "severance", "interpretations"])):
    """A loaded deal. Its own __dict__ (no __slots__) holds cached lookups."""

    def document(self, doc_id: str) -> Document:
        return self._documents_by_id[doc_id]

    @cached_property
    def _documents_by_id(self) -> dict:
        return {d.id: d for d in self.documents}

    @cached_property
    def term_kinds(self) -> dict:
        """Term name -> its value kind (kinds_of_terms)."""
        return kinds_of_terms(self.pricing)

    def interpretation(self, name: str) -> Interpretation:
        for interp in self.interpretations:
            if interp.name == name:
                return interp
        raise KeyError(name)
