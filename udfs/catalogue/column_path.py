"""The column fast path: one question answered for many rows at once (`many`), with numpy where it is
there (udfs.engine.columns), else row by row; a row that fails holds its TermsError. Mixed into
udfs.catalogue.functions.Catalogue, which gives it the questions, `view`, `facility` and `_prime`."""

from __future__ import annotations

import datetime as dt

from udfs.catalogue.arguments import RATE_DECIMALS, is_table
from udfs.catalogue.spec import NAMES
from udfs.deal.errors import NA, TermsError
from udfs.engine import columns
from udfs.engine.lazy import HAVE_NUMPY, is_array, np
from udfs.engine.values import as_amount, as_collateral, as_date

_PLAIN_ARGS = {"events", "offsets", "collateral", "rules", "rule"}  # whole ranges: one value for every row
# Per-row arguments the numpy path does not take: with one of them given per row, every row goes alone.
_ROW_BY_ROW = {"facility", "prime", "term_loan_reserve", "amended_through"}
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


class ColumnPath:
    """`many`: a question over columns (see the module)."""

    def many(self, name: str, args: list, n: int) -> list:
        """`name` answered for n rows at once.

        `args` follow the function's order; each is a plain value (every row) or a list of n values
        (one per row). Events, offsets and rules are always plain. A row that fails holds its
        TermsError (returned, not raised), so one bad row does not spoil the column.
        """
        if name not in NAMES:
            raise TermsError("function", f"unknown function {name!r}")
        import inspect  # costly to import: only columns need it

        method = getattr(self, name)
        names = list(inspect.signature(method).parameters)
        if len(args) > len(names):
            raise TermsError(name, f"takes at most {len(names)} arguments; got {len(args)}")
        bound = dict(zip(names, args))
        rows = {k for k, v in bound.items()
                if (isinstance(v, list) or is_array(v)) and k not in _PLAIN_ARGS
                and not (k == "prime" and is_table(v))}
        for key in rows:
            if len(bound[key]) != n:
                raise TermsError(key, f"has {len(bound[key])} rows; expected {n}")
        if name in _COLUMN_FUNCTIONS and not rows & _ROW_BY_ROW:
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
