"""Whole columns at once: the same answers as the scalar questions, for arrays of day ordinals.

Excel passes whole columns; a Python call per row would cost microseconds each, a searchsorted
over a compiled step function costs nanoseconds. Rows outside the encoded terms come back as NaN
together with a mask, so the caller can put an error in just those rows.
"""

from __future__ import annotations

from . import pricing
from .lazy import np
from .terms import View, availability_rule


def in_terms(view: View, ordinals: np.ndarray) -> np.ndarray:
    return (ordinals >= view.lo) & (ordinals <= view.hi)


def term(view: View, name: str, ordinals: np.ndarray) -> np.ndarray:
    values = view.term(name).at_many(ordinals)
    return np.where(in_terms(view, ordinals), values, np.nan)


def capacity(view: View, ordinals: np.ndarray, receivables, deductions) -> np.ndarray:
    limit = term(view, "max_limit", ordinals)
    rate = term(view, "advance_rate", ordinals)
    result = np.minimum(limit, rate * receivables) - deductions
    if view.rules.chosen.get("capacity_floor") == "floor_zero":
        result = np.maximum(result, 0.0)
    return result


def overadvance_limit(view: View, ordinals: np.ndarray, term_loan_reserve=None) -> np.ndarray:
    values = term(view, "overadvance_limit", ordinals)
    if term_loan_reserve is None:
        return values
    fn = view.term("overadvance_limit")
    bounded = np.array([False] + [view.bounded_by_document(p.document) == "term_loan_reserve"
                                  for p in fn.pieces])
    index = np.searchsorted(np.asarray(fn.starts, dtype=np.int64), ordinals, side="right")
    return np.where(bounded[index], np.minimum(values, term_loan_reserve), values)


def availability(view: View, ordinals: np.ndarray, receivables, outstanding, deductions,
                 term_loan_reserve=None) -> np.ndarray:
    return availability_rule(view.rules, term(view, "max_limit", ordinals), term(view, "advance_rate", ordinals),
                             receivables, overadvance_limit(view, ordinals, term_loan_reserve), deductions,
                             outstanding)


def margin(view: View, ordinals: np.ndarray, facility: str) -> np.ndarray:
    return term(view, view.margin_term(facility), ordinals)


def prime(prime_fn, ordinals: np.ndarray) -> np.ndarray:
    return prime_fn.at_many(ordinals)


def rate(view: View, ordinals: np.ndarray, facility: str, prime_values) -> np.ndarray:
    """The all-in rate (udfs.engine.pricing's tree) on each day; `prime_values` an array or one rate."""
    index = np.broadcast_to(np.asarray(prime_values, dtype=float), ordinals.shape)

    def value(part):
        return index if part.term is None else term(view, part.term, ordinals)

    result = pricing.evaluate_many(view.rate_tree(facility), value, np)
    return np.where(in_terms(view, ordinals), result, np.nan)
