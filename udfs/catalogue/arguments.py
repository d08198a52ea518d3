"""The questions' arguments the engine's as_* readers (udfs.engine.values) do not cover: an optional
date, the three deductions, a rate given as a fraction, a prime table given as date|rate rows. (The
terminal's pre-check of typed arguments is udfs.catalogue.argument_checks.)"""

from __future__ import annotations

from udfs.deal.errors import TermsError
from udfs.engine.values import as_amount, as_date

RATE_DECIMALS = 10  # rates are whole hundredths of a basis point at most: drop binary noise like 0.10250000000000001
DAY_COUNTS = {"actual/360": 360, "act/360": 360, "360": 360, "actual/365": 365, "act/365": 365, "365": 365}
INF = float("inf")


def is_table(value) -> bool:
    """A date|rate table (dict or rows of pairs), as opposed to one rate or a column of rates."""
    if isinstance(value, dict):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(row, (list, tuple)) for row in value)


def prime_rows(value, argument):
    rows = []
    for row in value:
        if not isinstance(row, (list, tuple)) or len(row) != 2:
            raise TermsError(argument, f"{row!r} is not a date|rate pair")
        if all(cell is None or cell == "" for cell in row):
            continue
        rows.append(row)
    return rows


def optional_date(value, argument):
    if isinstance(value, str) and not value.strip():
        return None
    return as_date(value, argument)


def total_deductions(acceptances, guaranties, letters_of_credit) -> float:
    if guaranties is None and letters_of_credit is None:
        if acceptances is None:
            return 0.0
        if type(acceptances) is float and 0.0 <= acceptances < INF:
            return acceptances
    return (as_amount(acceptances, "acceptances", default=0.0) + as_amount(guaranties, "guaranties", default=0.0)
            + as_amount(letters_of_credit, "letters_of_credit", default=0.0))


def rate_fraction(value, argument) -> float:
    rate = as_amount(value, argument)
    if rate >= 1:
        raise TermsError(argument, f"{value!r} looks like a percentage; give rates as fractions (0.0425 = 4.25%)")
    return rate
