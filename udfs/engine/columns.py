"""Whole columns at once: the same answers as the scalar questions, for arrays of day ordinals.

Excel passes whole columns; a Python call per row would cost microseconds each, a searchsorted
over a compiled step function costs nanoseconds. Rows outside the encoded terms come back as NaN
together with a mask, so the caller can put an error in just those rows.
"""

from __future__ import annotations

from udfs.engine import borrowing_base, pricing
from udfs.engine.lazy import np
from udfs.engine.terms import View


def in_terms(view: View, ordinals: np.ndarray) -> np.ndarray:
    return (ordinals >= view.lo) & (ordinals <= view.hi)


def term(view: View, name: str, ordinals: np.ndarray) -> np.ndarray:
    values = view.term(name).at_many(ordinals)
    return np.where(in_terms(view, ordinals), values, np.nan)


def figures(view: View, ordinals: np.ndarray, collateral, deductions, outstanding=None, term_loan_reserve=None,
            stop: str = "availability") -> dict:
    """The borrowing base's figures for a column of days (View.figures, with numpy columns)."""
    base = view.deal.borrowing_base
    terms = {f"term:{name}": term(view, name, ordinals) for name in ("max_limit", *base.terms)}
    overadvance = overadvance_limit(view, ordinals, term_loan_reserve) if stop == "availability" else None
    return borrowing_base.evaluate(base, view.definitions, terms, collateral, deductions, view.rules.chosen,
                                   outstanding, overadvance, stop)


def capacity(view: View, ordinals: np.ndarray, collateral, deductions) -> np.ndarray:
    return figures(view, ordinals, collateral, deductions, stop="capacity")["def:capacity"]


def overadvance_limit(view: View, ordinals: np.ndarray, term_loan_reserve=None) -> np.ndarray:
    values = term(view, "overadvance_limit", ordinals)
    if term_loan_reserve is None:
        return values
    fn = view.term("overadvance_limit")
    bounded = np.array([False] + [view.bounded_by_document(p.document) == "term_loan_reserve"
                                  for p in fn.pieces])
    index = np.searchsorted(np.asarray(fn.starts, dtype=np.int64), ordinals, side="right")
    return np.where(bounded[index], np.minimum(values, term_loan_reserve), values)


def availability(view: View, ordinals: np.ndarray, collateral, outstanding, deductions,
                 term_loan_reserve=None) -> np.ndarray:
    return figures(view, ordinals, collateral, deductions, outstanding, term_loan_reserve)["def:availability"]


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
