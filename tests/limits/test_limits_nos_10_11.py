"""The Maximum Limit and its steps (No. 10 B.1; No. 11 B.1(A)), the document in force, and the Overadvance
limit (No. 10 B.1 caps; none under No. 11), worked by hand (see tests/worked.py for the clauses)."""

import datetime as dt

import pytest
from worked import (
    BOTH,
    BY_STEP,
    COMMIT_ONLY,
    FIRST,
    HALF_KC,
    HALF_KDD,
    HALF_TPC,
    HALF_UPC,
    KC,
    KDD,
    LATE18,
    LATE18_C,
    LATE25,
    LATE25_C,
    LATE1203_C,
    LATE_COMMIT,
    NONE,
    ON_DELIVERY,
    TPC,
    UPC,
    D,
    money,
)

from udfs.catalogue.functions import (
    LSA_AMENDMENT,
    LSA_MAX_LIMIT,
    LSA_OVERADVANCE_LIMIT,
)

MAX_LIMIT_CASES = [
    # ---- none delivered ------------------------------------------------------
    ("none", NONE, None, "2002-11-11", 1_750_000),  # No.10 B.1; No.11 not yet dated
    ("none", NONE, None, "2002-11-12", 2_000_000),  # No.11 B.1(A) base as of its date
    ("none", NONE, None, "2002-11-13", 2_000_000),  # No.11 base
    ("none", NONE, None, "2002-11-14", 2_000_000),  # No.11 base
    ("none", NONE, None, "2002-11-15", 2_000_000),  # (i) not met -> stays 2.0M
    ("none", NONE, None, "2002-11-16", 2_000_000),  # (i) not met
    ("none", NONE, None, "2002-11-21", 2_000_000),  # before (ii)(a) step
    ("none", NONE, None, "2002-11-22", 1_750_000),  # (ii)(a): commitment pair missing -> 1.75M
    ("none", NONE, None, "2002-11-23", 1_750_000),  # (ii)(a)
    ("none", NONE, None, "2002-12-01", 1_750_000),  # (ii)(a)
    ("none", NONE, None, "2002-12-02", 1_750_000),  # (ii)(b) no effect: already below 2.0M
    ("none", NONE, None, "2002-12-03", 1_750_000),
    ("none", NONE, None, "2002-12-08", 1_750_000),
    ("none", NONE, None, "2002-12-09", 1_750_000),  # (ii)(c)
    ("none", NONE, None, "2002-12-10", 1_750_000),
    # ---- first pair only, delivered by 11-15 --------------------------------
    ("first", FIRST, None, "2002-11-11", 1_750_000),  # No.10
    ("first", FIRST, None, "2002-11-12", 2_000_000),  # No.11 base
    ("first", FIRST, None, "2002-11-13", 2_000_000),  # increase only "on 11-15"
    ("first", FIRST, None, "2002-11-14", 2_000_000),  # increase only "on 11-15"
    ("first", FIRST, None, "2002-11-15", 2_300_000),  # (i): both items by 11-15 -> 2.3M
    ("first", FIRST, None, "2002-11-16", 2_300_000),  # (i)
    ("first", FIRST, None, "2002-11-21", 2_300_000),  # (i)
    ("first", FIRST, None, "2002-11-22", 1_750_000),  # (ii)(a): no commitment pair -> 1.75M
    ("first", FIRST, None, "2002-11-23", 1_750_000),
    ("first", FIRST, None, "2002-12-01", 1_750_000),
    ("first", FIRST, None, "2002-12-02", 1_750_000),  # (ii)(b) no effect, already lower
    ("first", FIRST, None, "2002-12-03", 1_750_000),
    ("first", FIRST, None, "2002-12-08", 1_750_000),
    ("first", FIRST, None, "2002-12-09", 1_750_000),
    ("first", FIRST, None, "2002-12-10", 1_750_000),
    ("first/by_step", FIRST, BY_STEP, "2002-11-15", 2_300_000),  # timely: same under both rules
    ("first/by_step", FIRST, BY_STEP, "2002-11-21", 2_300_000),
    # ---- both pairs timely ----------------------------------------------------
    ("both", BOTH, None, "2002-11-11", 1_750_000),  # No.10
    ("both", BOTH, None, "2002-11-12", 2_000_000),  # No.11 base
    ("both", BOTH, None, "2002-11-13", 2_000_000),
    ("both", BOTH, None, "2002-11-14", 2_000_000),
    ("both", BOTH, None, "2002-11-15", 2_300_000),  # (i)
    ("both", BOTH, None, "2002-11-16", 2_300_000),
    ("both", BOTH, None, "2002-11-21", 2_300_000),
    ("both", BOTH, None, "2002-11-22", 2_300_000),  # (ii)(a) avoided: pair delivered on 11-22
    ("both", BOTH, None, "2002-11-23", 2_300_000),
    ("both", BOTH, None, "2002-12-01", 2_300_000),
    ("both", BOTH, None, "2002-12-02", 2_000_000),  # (ii)(b): 2.3M -> 2.0M as of 12-02
    ("both", BOTH, None, "2002-12-03", 2_000_000),
    ("both", BOTH, None, "2002-12-08", 2_000_000),
    ("both", BOTH, None, "2002-12-09", 1_750_000),  # (ii)(c) in any event
    ("both", BOTH, None, "2002-12-10", 1_750_000),
    ("both/by_step", BOTH, BY_STEP, "2002-12-01", 2_300_000),  # timely: rule irrelevant
    ("both/by_step", BOTH, BY_STEP, "2002-12-02", 2_000_000),
    # ---- commitment pair only -------------------------------------------------
    ("commit_only", COMMIT_ONLY, None, "2002-11-11", 1_750_000),  # No.10
    ("commit_only", COMMIT_ONLY, None, "2002-11-12", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-11-13", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-11-14", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-11-15", 2_000_000),  # (i) not met
    ("commit_only", COMMIT_ONLY, None, "2002-11-16", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-11-21", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-11-22", 2_000_000),  # (ii)(a) avoided
    ("commit_only", COMMIT_ONLY, None, "2002-11-23", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-12-01", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-12-02", 2_000_000),  # (ii)(b): to 2.0M = no change
    ("commit_only", COMMIT_ONLY, None, "2002-12-03", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-12-08", 2_000_000),
    ("commit_only", COMMIT_ONLY, None, "2002-12-09", 1_750_000),  # (ii)(c)
    ("commit_only", COMMIT_ONLY, None, "2002-12-10", 1_750_000),
    # ---- first pair late on 11-18, commitment pair timely ---------------------
    # on_delivery: 2.3M from later of 11-15 and 11-18 = 11-18
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-14", 2_000_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-15", 2_000_000),  # not yet delivered
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-16", 2_000_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-17", 2_000_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-18", 2_300_000),  # second item in
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-21", 2_300_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-22", 2_300_000),  # (ii)(a) avoided
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-11-23", 2_300_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-12-01", 2_300_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-12-02", 2_000_000),  # (ii)(b)
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-12-03", 2_000_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-12-08", 2_000_000),
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-12-09", 1_750_000),  # (ii)(c)
    ("late18_c/on_delivery", LATE18_C, ON_DELIVERY, "2002-12-10", 1_750_000),
    # by_step_date: not both by 11-15 -> never 2.3M
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-11-15", 2_000_000),
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-11-16", 2_000_000),
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-11-18", 2_000_000),
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-11-22", 2_000_000),  # (ii)(a) avoided
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-12-01", 2_000_000),
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-12-02", 2_000_000),
    ("late18_c/by_step", LATE18_C, BY_STEP, "2002-12-09", 1_750_000),  # (ii)(c)
    # ---- first pair late on 11-18, no commitment pair -------------------------
    ("late18/on_delivery", LATE18, ON_DELIVERY, "2002-11-17", 2_000_000),
    ("late18/on_delivery", LATE18, ON_DELIVERY, "2002-11-18", 2_300_000),  # on delivery
    ("late18/on_delivery", LATE18, ON_DELIVERY, "2002-11-21", 2_300_000),
    ("late18/on_delivery", LATE18, ON_DELIVERY, "2002-11-22", 1_750_000),  # (ii)(a)
    ("late18/on_delivery", LATE18, ON_DELIVERY, "2002-11-23", 1_750_000),
    ("late18/on_delivery", LATE18, ON_DELIVERY, "2002-12-02", 1_750_000),
    ("late18/by_step", LATE18, BY_STEP, "2002-11-18", 2_000_000),  # late -> no increase
    ("late18/by_step", LATE18, BY_STEP, "2002-11-21", 2_000_000),
    ("late18/by_step", LATE18, BY_STEP, "2002-11-22", 1_750_000),  # (ii)(a)
    # ---- first pair late on 11-25, commitment pair timely ---------------------
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-11-21", 2_000_000),
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-11-22", 2_000_000),  # (ii)(a) avoided
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-11-24", 2_000_000),
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-11-25", 2_300_000),  # on delivery
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-12-01", 2_300_000),
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-12-02", 2_000_000),  # (ii)(b)
    ("late25_c/on_delivery", LATE25_C, ON_DELIVERY, "2002-12-09", 1_750_000),  # (ii)(c)
    ("late25_c/by_step", LATE25_C, BY_STEP, "2002-11-25", 2_000_000),
    ("late25_c/by_step", LATE25_C, BY_STEP, "2002-12-01", 2_000_000),
    ("late25_c/by_step", LATE25_C, BY_STEP, "2002-12-02", 2_000_000),
    ("late25_c/by_step", LATE25_C, BY_STEP, "2002-12-09", 1_750_000),
    # ---- first pair late on 11-25, no commitment: 11-22 decrease is a ceiling -
    ("late25/on_delivery", LATE25, ON_DELIVERY, "2002-11-21", 2_000_000),
    ("late25/on_delivery", LATE25, ON_DELIVERY, "2002-11-22", 1_750_000),  # (ii)(a)
    ("late25/on_delivery", LATE25, ON_DELIVERY, "2002-11-25", 1_750_000),  # ceiling beats (i)
    ("late25/on_delivery", LATE25, ON_DELIVERY, "2002-12-01", 1_750_000),
    ("late25/by_step", LATE25, BY_STEP, "2002-11-25", 1_750_000),
    # ---- first pair late on 12-03: the 12-02 decrease to 2.0M is a ceiling ---
    ("late1203_c/on_delivery", LATE1203_C, ON_DELIVERY, "2002-12-02", 2_000_000),
    ("late1203_c/on_delivery", LATE1203_C, ON_DELIVERY, "2002-12-03", 2_000_000),  # ceiling
    ("late1203_c/on_delivery", LATE1203_C, ON_DELIVERY, "2002-12-08", 2_000_000),
    ("late1203_c/on_delivery", LATE1203_C, ON_DELIVERY, "2002-12-09", 1_750_000),
    # ---- one item of a pair only ----------------------------------------------
    ("half_kdd", HALF_KDD, None, "2002-11-15", 2_000_000),  # (i) needs both (a) and (b)
    ("half_kdd", HALF_KDD, None, "2002-11-16", 2_000_000),
    ("half_kdd", HALF_KDD, None, "2002-11-22", 2_000_000),  # commitment pair complete
    ("half_kdd", HALF_KDD, None, "2002-12-02", 2_000_000),
    ("half_kdd", HALF_KDD, None, "2002-12-09", 1_750_000),
    ("half_tpc", HALF_TPC, None, "2002-11-15", 2_000_000),  # (i) needs both
    ("half_tpc", HALF_TPC, None, "2002-11-21", 2_000_000),
    ("half_tpc", HALF_TPC, None, "2002-11-22", 1_750_000),  # (ii)(a)
    ("half_kc", HALF_KC, None, "2002-11-21", 2_300_000),  # (i) met
    ("half_kc", HALF_KC, None, "2002-11-22", 1_750_000),  # (ii)(a) needs both (x) and (y)
    ("half_kc", HALF_KC, None, "2002-12-01", 1_750_000),
    ("half_upc", HALF_UPC, None, "2002-11-21", 2_300_000),
    ("half_upc", HALF_UPC, None, "2002-11-22", 1_750_000),  # (ii)(a) needs (x) as well
    # ---- commitment pair delivered after 11-22: decrease stays ---------------
    ("late_commit", LATE_COMMIT, None, "2002-11-21", 2_300_000),
    ("late_commit", LATE_COMMIT, None, "2002-11-22", 1_750_000),  # not delivered on/before 11-22
    ("late_commit", LATE_COMMIT, None, "2002-11-25", 1_750_000),  # ceiling: no restoration
    ("late_commit", LATE_COMMIT, None, "2002-12-01", 1_750_000),
    # ---- range edges ----------------------------------------------------------
    ("none", NONE, None, "2002-10-01", 1_750_000),  # No.10 B.1 from its date
    ("none", NONE, None, "2002-12-31", 1_750_000),  # (ii)(c) to term end
    ("both", BOTH, None, "2002-12-31", 1_750_000),  # (ii)(c)
]


