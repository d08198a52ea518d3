"""A made-up later amendment, added as data only, answered by hand (issue 8, item 3).

tests/data/amendment-12.md is an invented Amendment No. 12 dated 2002-12-20; tests/data/deal_with_amendment_12.toml
is the embedded deal plus that amendment, written with the deal file's existing constructs. Every expected value
below is worked out by hand from the documents (Amendments No. 10 and 11, the invented No. 12) and README.md's
definitions, never read from the engine. The arithmetic is in the comments.

Facts used (A12 = the invented Amendment No. 12, dated and signed 2002-12-20):
  A10 B.3    Initial Term ends 2002-12-31.           A12 2.1   ... ends 2003-03-31, from 2002-12-20.
  A11 B.1    Maximum Limit 2.0M from 2002-11-12; 2.3M from 11-15 on two deliveries; 1.75M on 11-22 unless two
             more by 11-22; at most 2.0M from 12-02; 1.75M from 12-09 in any event.  Advance rate 85%.
  A12 2.2    Maximum Limit replaced from 2002-12-20: (a) 1.5M; (b) 1.9M from 2003-01-15 on the Refinancing
             Commitment Letter (late: from delivery by default, `step_lapses` = no increase); (c) at most 1.25M
             from 2003-03-01 unless the Escrow Confirmation by 2003-02-28 (a late one does not lift it).
  A12 2.3    advance rate 80% from 2002-12-20.
  A11 B.2    margins prime + 6.0% (both) from 2002-11-07.
  A12 2.4    margins from 2002-12-16 (before signing) to 2003-03-31: Advances prime + 6.5%, Term Loan prime + 7.0%.
  Prime      H.15 4.25% from 2002-11-07 to 2003-06-26.  Interest: each day start .. end-1, Actual/360.
  A10 A.3    Base Fee 15k 10-01, 15k 11-15, 30k 12-16, 40k 12-31; Additional Fee (25k 10-31, 25k 11-27);
             installments after a Full Payment Date before the Initial Term's end waived.
  A11 A.3    25k amendment fee and the unpaid Base Fee (11-15, 12-16, 12-31) due 2002-12-31 or an earlier full
             payment; Additional Fee waived.  So by default: 15k on 10-01, 15+30+40+25 = 110k on 12-31.
  A12 3      Extension Fee No. 2: 30k on 2003-01-31, 30k on 2003-02-28; installments scheduled after a Full
             Payment made before 2003-03-31 waived; the 2003-02-28 one waived if the Commitment Letter arrives
             on or before 2003-02-14.
  A12 2.6    Texas auction (Section 10.21) moved from 2002-12-17 (A11 B.4) to 2003-01-31.

View "before No. 12" = amended_through 2002-12-19: No. 11's terms, term ending 2002-12-31.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.engine.terms import Terms
from udfs.loading import load_deal

DEAL = Path(__file__).parents[1] / "data" / "deal_with_amendment_12.toml"
D = dt.date
BEFORE = "2002-12-19"  # amended_through: the terms as known the day before No. 12 was signed
RCL = "refinancing_commitment_letter"
ESC = "escrow_confirmation"
FP = "full_payment"


@pytest.fixture(scope="module")
def cat():
    return Catalogue(Terms(load_deal(DEAL)))


def money(x):
    return pytest.approx(x, abs=1e-6)


def refused(fn, *needles):
    with pytest.raises(TermsError) as caught:
        fn()
    assert caught.value.code == "#N/A", caught.value
    for needle in needles:
        assert needle in str(caught.value), (needle, str(caught.value))
    return caught.value


# ---------------------------------------------------------------------------- Maximum Limit
MAX_LIMIT_CASES = [
    # (date, events, amended_through, rules, expected)
    # -- the day before and the day of No. 12
    ("2002-12-19", None, None, None, 1_750_000),       # A11 (ii)(c): 1.75M from 12-09 in any event
    ("2002-12-20", None, None, None, 1_500_000),       # A12 2.2(a)
    ("2002-12-20", None, BEFORE, None, 1_750_000),     # view before No. 12: A11 still
    ("2002-12-31", None, BEFORE, None, 1_750_000),     # last day of the old term, old view
    ("2002-12-20", None, "2002-12-20", None, 1_500_000),  # signed on the cut-off day: it counts
    # No. 11's deliveries no longer matter once No. 12 replaced Item 1(A): all four on time, still 1.5M
    ("2002-12-27", {"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-15",
                    "keltic_commitment": "2002-11-20", "updated_confirmation": "2002-11-21"},
     None, None, 1_500_000),
    # -- 2.2(b): commitment letter on time
    ("2003-01-14", {RCL: "2003-01-10"}, None, None, 1_500_000),  # step not reached
    ("2003-01-15", {RCL: "2003-01-10"}, None, None, 1_900_000),  # step date, delivered before
    ("2003-01-15", {RCL: "2003-01-15"}, None, None, 1_900_000),  # delivered on the step date itself
    ("2003-01-15", {RCL: "2003-01-10"}, None, "step_lapses", 1_900_000),  # on time: reading irrelevant
    ("2003-01-15", {RCL: "2003-01-10"}, "2002-12-20", None, 1_900_000),
    # -- never delivered
    ("2003-01-15", None, None, None, 1_500_000),
    ("2003-02-28", None, None, None, 1_500_000),
    # -- late (2003-01-20): default reading, effective on delivery
    ("2003-01-19", {RCL: "2003-01-20"}, None, None, 1_500_000),
    ("2003-01-20", {RCL: "2003-01-20"}, None, None, 1_900_000),
    ("2003-01-20", {RCL: "2003-01-20"}, None, "refinancing_step_late_delivery=step_on_delivery", 1_900_000),
    # -- late: the lapsing reading
    ("2003-01-20", {RCL: "2003-01-20"}, None, "step_lapses", 1_500_000),
    ("2003-02-10", {RCL: "2003-01-20"}, None, "refinancing_step_late_delivery=step_lapses", 1_500_000),
    # -- 2.2(c): ceiling of 1.25M from 2003-03-01 unless Escrow Confirmation by 2003-02-28
    ("2003-02-28", {RCL: "2003-01-10"}, None, None, 1_900_000),               # day before the ceiling
    ("2003-03-01", {RCL: "2003-01-10"}, None, None, 1_250_000),               # no escrow: min(1.9M, 1.25M)
    ("2003-03-01", {RCL: "2003-01-10", ESC: "2003-02-20"}, None, None, 1_900_000),  # on time: no ceiling
    ("2003-03-01", {RCL: "2003-01-10", ESC: "2003-02-28"}, None, None, 1_900_000),  # on the last day
    ("2003-03-01", {RCL: "2003-01-10", ESC: "2003-03-01"}, None, None, 1_250_000),  # late: ceiling stays
    ("2003-03-15", {RCL: "2003-01-10", ESC: "2003-03-01"}, None, None, 1_250_000),
    ("2003-03-31", None, None, None, 1_250_000),                              # min(1.5M, 1.25M), last day
    ("2003-03-31", {ESC: "2003-02-20"}, None, None, 1_500_000),               # escrow only: level 1.5M
    ("2003-03-31", {RCL: "2003-01-10", ESC: "2003-02-20"}, None, None, 1_900_000),
    # letter after the ceiling took hold, no escrow: min(1.9M, 1.25M) either way
    ("2003-03-15", {RCL: "2003-03-10"}, None, None, 1_250_000),
    # letter late, escrow on time: 1.9M on delivery by default, 1.5M if the step lapses
    ("2003-03-15", {RCL: "2003-03-10", ESC: "2003-02-20"}, None, None, 1_900_000),
    ("2003-03-15", {RCL: "2003-03-10", ESC: "2003-02-20"}, None, "step_lapses", 1_500_000),
    # -- the embedded deal's own answers, before No. 12, unchanged
    ("2002-10-15", None, None, None, 1_750_000),       # A10 B.1
    ("2002-11-20", None, None, None, 2_000_000),       # A11 B.1(A)
    ("2002-11-22", None, None, None, 1_750_000),       # A11 (ii)(a): nothing delivered by 11-22
    ("2002-11-18", {"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-15"},
     None, None, 2_300_000),                           # A11 (i)
]


@pytest.mark.parametrize("date,events,amended_through,rules,expected", MAX_LIMIT_CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in MAX_LIMIT_CASES])
def test_max_limit(cat, date, events, amended_through, rules, expected):
    assert cat.LSA_MAX_LIMIT(date, events, amended_through, rules) == money(expected)


def test_past_old_term_end_answered_by_default(cat):
    # A12 2.1 moves the term's end to 2003-03-31 from 2002-12-20: 2003-01-15 is inside the term now
    assert cat.LSA_MAX_LIMIT("2003-01-15") == money(1_500_000)
    assert cat.LSA_MAX_LIMIT("2003-01-01") == money(1_500_000)


def test_past_old_term_end_refused_before_no_12(cat):
    # as known on 2002-12-19 the term ends 2002-12-31; the message names the view's cut-off
    refused(lambda: cat.LSA_MAX_LIMIT("2003-01-15", None, BEFORE), "2002-12-19", "2002-12-31")
    refused(lambda: cat.LSA_MAX_LIMIT("2003-01-01", None, BEFORE), "2002-12-19")


@pytest.mark.parametrize("amended_through", [None, BEFORE, "2002-12-20", "2003-06-30"])
def test_past_new_term_end_refused_in_every_view(cat, amended_through):
    # 2003-04-01 is after 2003-03-31 (A12 2.1) and after 2002-12-31 (A10 B.3)
    refused(lambda: cat.LSA_MAX_LIMIT("2003-04-01", None, amended_through))
    refused(lambda: cat.LSA_MARGIN("2003-04-01", "advances", amended_through))


def test_new_term_end_named_when_refused(cat):
    refused(lambda: cat.LSA_MAX_LIMIT("2003-04-01"), "2003-03-31")


# ---------------------------------------------------------------------------- capacity
CAPACITY_CASES = [
    # (date, receivables, acceptances, guaranties, letters_of_credit, events, amended_through, expected)
    # min(1.5M, 80% x 2.0M = 1.6M) = 1.5M
    ("2002-12-20", 2_000_000, None, None, None, None, None, 1_500_000),
    # min(1.5M, 80% x 1.5M = 1.2M) - 100k = 1.1M
    ("2002-12-20", 1_500_000, None, None, 100_000, None, None, 1_100_000),
    # before No. 12: min(1.75M, 85% x 1.5M = 1.275M) - 100k = 1.175M
    ("2002-12-20", 1_500_000, None, None, 100_000, None, BEFORE, 1_175_000),
    # the day before No. 12 by default: still 85%: 1.275M - 100k
    ("2002-12-19", 1_500_000, None, None, 100_000, None, None, 1_175_000),
    # min(1.5M, 80% x 1.0M = 0.8M) = 800k: the rate binds
    ("2003-02-03", 1_000_000, None, None, None, None, None, 800_000),
    # min(1.9M, 80% x 3.0M = 2.4M) - (50k + 25k + 125k) = 1.7M
    ("2003-01-20", 3_000_000, 50_000, 25_000, 125_000, {RCL: "2003-01-10"}, None, 1_700_000),
    # ceiling: min(1.25M, 80% x 2.5M = 2.0M) = 1.25M
    ("2003-03-03", 2_500_000, None, None, None, None, None, 1_250_000),
    # both delivered: min(1.9M, 80% x 2.0M = 1.6M) = 1.6M
    ("2003-03-03", 2_000_000, None, None, None, {RCL: "2003-01-10", ESC: "2003-02-20"}, None, 1_600_000),
    # the embedded deal: min(2.0M, 85% x 2.5M = 2.125M) - 100k = 1.9M
    ("2002-11-20", 2_500_000, None, None, 100_000, None, None, 1_900_000),
]


@pytest.mark.parametrize("date,receivables,acceptances,guaranties,letters,events,amended_through,expected",
                         CAPACITY_CASES, ids=[f"{c[0]}|{c[1]}|{c[5]}|{c[6]}" for c in CAPACITY_CASES])
def test_capacity(cat, date, receivables, acceptances, guaranties, letters, events, amended_through, expected):
    got = cat.LSA_CAPACITY(date, receivables, acceptances, guaranties, letters, events, amended_through, None)
    assert got == money(expected)


def test_capacity_past_old_end_refused_before_no_12(cat):
    refused(lambda: cat.LSA_CAPACITY("2003-01-15", 1_000_000, None, None, None, None, BEFORE, None), "2002-12-19")


AVAILABILITY_CASES = [
    # (date, receivables, outstanding, letters_of_credit, events, amended_through, expected)
    # README: min(Maximum Limit, rate x receivables + Overadvance limit) - deductions - outstanding; no
    # Overadvances under No. 11 or No. 12 (limit 0)
    # min(1.5M, 80% x 2.0M + 0 = 1.6M) - 100k - 1.0M = 400k
    ("2002-12-20", 2_000_000, 1_000_000, 100_000, None, None, 400_000),
    # before No. 12: min(1.75M, 85% x 2.0M = 1.7M) - 100k - 1.0M = 600k
    ("2002-12-20", 2_000_000, 1_000_000, 100_000, None, BEFORE, 600_000),
    # min(1.9M, 80% x 3.0M = 2.4M) - 0 - 1.2M = 700k
    ("2003-01-20", 3_000_000, 1_200_000, None, {RCL: "2003-01-10"}, None, 700_000),
    # ceiling: min(1.25M, 2.4M) - 1.4M = -150k (the Advances exceed what the terms allow)
    ("2003-03-03", 3_000_000, 1_400_000, None, {RCL: "2003-01-10"}, None, -150_000),
]


@pytest.mark.parametrize("date,receivables,outstanding,letters,events,amended_through,expected", AVAILABILITY_CASES,
                         ids=[f"{c[0]}|{c[4]}|{c[5]}" for c in AVAILABILITY_CASES])
def test_availability(cat, date, receivables, outstanding, letters, events, amended_through, expected):
    got = cat.LSA_AVAILABILITY(date, receivables, outstanding, None, None, letters, None, events, amended_through, None)
    assert got == money(expected)


@pytest.mark.parametrize("date,amended_through", [("2002-12-20", None), ("2003-02-01", None), ("2002-12-31", BEFORE)])
def test_no_overadvances(cat, date, amended_through):
    # A12 2.5 and A11 B.1: none
    assert cat.LSA_OVERADVANCE_LIMIT(date, None, amended_through) == money(0)


# ---------------------------------------------------------------------------- margins and rates
MARGIN_CASES = [
    # (date, facility, amended_through, expected)
    ("2002-12-15", "advances", None, 0.06),           # A11 B.2: the day before No. 12's grid
    ("2002-12-16", "advances", None, 0.065),          # A12 2.4 reaches back to 12-16
    ("2002-12-16", "advances", BEFORE, 0.06),         # not yet signed: A11's 6.0%
    ("2002-12-16", "advances", "2002-12-20", 0.065),  # signed on the cut-off day
    ("2002-12-19", "term loan", None, 0.07),
    ("2002-12-19", "term loan", BEFORE, 0.06),
    ("2002-12-31", "advances", BEFORE, 0.06),         # old view, old term's last day
    ("2003-01-15", "term loan", None, 0.07),          # past the old term, by default
    ("2003-03-31", "advances", None, 0.065),          # the grid's and the term's last day
    ("2003-03-31", "term loan", None, 0.07),
    ("2002-11-08", "advances", "2002-11-11", 0.035),  # embedded deal: A10 before No. 11 was signed
    ("2002-11-08", "advances", None, 0.06),           # embedded deal: A11 retroactive
]


@pytest.mark.parametrize("date,facility,amended_through,expected", MARGIN_CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in MARGIN_CASES])
def test_margin(cat, date, facility, amended_through, expected):
    assert cat.LSA_MARGIN(date, facility, amended_through) == money(expected)


def test_margin_past_old_end_refused_before_no_12(cat):
    refused(lambda: cat.LSA_MARGIN("2003-01-15", "advances", BEFORE), "2002-12-19")


RATE_CASES = [
    # (date, facility, prime, amended_through, expected)
    ("2002-12-18", "advances", None, None, 0.1075),    # 4.25% + 6.5%
    ("2002-12-18", "advances", None, BEFORE, 0.1025),  # 4.25% + 6.0%
    ("2003-02-14", "term loan", None, None, 0.1125),   # 4.25% + 7.0%
    ("2003-02-14", "advances", 0.05, None, 0.115),     # 5.0% given + 6.5%
]


@pytest.mark.parametrize("date,facility,prime,amended_through,expected", RATE_CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in RATE_CASES])
def test_rate(cat, date, facility, prime, amended_through, expected):
    assert cat.LSA_RATE(date, facility, prime, amended_through) == money(expected)


# ---------------------------------------------------------------------------- interest
INTEREST_CASES = [
    # (start, end, balance, facility, prime, day_count, amended_through, expected)
    # 12-16..12-19 (4 days) at 10.75%: 4 x 1,000,000 x 0.1075 = 430,000 / 360 = 1,194.444...
    ("2002-12-16", "2002-12-20", 1_000_000, "advances", None, None, None, 430_000 / 360),
    # as known before No. 12, 10.25%: 4 x 102,500 = 410,000 / 360 = 1,138.888...  (true-up 55.555...)
    ("2002-12-16", "2002-12-20", 1_000_000, "advances", None, None, BEFORE, 410_000 / 360),
    # term loan 3.0M at 11.25%: 4 x 337,500 = 1,350,000 / 360 = 3,750.00
    ("2002-12-16", "2002-12-20", 3_000_000, "term loan", None, None, None, 3_750),
    # before No. 12 at 10.25%: 4 x 307,500 = 1,230,000 / 360 = 3,416.666...
    ("2002-12-16", "2002-12-20", 3_000_000, "term loan", None, None, BEFORE, 1_230_000 / 360),
    # 12-10..12-19: 6 days at 10.25% (12-10..12-15) + 4 at 10.75%: 615,000 + 430,000 = 1,045,000 / 360
    ("2002-12-10", "2002-12-20", 1_000_000, "advances", None, None, None, 1_045_000 / 360),
    # before No. 12: 10 x 102,500 = 1,025,000 / 360 = 2,847.222...
    ("2002-12-10", "2002-12-20", 1_000_000, "advances", None, None, BEFORE, 1_025_000 / 360),
    # 12-15 at 10.25% + 12-16 at 10.75% with No. 12 counted: (102,500 + 107,500) / 360 = 583.333...
    ("2002-12-15", "2002-12-17", 1_000_000, "advances", None, None, "2002-12-20", 210_000 / 360),
    # Actual/365: 430,000 / 365 = 1,178.082...
    ("2002-12-16", "2002-12-20", 1_000_000, "advances", None, "actual/365", None, 430_000 / 365),
    # across the old term end: 12-20..2003-01-19 = 31 days x 107,500 = 3,332,500 / 360 = 9,256.944...
    ("2002-12-20", "2003-01-20", 1_000_000, "advances", None, None, None, 3_332_500 / 360),
    # old view, up to its term end: 12-20..12-31 = 12 days x 102,500 = 1,230,000 / 360
    ("2002-12-20", "2003-01-01", 1_000_000, "advances", None, None, BEFORE, 1_230_000 / 360),
    # to the new end: 12-20..2003-03-31 = 12 + 31 + 28 + 31 = 102 days x 107,500 = 10,965,000 / 360 = 30,458.333...
    ("2002-12-20", "2003-04-01", 1_000_000, "advances", None, None, None, 10_965_000 / 360),
    # 2003-01: 31 days x 2,000,000 x 11.25% = 31 x 225,000 = 6,975,000 / 360 = 19,375.00
    ("2003-01-01", "2003-02-01", 2_000_000, "term loan", None, None, None, 19_375),
    # prime given as 5%: 10 days x 1,000,000 x 11.5% = 1,150,000 / 360 = 3,194.444...
    ("2003-01-01", "2003-01-11", 1_000_000, "advances", 0.05, None, None, 1_150_000 / 360),
]


@pytest.mark.parametrize("start,end,balance,facility,prime,day_count,amended_through,expected", INTEREST_CASES,
                         ids=[f"{c[0]}..{c[1]}|{c[3]}|{c[5]}|{c[6]}" for c in INTEREST_CASES])
def test_interest(cat, start, end, balance, facility, prime, day_count, amended_through, expected):
    got = cat.LSA_INTEREST(start, end, balance, facility, prime, day_count, amended_through, None)
    assert got == money(expected)


def test_interest_past_term_refused(cat):
    # before No. 12 the days 2003-01-01..2003-01-19 are outside the term
    refused(lambda: cat.LSA_INTEREST("2002-12-20", "2003-01-20", 1_000_000, "advances", None, None, BEFORE, None),
            "2002-12-19")
    # by default the last day counted would be 2003-04-01, after 2003-03-31
    refused(lambda: cat.LSA_INTEREST("2002-12-20", "2003-04-02", 1_000_000, "advances"))


# ---------------------------------------------------------------------------- fees
FEES_DUE_CASES = [
    # (start, end, events, amended_through, rules, expected)   both ends included
    # -- no events: 15k on 10-01, 110k on 12-31, 30k on 2003-01-31, 30k on 2003-02-28
    ("2003-01-01", "2003-03-31", None, None, None, 60_000),
    ("2003-01-31", "2003-01-31", None, None, None, 30_000),
    ("2003-02-28", "2003-02-28", None, None, None, 30_000),
    ("2002-10-01", "2003-03-31", None, None, None, 185_000),   # 15k + 110k + 60k
    ("2002-12-31", "2002-12-31", None, None, None, 110_000),   # A11 A.3: 85k Base Fee + 25k, unchanged by A12 3.4
    ("2002-10-01", "2002-12-31", None, BEFORE, None, 125_000),  # view before No. 12: 15k + 110k, no new fee
    ("2002-10-01", "2002-12-15", None, None, None, 15_000),    # embedded deal: only 10-01 before 12-31
    # -- Full Payment 2003-01-20: both installments after it, payment before 2003-03-31: both waived
    ("2003-01-01", "2003-03-31", {FP: "2003-01-20"}, None, None, 0),
    # old fees: earlier of 12-31 and 2003-01-20 is 12-31; A10's waiver covers only installments after the payment
    ("2002-10-01", "2003-03-31", {FP: "2003-01-20"}, None, None, 125_000),
    ("2002-12-31", "2002-12-31", {FP: "2003-01-20"}, None, None, 110_000),
    # -- Full Payment 2003-02-10: 2003-01-31 stays, 2003-02-28 waived
    ("2003-01-01", "2003-03-31", {FP: "2003-02-10"}, None, None, 30_000),
    # -- Full Payment on 2003-01-31: that day's installment is not "after" it; 02-28 waived
    ("2003-01-01", "2003-03-31", {FP: "2003-01-31"}, None, None, 30_000),
    # -- Full Payment on 2003-02-28: nothing scheduled after it
    ("2003-01-01", "2003-03-31", {FP: "2003-02-28"}, None, None, 60_000),
    # -- 3.3: commitment letter by 2003-02-14 waives the second installment only
    ("2003-01-01", "2003-03-31", {RCL: "2003-01-10"}, None, None, 30_000),
    ("2003-01-01", "2003-03-31", {RCL: "2003-02-14"}, None, None, 30_000),   # on the last day
    ("2003-01-01", "2003-03-31", {RCL: "2003-02-15"}, None, None, 60_000),   # a day late
    ("2003-01-31", "2003-01-31", {RCL: "2003-01-10"}, None, None, 30_000),   # first installment kept
    ("2003-01-01", "2003-03-31", {RCL: "2003-01-10", FP: "2003-02-10"}, None, None, 30_000),
    ("2003-01-01", "2003-03-31", {RCL: "2003-01-10", FP: "2003-01-20"}, None, None, 0),
    # -- Full Payment 2002-12-23 (after No. 12, before No. 11's 2002-12-31), A11 accelerated (default):
    #    unpaid Base Fee 15k (11-15) + 30k (12-16) + 40k (12-31) and the 25k fee all due 12-23 = 110k;
    #    No. 12's installments are both scheduled after it and it is before 2003-03-31: waived
    ("2002-12-23", "2002-12-23", {FP: "2002-12-23"}, None, None, 110_000),
    ("2002-12-24", "2003-03-31", {FP: "2002-12-23"}, None, None, 0),
    ("2002-10-01", "2003-03-31", {FP: "2002-12-23"}, None, None, 125_000),  # 15k + 110k
    # waived_after: A10's waiver (payment before 2002-12-31) keeps 12-31's 40k waived:
    #    15k + 30k + 25k = 70k due 12-23
    ("2002-12-23", "2002-12-23", {FP: "2002-12-23"}, None, "waived_after", 70_000),
    ("2002-12-24", "2003-03-31", {FP: "2002-12-23"}, None, "waived_after", 0),
    # -- Full Payment 2002-12-18, as known before No. 12: the same re-dating, 110k / 70k on 12-18
    ("2002-12-18", "2002-12-18", {FP: "2002-12-18"}, BEFORE, None, 110_000),
    ("2002-12-18", "2002-12-18", {FP: "2002-12-18"}, BEFORE, "waived_after", 70_000),
    ("2002-12-19", "2002-12-31", {FP: "2002-12-18"}, BEFORE, "waived_after", 0),
]


@pytest.mark.parametrize("start,end,events,amended_through,rules,expected", FEES_DUE_CASES,
                         ids=[f"{c[0]}..{c[1]}|{c[2]}|{c[3]}|{c[4]}" for c in FEES_DUE_CASES])
def test_fees_due(cat, start, end, events, amended_through, rules, expected):
    assert cat.LSA_FEES_DUE(start, end, events, amended_through, rules) == money(expected)


def test_full_payment_before_no_12_is_refused_in_a_view_that_counts_it(cat):
    # a Full Payment ends the agreement (events.full_payment.ends_agreement): No. 12 (2002-12-20) cannot follow
    # a payment of 2002-12-18, so a view counting No. 12 refuses that event and names both dates
    with pytest.raises(TermsError) as caught:
        cat.LSA_FEES_DUE("2002-12-18", "2002-12-18", {FP: "2002-12-18"})
    assert caught.value.code == "#VALUE!"
    assert "2002-12-18" in str(caught.value) and "2002-12-20" in str(caught.value)


def _fee2_rows(table):
    header = table[0]
    rows = [dict(zip(header, r)) for r in table[1:]]
    return {r["scheduled_date"]: r for r in rows if r["fee"] == "Extension Fee No. 2"}


def test_fee_schedule_new_fee(cat):
    rows = _fee2_rows(cat.LSA_FEE_SCHEDULE())
    assert sorted(rows) == [D(2003, 1, 31), D(2003, 2, 28)]  # A12 3.1
    for when, row in rows.items():
        assert row["due_date"] == when
        assert row["amount"] == money(30_000)
        assert row["status"] == "due"
        assert "Amendment No. 12, 3.1" in row["citation"]


def test_fee_schedule_full_payment_waives_later_installment(cat):
    rows = _fee2_rows(cat.LSA_FEE_SCHEDULE({FP: "2003-02-10"}))
    assert rows[D(2003, 1, 31)]["status"] == "due"       # before the Full Payment
    assert rows[D(2003, 2, 28)]["status"] == "waived"    # A12 3.2


def test_fee_schedule_commitment_waives_second(cat):
    rows = _fee2_rows(cat.LSA_FEE_SCHEDULE({RCL: "2003-02-01"}))
    assert rows[D(2003, 1, 31)]["status"] == "due"
    assert rows[D(2003, 2, 28)]["status"] == "waived"    # A12 3.3


def test_fee_schedule_before_no_12_has_no_new_fee(cat):
    assert _fee2_rows(cat.LSA_FEE_SCHEDULE(None, BEFORE)) == {}


# ---------------------------------------------------------------------------- deadlines
def _deadlines(table):
    header = table[0]
    return [dict(zip(header, r)) for r in table[1:]]


def _texas(rows):
    return {r["date"]: r for r in rows if r["section"] == "10.21"}


def test_deadlines_texas_auction_moved(cat):
    texas = _texas(_deadlines(cat.LSA_DEADLINES()))
    assert texas[D(2003, 1, 31)]["document"] == "Amendment No. 12"       # A12 2.6
    assert texas[D(2003, 1, 31)]["status"] == "in force"
    assert texas[D(2002, 12, 17)]["status"] == "replaced by Amendment No. 12"  # A11 B.4, replaced


def test_deadlines_texas_auction_before_no_12(cat):
    rows = _deadlines(cat.LSA_DEADLINES(BEFORE))
    texas = _texas(rows)
    assert D(2003, 1, 31) not in texas
    assert texas[D(2002, 12, 17)]["status"] == "in force"
    assert not [r for r in rows if r["document"] == "Amendment No. 12"]


def test_deadlines_term_end_moved(cat):
    rows = [r for r in _deadlines(cat.LSA_DEADLINES()) if r["section"] == "Item 32"]
    by_date = {r["date"]: r for r in rows}
    assert by_date[D(2003, 3, 31)]["status"] == "in force"                     # A12 2.1
    assert by_date[D(2002, 12, 31)]["status"] == "replaced by Amendment No. 12"


def test_deadline_statuses_as_of_the_new_term_end(cat):
    # A12 2.2(b): the Commitment Letter by 2003-01-15; 3.3: by 2003-02-14 it also waives the 02-28 installment;
    # 2.2(c): the Escrow Confirmation by 2003-02-28. Delivered: the letter on 2003-01-10, no escrow confirmation.
    rows = _deadlines(cat.LSA_DEADLINES(None, "2003-03-31", [["refinancing_commitment_letter", "2003-01-10"]]))
    status = {(r["date"], r["section"]): r["status"] for r in rows}
    assert status[(D(2003, 1, 15), "Item 1(A)(b)")] == "met on 2003-01-10"
    assert status[(D(2003, 2, 14), "3.3")] == "met on 2003-01-10"
    assert status[(D(2003, 2, 28), "Item 1(A)(c)")] == "not delivered by 2003-02-28"
    assert status[(D(2003, 1, 31), "10.21")] == "date passed (not tracked)"  # the moved auction: nothing records it
    assert status[(D(2003, 3, 31), "Item 32")] == "open"                     # the last day of the extended term
    # the letter late (2003-01-20): met late for 2.2(b), still in time for 3.3's 2003-02-14
    rows = _deadlines(cat.LSA_DEADLINES(None, "2003-03-31", [["refinancing_commitment_letter", "2003-01-20"]]))
    status = {(r["date"], r["section"]): r["status"] for r in rows}
    assert status[(D(2003, 1, 15), "Item 1(A)(b)")] == "met late on 2003-01-20"
    assert status[(D(2003, 2, 14), "3.3")] == "met on 2003-01-20"


# ---------------------------------------------------------------------------- document in force
AMENDMENT_CASES = [
    ("2002-10-15", None, "Amendment No. 10"),
    ("2002-12-16", None, "Amendment No. 11"),   # the retroactive grid does not change the governing document
    ("2002-12-19", None, "Amendment No. 11"),
    ("2002-12-20", None, "Amendment No. 12"),
    ("2002-12-20", BEFORE, "Amendment No. 11"),
    ("2003-02-01", None, "Amendment No. 12"),
    ("2003-03-31", None, "Amendment No. 12"),
]


@pytest.mark.parametrize("date,amended_through,expected", AMENDMENT_CASES,
                         ids=[f"{c[0]}|{c[1]}" for c in AMENDMENT_CASES])
def test_amendment_in_force(cat, date, amended_through, expected):
    assert cat.LSA_AMENDMENT(date, amended_through) == expected


def test_amendment_out_of_view(cat):
    refused(lambda: cat.LSA_AMENDMENT("2003-02-01", BEFORE), "2002-12-19")
    refused(lambda: cat.LSA_AMENDMENT("2003-04-01"))


# ---------------------------------------------------------------------------- TERMS_INFO
def _info(cat, rules=None):
    return {str(r[0]): r for r in cat.TERMS_INFO(rules)[1:]}


def test_terms_info_deal_and_readings(cat):
    info = _info(cat)
    assert info["deal"][2] == "iec-hsbc-ge-a12"
    assert info["interpretation: refinancing_step_late_delivery"][1] == "step_on_delivery"
    assert _info(cat, "step_lapses")["interpretation: refinancing_step_late_delivery"][1] == "step_lapses"
    assert [k for k in info if "advance_rate_older_receivables" in k]  # the recorded reading


def test_terms_info_lists_documents(cat):
    # issue 8 item 6: the documents in view, with their dates
    rows = [" ".join(str(c) for c in row) for row in cat.TERMS_INFO() if str(row[0]).lower().startswith("document")]
    assert [t for t in rows if "Amendment No. 12" in t and "2002-12-20" in t], rows
    assert [t for t in rows if "Amendment No. 10" in t and "2002-10-01" in t], rows
    # the valid window by default: A12 2.1 moves its end to 2003-03-31
    window = [" ".join(str(c) for c in row) for row in cat.TERMS_INFO() if str(row[0]).lower().startswith("window")]
    assert [t for t in window if "2002-10-01" in t and "2003-03-31" in t], window


# ---------------------------------------------------------------------------- the workbook
def test_workbook_builds_from_the_amended_deal(tmp_path):
    out = tmp_path / "a12.xlsx"
    result = subprocess.run([sys.executable, "-m", "udfs.terminal.main",
                             "build", "--deal", str(DEAL), "--as-of", "2003-01-20",
                             "--output", str(out), "--force"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert out.exists()


def _eval(*args):
    return subprocess.run([sys.executable, "-m", "udfs.terminal.main", "eval", "--deal", str(DEAL), *args],
                          capture_output=True, text=True, timeout=120)


def test_terminal_answers_from_the_amended_deal():
    # A12 2.2(b): letter delivered 2003-01-10, step on 2003-01-15 -> 1,900,000
    result = _eval("LSA_MAX_LIMIT", "2003-01-15", "--event", f"{RCL}=2003-01-10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1,900,000.00"  # money to cents, as the terminal prints it


def test_terminal_refuses_past_the_old_end_before_no_12():
    result = _eval("LSA_MAX_LIMIT", "2003-01-15", "--amended-through", BEFORE)
    assert result.returncode == 2
    err = result.stderr.strip()
    assert err.startswith("termbook: ") and "\n" not in err
    assert "2002-12-31" in err and BEFORE in err


def test_the_amended_deal_is_the_embedded_deal_plus_amendment_12():
    """The test deal stays the embedded deal's own lines plus No. 12's: an edit to seeds/ that is not made
    here too shows up as more lines changed. Changed (7): the deal's id, name, short name and citation;
    the recorded no-rate-after-the-term reading's default, citation and question (the term now ends later)."""
    import difflib

    seeds = (Path(__file__).parents[2] / "seeds" / "iec_hsbc_ge.toml").read_text().splitlines()
    amended = DEAL.read_text().splitlines()
    ops = difflib.SequenceMatcher(a=seeds, b=amended, autojunk=False).get_opcodes()
    removed = [line for tag, i1, i2, _, _ in ops if tag in ("replace", "delete") for line in seeds[i1:i2]]
    assert [line.split(" = ")[0] for line in removed] == ["id", "name", "short_name", "citation",
                                                          "default", "citation", "question"], removed


def test_the_explanation_names_no_12s_reading_for_its_step(cat):
    # 2003-01-20: the Commitment Letter came 2003-01-20, after 2003-01-15: under No. 12 2.2(b)'s reading
    # (default: from delivery) the $1.9M step applies; No. 11's late-delivery reading belongs to a version
    # No. 12 replaced from 2002-12-20, so it is not shown.
    explanation = cat.explain("LSA_MAX_LIMIT", date="2003-01-20", events={RCL: "2003-01-20"})
    assert explanation.answer == 1_900_000
    readings = [row["term"] for row in explanation.rows if row["term"].startswith("Reading:")]
    assert readings == ["Reading: refinancing_step_late_delivery"]
