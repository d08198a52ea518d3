"""Prime, margins, rates and interest under the pricing grids of No. 10 B.2 and No. 11 B.2, worked by hand
(see tests/worked.py for the clauses)."""


import pytest
from worked import (
    frac,
    money,
)

from udfs.catalogue.functions import (
    LSA_INTEREST,
    LSA_MARGIN,
    LSA_PRIME,
    LSA_RATE,
)


# ---------------------------------------------------------------------------
# Prime, margin, rate
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "date,expected",
    [
        ("2002-10-01", 0.0475),  # 4.75% since 2001-12-12
        ("2002-11-06", 0.0475),
        ("2002-11-07", 0.0425),  # 4.25% from 2002-11-07
        ("2002-11-08", 0.0425),
        ("2002-12-31", 0.0425),
    ],
)
def test_prime(date, expected):
    assert LSA_PRIME(date) == frac(expected)


@pytest.mark.parametrize(
    "date,facility,amended_through,expected",
    [
        ("2002-10-01", "advances", None, 0.035),   # No.10 B.2 advances +3.5%
        ("2002-10-01", "term loan", None, 0.040),  # No.10 B.2 term loan +4.0%
        ("2002-11-06", "advances", None, 0.035),   # No.11 grid starts 11-07
        ("2002-11-06", "term loan", None, 0.040),
        ("2002-11-07", "advances", None, 0.060),   # No.11 B.2 retroactive from 11-07
        ("2002-11-07", "term loan", None, 0.060),
        ("2002-11-11", "advances", None, 0.060),
        ("2002-11-12", "term loan", None, 0.060),
        ("2002-12-31", "advances", None, 0.060),
        ("2002-11-07", "advances", "2002-11-11", 0.035),   # No.10 view keeps 3.5%
        ("2002-11-07", "term loan", "2002-11-11", 0.040),  # No.10 view keeps 4.0%
        ("2002-11-11", "advances", "2002-11-11", 0.035),
        ("2002-12-31", "term loan", "2002-11-11", 0.040),
        ("2002-11-07", "advances", "2002-11-12", 0.060),   # No.11 in view
        ("2002-11-20", "Advances", None, 0.060),           # case-insensitive facility
        ("2002-10-15", "TERM LOAN", None, 0.040),
        ("2002-10-15", "term_loan", None, 0.040),
        ("2002-10-15", "Term Loan", None, 0.040),
    ],
)
def test_margin(date, facility, amended_through, expected):
    assert LSA_MARGIN(date, facility, amended_through=amended_through) == frac(expected)


@pytest.mark.parametrize(
    "date,facility,prime,amended_through,expected",
    [
        ("2002-10-15", "advances", None, None, 0.0825),     # 4.75 + 3.5
        ("2002-10-15", "term loan", None, None, 0.0875),    # 4.75 + 4.0
        ("2002-11-06", "advances", None, None, 0.0825),     # 4.75 + 3.5
        ("2002-11-06", "term loan", None, None, 0.0875),
        ("2002-11-07", "advances", None, None, 0.1025),     # 4.25 + 6.0
        ("2002-11-07", "term loan", None, None, 0.1025),    # 4.25 + 6.0
        ("2002-11-08", "advances", None, None, 0.1025),
        ("2002-11-07", "advances", None, "2002-11-11", 0.0775),   # 4.25 + 3.5 (No.10 view)
        ("2002-11-07", "term loan", None, "2002-11-11", 0.0825),  # 4.25 + 4.0
        ("2002-11-06", "advances", None, "2002-11-11", 0.0825),   # 4.75 + 3.5
        ("2002-10-15", "term loan", 0.05, None, 0.09),      # override 5.0 + 4.0
        ("2002-11-20", "advances", 0.05, None, 0.11),       # override 5.0 + 6.0
        ("2002-11-20", "advances", 0.05, "2002-11-11", 0.085),  # override 5.0 + 3.5
    ],
)
def test_rate(date, facility, prime, amended_through, expected):
    assert LSA_RATE(date, facility, prime=prime, amended_through=amended_through) == frac(expected)


# ---------------------------------------------------------------------------
# LSA_INTEREST: sum over start <= d < end of balance * rate(d) / basis
# ---------------------------------------------------------------------------
def test_interest_cross_1107_actual360():
    # 11-01..11-14 (14 days), 1,000,000 advances
    # 11-01..11-06: 6 d x 8.25% -> 6 x 82,500 = 495,000
    # 11-07..11-14: 8 d x 10.25% (prime 4.25 + No.11 6.0) -> 8 x 102,500 = 820,000
    # (495,000 + 820,000) / 360 = 3,652.777...
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "advances") == money(3652.777778)
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "advances",
                        day_count="actual/360") == money(3652.777778)


def test_interest_cross_1107_actual365():
    # same day-weights: 1,315,000 / 365 = 3,602.739726...
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "advances",
                        day_count="actual/365") == money(3602.739726)


def test_interest_cross_1107_no10_view():
    # No.10 margins only: 6 x 82,500 + 8 x (4.25+3.5=7.75% -> 77,500)
    # = 495,000 + 620,000 = 1,115,000 / 360 = 3,097.222...
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "advances",
                        amended_through="2002-11-11") == money(3097.222222)
    # term loan, No.10 view: 6 x 87,500 + 8 x (4.25+4.0=8.25% -> 82,500)
    # = 525,000 + 660,000 = 1,185,000 / 360 = 3,291.666...
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "term loan",
                        amended_through="2002-11-11") == money(3291.666667)


def test_interest_term_loan_cross_1107():
    # 6 x (4.75+4.0=8.75% -> 87,500) + 8 x 102,500 = 525,000 + 820,000 = 1,345,000 / 360
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "term loan") == money(3736.111111)
    # 11-05..11-09, 2,000,000 term loan, actual/365:
    # 2 d x 2M x 8.75% = 350,000 ; 3 d x 2M x 10.25% = 615,000 ; 965,000 / 365 = 2,643.835616
    assert LSA_INTEREST("2002-11-05", "2002-11-10", 2_000_000, "term_loan",
                        day_count="actual/365") == money(2643.835616)


def test_interest_prime_override():
    # prime fixed 5%: 6 d x (5+3.5=8.5% -> 85,000) + 8 d x (5+6=11% -> 110,000)
    # = 510,000 + 880,000 = 1,390,000 / 360 = 3,861.111...
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 1_000_000, "advances",
                        prime=0.05) == money(3861.111111)


def test_interest_other_windows():
    # 10-01..10-30 (30 d), 500,000 advances at 8.25%: 30 x 41,250 / 360 = 3,437.50
    assert LSA_INTEREST("2002-10-01", "2002-10-31", 500_000, "advances") == money(3437.50)
    # 11-06 and 11-07 only: (82,500 + 102,500) / 360 = 513.888...
    assert LSA_INTEREST("2002-11-06", "2002-11-08", 1_000_000, "advances") == money(513.888889)
    # whole term 10-01..12-30: 37 d x 82,500 + 54 d x 102,500 = 3,052,500 + 5,535,000
    # = 8,587,500 / 360 = 23,854.1666...
    assert LSA_INTEREST("2002-10-01", "2002-12-31", 1_000_000, "advances") == money(23854.166667)
    # empty window
    assert LSA_INTEREST("2002-11-10", "2002-11-10", 1_000_000, "advances") == money(0)
    # zero balance
    assert LSA_INTEREST("2002-11-01", "2002-11-15", 0, "advances") == money(0)