@pytest.mark.parametrize(
    "label,events,rules,date,expected",
    MAX_LIMIT_CASES,
    ids=[f"{c[0]}@{c[3]}" for c in MAX_LIMIT_CASES],
)
def test_max_limit_steps(label, events, rules, date, expected):
    assert LSA_MAX_LIMIT(date, events=events, rules=rules) == money(expected)


@pytest.mark.parametrize(
    "date",
    ["2002-10-01", "2002-11-11", "2002-11-12", "2002-11-15", "2002-11-22",
     "2002-12-01", "2002-12-02", "2002-12-09", "2002-12-31"],
)
def test_max_limit_amended_through_no10_is_flat(date):
    # amended_through 11-11: only No.10 B.1 -> $1,750,000 on every date, events ignored
    assert LSA_MAX_LIMIT(date, events=BOTH, amended_through="2002-11-11") == money(1_750_000)
    assert LSA_MAX_LIMIT(date, amended_through=D(2002, 11, 11)) == money(1_750_000)


def test_max_limit_amended_through_no11_included():
    # amended_through 11-12 includes No.11: (i) met -> 2.3M on 11-15
    assert LSA_MAX_LIMIT("2002-11-15", events=FIRST, amended_through="2002-11-12") == money(2_300_000)
    # No.11 base on its own date
    assert LSA_MAX_LIMIT("2002-11-12", amended_through="2002-11-12") == money(2_000_000)


def test_max_limit_rule_spellings_and_event_forms():
    # late pair 11-18 with commitment pair; by_step_date -> 2.0M on 11-18 (No.11 B.1(A)(i))
    assert LSA_MAX_LIMIT("2002-11-18", events=LATE18_C, rules="by_step_date") == money(2_000_000)
    assert LSA_MAX_LIMIT("2002-11-18", events=LATE18_C,
                         rules={"max_limit_late_increase": "by_step_date"}) == money(2_000_000)
    assert LSA_MAX_LIMIT("2002-11-18", events=LATE18_C, rules=["by_step_date"]) == money(2_000_000)
    # on_delivery explicitly -> 2.3M on 11-18
    assert LSA_MAX_LIMIT("2002-11-18", events=LATE18_C,
                         rules="max_limit_late_increase=on_delivery") == money(2_300_000)
    # events as (name, date) pairs with text dates: first pair by 11-15 -> 2.3M on 11-15
    pairs = [(KDD, "2002-11-13"), (TPC, "2002-11-15")]
    assert LSA_MAX_LIMIT("2002-11-15", events=pairs) == money(2_300_000)
    # None values are ignored: commitment missing -> (ii)(a) 1.75M on 11-22
    ev = {**FIRST, KC: None, UPC: None}
    assert LSA_MAX_LIMIT("2002-11-22", events=ev) == money(1_750_000)
    # date as datetime and as the US text form: No.11 base 2.0M on 11-20 (other text forms are refused)
    assert LSA_MAX_LIMIT(dt.datetime(2002, 11, 20, 9, 30)) == money(2_000_000)
    assert LSA_MAX_LIMIT("11/20/2002") == money(2_000_000)


# ---------------------------------------------------------------------------
# LSA_AMENDMENT
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "date,amended_through,expected",
    [
        ("2002-10-01", None, "Amendment No. 10"),  # No.10 dated 10-01
        ("2002-11-06", None, "Amendment No. 10"),  # before No.11 date and before its retro pricing
        ("2002-11-12", None, "Amendment No. 11"),  # No.11 dated 11-12
        ("2002-12-31", None, "Amendment No. 11"),
        ("2002-12-31", "2002-11-11", "Amendment No. 10"),  # view excludes No.11
        ("2002-11-20", "2002-11-12", "Amendment No. 11"),
    ],
)
def test_amendment_in_force(date, amended_through, expected):
    assert LSA_AMENDMENT(date, amended_through=amended_through) == expected

# ---------------------------------------------------------------------------
# LSA_OVERADVANCE_LIMIT (No.10 B.1 caps; none under No.11)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "date,reserve,amended_through,expected",
    [
        ("2002-10-01", None, None, 300_000),   # 10-01..10-13 cap 300k
        ("2002-10-13", None, None, 300_000),   # last day of 300k window
        ("2002-10-14", None, None, 400_000),   # 10-14..10-20 cap 400k
        ("2002-10-20", None, None, 400_000),
        ("2002-10-21", None, None, 300_000),   # 10-21..10-27 cap 300k
        ("2002-10-27", None, None, 300_000),
        ("2002-10-28", None, None, 0),         # none from 10-28
        ("2002-11-11", None, None, 0),
        ("2002-11-12", None, None, 0),         # No.11: no overadvance language
        ("2002-12-31", None, None, 0),
        # with Term Loan Reserve 350,000: min(cap, 350,000)
        ("2002-10-13", 350_000, None, 300_000),  # min(300k, 350k)
        ("2002-10-14", 350_000, None, 350_000),  # min(400k, 350k)
        ("2002-10-20", 350_000, None, 350_000),  # min(400k, 350k)
        ("2002-10-21", 350_000, None, 300_000),  # min(300k, 350k)
        ("2002-10-27", 350_000, None, 300_000),
        ("2002-10-28", 350_000, None, 0),        # min(0, 350k)
        # with Term Loan Reserve 250,000
        ("2002-10-13", 250_000, None, 250_000),  # min(300k, 250k)
        ("2002-10-14", 250_000, None, 250_000),  # min(400k, 250k)
        ("2002-10-21", 250_000, None, 250_000),  # min(300k, 250k)
        ("2002-10-14", 0, None, 0),              # reserve 0 -> 0
        # No.11 B.1 + B.5: no overadvances even if a reserve is supplied
        ("2002-11-12", 500_000, None, 0),
        ("2002-11-20", 500_000, None, 0),
        # No.10-only view after 10-28: still none
        ("2002-12-01", 500_000, "2002-11-11", 0),
        ("2002-10-14", None, "2002-11-11", 400_000),
    ],
)
def test_overadvance_limit(date, reserve, amended_through, expected):
    assert LSA_OVERADVANCE_LIMIT(date, term_loan_reserve=reserve,
                                 amended_through=amended_through) == money(expected)
