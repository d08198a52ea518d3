"""Independent worked examples for termbook.

Every expected value below is a literal worked out by hand from the source
documents (Amendment No. 10 dated 2002-10-01, Amendment No. 11 dated
2002-11-12, Lovelock severance letter dated 2002-06-06) and from the
interpretation defaults in /work/notes/API.md.  Nothing here calls the engine
to obtain an expected value.

Citation shorthand used in comments:
  No.10 A.3     Extension Fee: Base Fee $100k (15k 10-01, 15k 11-15, 30k 12-16,
                40k 12-31) + Additional Fee $50k (25k 10-31, 25k 11-27);
                Additional Fee installments on/after receipt of a Purchase Offer
                or Financing Commitment (delivered by 10-31 or 11-27) waived;
                installments scheduled after a Full Payment Date waived.
  No.10 B.1     Max Limit $1,750,000; capacity = min(limit, 85% receivables)
                less acceptances + guaranties + LCs; overadvance caps 300k
                (10-01..10-13), 400k (10-14..10-20), 300k (10-21..10-27), none
                from 10-28, never above the Term Loan Reserve.
  No.10 B.2     pricing grid 10/1/02-12/31/02: advances prime+3.5%, term
                loan prime+4.0%.
  No.11 A.3     $25k amendment fee due 12-31 or earlier full payment, Base Fee
                also payable then; Additional Fee waived.
  No.11 B.1(A)  Max Limit $2.0M from 11-12; (i) to $2.3M on 11-15 if Keltic due
                diligence letter + Third-Party Confirmation; (ii)(a) to $1.75M
                on 11-22 unless Keltic commitment + updated confirmation on or
                before 11-22; (ii)(b) to $2.0M on 12-02 unless already lower;
                (ii)(c) to $1.75M on 12-09 in any event. No overadvance
                language.
  No.11 B.2     pricing grid 11/7/02-12/31/02: both facilities prime+6.0%.
  No.11 B.5     Term Loan Reserve cancelled.
  Sev 2(b)      six months' salary in monthly month-end installments
                09-30-2002 .. 03-31-2003; compensation offsets; 18%/yr on
                installments paid more than ten days late.
"""

import datetime as dt

import pytest

from udfs.catalogue.functions import (
    LSA_AMENDMENT,
    LSA_AVAILABILITY,
    LSA_CAPACITY,
    LSA_DEADLINES,
    LSA_FEE_SCHEDULE,
    LSA_FEES_DUE,
    LSA_INTEREST,
    LSA_MARGIN,
    LSA_MAX_LIMIT,
    LSA_OVERADVANCE_LIMIT,
    LSA_PRIME,
    LSA_RATE,
    SEV_LATE_INTEREST,
    SEV_PAYMENT,
    SEV_SCHEDULE,
    TERMS_INFO,
)
from udfs.deal.errors import TermsError

D = dt.date


def money(x):
    # cents tolerance: the engine may or may not round to cents
    return pytest.approx(x, abs=0.01)


def frac(x):
    return pytest.approx(x, abs=1e-9)


def _as_date(cell):
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, str) and len(cell) >= 10:
        try:
            return D.fromisoformat(cell.strip()[:10])
        except ValueError:
            return None
    return None


def _numbers(row):
    return [c for c in row if isinstance(c, (int, float)) and not isinstance(c, bool)]


def _table_dates(table):
    out = set()
    for row in table:
        for c in row:
            d = _as_date(c)
            if d is not None:
                out.add(d)
    return out


def _assert_terms_error(fn, code, argument):
    with pytest.raises(TermsError) as ei:
        fn()
    err = ei.value
    assert isinstance(err, ValueError)
    assert err.code == code
    # .argument is the argument name; allow a qualified form such as "offsets amount on <date>"
    assert err.argument == argument or str(err.argument).startswith(argument + " "), err.argument
    msg = str(err)
    assert "\n" not in msg
    assert msg.startswith(str(err.argument) + ":"), msg  # "<argument>: <reason>"
    assert msg.startswith(argument), msg  # the message names the argument


# ---------------------------------------------------------------------------
# Event sets used for the Maximum Limit (No.11 B.1(A))
# ---------------------------------------------------------------------------
KDD = "keltic_due_diligence"
TPC = "third_party_confirmation"
KC = "keltic_commitment"
UPC = "updated_confirmation"

NONE = {}
# first pair delivered by 11-15 (second item on 11-15 itself)
FIRST = {KDD: D(2002, 11, 13), TPC: D(2002, 11, 15)}
# first pair by 11-15 and commitment pair by 11-22 (second item on 11-22 itself)
BOTH = {**FIRST, KC: D(2002, 11, 20), UPC: D(2002, 11, 22)}
# only the commitment pair
COMMIT_ONLY = {KC: D(2002, 11, 20), UPC: D(2002, 11, 21)}
# first pair late on 11-18, with / without the commitment pair
LATE18 = {KDD: D(2002, 11, 18), TPC: D(2002, 11, 18)}
LATE18_C = {**LATE18, **COMMIT_ONLY}
# first pair late on 11-25, with / without the commitment pair
LATE25 = {KDD: D(2002, 11, 25), TPC: D(2002, 11, 25)}
LATE25_C = {**LATE25, **COMMIT_ONLY}
# first pair late on 12-03 (after the 12-02 step), commitment pair timely
LATE1203_C = {KDD: D(2002, 12, 3), TPC: D(2002, 12, 3), **COMMIT_ONLY}
# one item of the first pair only (plus the commitment pair)
HALF_KDD = {KDD: D(2002, 11, 14), **COMMIT_ONLY}
# one item of the first pair only, nothing else
HALF_TPC = {TPC: D(2002, 11, 14)}
# first pair timely, only one item of the commitment pair
HALF_KC = {**FIRST, KC: D(2002, 11, 20)}
HALF_UPC = {**FIRST, UPC: D(2002, 11, 20)}
# first pair timely, commitment pair late (11-25)
LATE_COMMIT = {**FIRST, KC: D(2002, 11, 25), UPC: D(2002, 11, 25)}

ON_DELIVERY = None  # default max_limit_late_increase
BY_STEP = "max_limit_late_increase=by_step_date"

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
# LSA_CAPACITY
# ---------------------------------------------------------------------------
def test_capacity_receivables_bound():
    # No.10 B.1: min(1,750,000, 0.85*1,000,000=850,000) - 0 = 850,000
    assert LSA_CAPACITY("2002-10-15", 1_000_000) == money(850_000)


def test_capacity_limit_bound_with_deductions():
    # No.10 B.1: min(1,750,000, 0.85*3,000,000=2,550,000)=1,750,000
    #   - (100,000 acceptances + 50,000 guaranties + 25,000 LCs = 175,000) = 1,575,000
    assert LSA_CAPACITY("2002-10-15", 3_000_000, acceptances=100_000, guaranties=50_000,
                        letters_of_credit=25_000) == money(1_575_000)
    # capacity_floor=floor_zero changes nothing when positive
    assert LSA_CAPACITY("2002-10-15", 3_000_000, acceptances=100_000, guaranties=50_000,
                        letters_of_credit=25_000, rules="capacity_floor=floor_zero") == money(1_575_000)


def test_capacity_with_increase_event():
    # No.11 B.1(A)(i): 2,300,000 on 11-15; min(2.3M, 2.55M) - 175,000 = 2,125,000
    assert LSA_CAPACITY("2002-11-15", 3_000_000, acceptances=100_000, guaranties=50_000,
                        letters_of_credit=25_000, events=FIRST) == money(2_125_000)


def test_capacity_no11_receivables_bound():
    # No.11 base 2.0M; 0.85*2,000,000 = 1,700,000 < 2.0M; minus LC 200,000 = 1,500,000
    assert LSA_CAPACITY("2002-11-12", 2_000_000, letters_of_credit=200_000) == money(1_500_000)


def test_capacity_after_final_step():
    # No.11 (ii)(c): 1,750,000 on 12-10 even with every item delivered
    assert LSA_CAPACITY("2002-12-10", 3_000_000, events=BOTH) == money(1_750_000)


def test_capacity_amended_through_no10():
    # No.10 only: 1,750,000 flat; 0.85*3M = 2.55M -> 1,750,000
    assert LSA_CAPACITY("2002-11-20", 3_000_000, events=BOTH,
                        amended_through="2002-11-11") == money(1_750_000)


def test_capacity_late_increase_rules():
    # pair on 11-18 + commitment pair: on_delivery 2.3M, by_step_date 2.0M; 0.85*3M = 2.55M
    assert LSA_CAPACITY("2002-11-18", 3_000_000, events=LATE18_C) == money(2_300_000)
    assert LSA_CAPACITY("2002-11-18", 3_000_000, events=LATE18_C,
                        rules="by_step_date") == money(2_000_000)


def test_capacity_floor_both_ways():
    # 0.85*100,000 = 85,000 < 1.75M; minus LC 100,000 = -15,000
    assert LSA_CAPACITY("2002-10-15", 100_000, letters_of_credit=100_000) == money(-15_000)
    assert LSA_CAPACITY("2002-10-15", 100_000, letters_of_credit=100_000,
                        rules="capacity_floor=negative_allowed") == money(-15_000)
    assert LSA_CAPACITY("2002-10-15", 100_000, letters_of_credit=100_000,
                        rules="capacity_floor=floor_zero") == money(0)
    # 12-10: 1,750,000 - (1,000,000 + 500,000 + 400,000 = 1,900,000) = -150,000 ; zero floor -> 0
    assert LSA_CAPACITY("2002-12-10", 3_000_000, acceptances=1_000_000, guaranties=500_000,
                        letters_of_credit=400_000) == money(-150_000)
    assert LSA_CAPACITY("2002-12-10", 3_000_000, acceptances=1_000_000, guaranties=500_000,
                        letters_of_credit=400_000, rules="floor_zero") == money(0)


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


# ---------------------------------------------------------------------------
# LSA_AVAILABILITY
# include: min(MaxLimit, 0.85R + OA) - deductions - outstanding
# exclude: capacity - outstanding
# ---------------------------------------------------------------------------
EXCL = "availability_overadvance=exclude_overadvance"


def test_availability_include_vs_exclude_receivables_bound():
    # 10-15: include min(1.75M, 850k + 400k = 1,250,000) - 50k LC - 700k = 500,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000,
                            letters_of_credit=50_000) == money(500_000)
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            rules="availability_overadvance=include_overadvance") == money(500_000)
    # exclude: min(1.75M, 850k) - 50k - 700k = 100,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            rules=EXCL) == money(100_000)


def test_availability_with_term_loan_reserve():
    # 10-15 cap 400k, reserve 250k -> OA 250k; min(1.75M, 850k+250k=1.1M) - 50k - 700k = 350,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            term_loan_reserve=250_000) == money(350_000)
    # exclude ignores overadvance: 850k - 50k - 700k = 100,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            term_loan_reserve=250_000, rules=EXCL) == money(100_000)


def test_availability_limit_bound():
    # include: min(1.75M, 1.7M + 400k = 2.1M) = 1.75M - 1.0M = 750,000
    assert LSA_AVAILABILITY("2002-10-15", 2_000_000, 1_000_000) == money(750_000)
    # exclude: min(1.75M, 1.7M) = 1.7M - 1.0M = 700,000
    assert LSA_AVAILABILITY("2002-10-15", 2_000_000, 1_000_000, rules=EXCL) == money(700_000)


def test_availability_overadvance_windows():
    # 10-13: OA 300k: min(1.75M, 850k + 300k) = 1,150,000 - 700k = 450,000
    assert LSA_AVAILABILITY("2002-10-13", 1_000_000, 700_000) == money(450_000)
    # 10-28: OA 0: 850k - 700k = 150,000 (both rules)
    assert LSA_AVAILABILITY("2002-10-28", 1_000_000, 700_000) == money(150_000)
    assert LSA_AVAILABILITY("2002-10-28", 1_000_000, 700_000, rules=EXCL) == money(150_000)


def test_availability_under_no11():
    # 11-20: No.11 -> OA 0 even with a reserve; 850k - 700k = 150,000
    assert LSA_AVAILABILITY("2002-11-20", 1_000_000, 700_000,
                            term_loan_reserve=300_000) == money(150_000)
    # 11-15 with first pair: min(2.3M, 2.55M + 0) = 2.3M - 100k acceptances - 2.0M = 200,000
    assert LSA_AVAILABILITY("2002-11-15", 3_000_000, 2_000_000, acceptances=100_000,
                            events=FIRST) == money(200_000)
    assert LSA_AVAILABILITY("2002-11-15", 3_000_000, 2_000_000, acceptances=100_000,
                            events=FIRST, rules=EXCL) == money(200_000)
    # same date, No.10-only view: 1.75M flat, OA 0 after 10-28 -> 1.75M - 100k - 1.5M = 150,000
    assert LSA_AVAILABILITY("2002-11-15", 3_000_000, 1_500_000, acceptances=100_000,
                            events=FIRST, amended_through="2002-11-11") == money(150_000)


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


# ---------------------------------------------------------------------------
# Fees
# ---------------------------------------------------------------------------
NO10 = "2002-11-11"  # amended_through value that leaves only No.10 in force
FEE_HEADER = ["fee", "component", "scheduled_date", "due_date", "amount", "status", "reason",
              "citation"]


def _fee_rows(**kw):
    table = LSA_FEE_SCHEDULE(**kw)
    header = [str(h).strip().lower() for h in table[0]]
    assert header == FEE_HEADER
    rows = [dict(zip(header, r)) for r in table[1:]]
    for r in rows:
        text = f"{r['fee']} {r['component']}".lower()
        if "base" in text:
            r["_kind"] = "base"
        elif "additional fee" in text:
            r["_kind"] = "additional"
        else:
            r["_kind"] = "amendment"
        r["_sched"] = _as_date(r["scheduled_date"])
        r["_due"] = _as_date(r["due_date"])
        r["_waived"] = "waiv" in str(r["status"]).lower()
    return rows


def _row(rows, kind, sched=None):
    hits = [r for r in rows if r["_kind"] == kind and (sched is None or r["_sched"] == sched)]
    assert len(hits) == 1, (kind, sched, rows)
    return hits[0]


def _assert_payable(row, amount, due):
    assert not row["_waived"], row
    assert float(row["amount"]) == money(amount)
    assert row["_due"] == due
    assert row["citation"]


BASE_NO10 = [  # No.10 A.3 Base Fee installments
    (D(2002, 10, 1), 15_000),
    (D(2002, 11, 15), 15_000),
    (D(2002, 12, 16), 30_000),
    (D(2002, 12, 31), 40_000),
]
ADD_1031 = D(2002, 10, 31)
ADD_1127 = D(2002, 11, 27)


def test_fee_schedule_no10_no_events():
    rows = _fee_rows(amended_through=NO10)
    for sched, amt in BASE_NO10:  # No.10 A.3: due as scheduled
        _assert_payable(_row(rows, "base", sched), amt, sched)
    _assert_payable(_row(rows, "additional", ADD_1031), 25_000, ADD_1031)  # No.10 A.3
    _assert_payable(_row(rows, "additional", ADD_1127), 25_000, ADD_1127)
    assert not [r for r in rows if r["_kind"] == "amendment"]  # No.11 fee not in view
    # total payable 15+15+30+40+25+25 = 150,000
    assert sum(float(r["amount"]) for r in rows if not r["_waived"]) == money(150_000)


@pytest.mark.parametrize(
    "event,when,waived_1031,waived_1127",
    [
        # No.10 A.3 proviso: Additional Fee installments on/after receipt are waived,
        # if received by 10-31 or 11-27
        ("purchase_offer", D(2002, 10, 20), True, True),    # both on/after 10-20
        ("purchase_offer", D(2002, 10, 31), True, True),    # 10-31 is "on" receipt date
        ("purchase_offer", D(2002, 11, 1), False, True),    # 10-31 before receipt
        ("purchase_offer", D(2002, 11, 27), False, True),   # 11-27 on receipt, within deadline
        ("purchase_offer", D(2002, 11, 28), False, False),  # after 11-27 deadline, nothing later
        ("financing_commitment", D(2002, 11, 1), False, True),  # (ii) same treatment
        ("financing_commitment", D(2002, 10, 20), True, True),
    ],
)
def test_fee_schedule_no10_purchase_offer(event, when, waived_1031, waived_1127):
    rows = _fee_rows(events={event: when}, amended_through=NO10)
    r1 = _row(rows, "additional", ADD_1031)
    r2 = _row(rows, "additional", ADD_1127)
    assert r1["_waived"] is waived_1031
    assert r2["_waived"] is waived_1127
    if not waived_1031:
        _assert_payable(r1, 25_000, ADD_1031)
    if not waived_1127:
        _assert_payable(r2, 25_000, ADD_1127)
    for sched, amt in BASE_NO10:  # Base Fee untouched by the proviso
        _assert_payable(_row(rows, "base", sched), amt, sched)


@pytest.mark.parametrize(
    "when,expected_unpaid_only_1031_waived",
    [
        (None, False),             # nothing delivered: No.10 leaves 10-31 due; unpaid_only keeps it
        (D(2002, 10, 20), True),   # No.10 proviso already waived 10-31
        (D(2002, 11, 1), False),
        (D(2002, 11, 27), False),
        (D(2002, 11, 28), False),
    ],
)
def test_fee_schedule_default_view_additional_fee(when, expected_unpaid_only_1031_waived):
    events = {"purchase_offer": when} if when else None
    # No.11 A.3 (additional_fee_waiver=all): both installments waived
    rows = _fee_rows(events=events)
    assert _row(rows, "additional", ADD_1031)["_waived"]
    assert _row(rows, "additional", ADD_1127)["_waived"]
    rows = _fee_rows(events=events, rules="additional_fee_waiver=all")
    assert _row(rows, "additional", ADD_1031)["_waived"]
    assert _row(rows, "additional", ADD_1127)["_waived"]
    # unpaid_only: 11-27 always waived by No.11; 10-31 only if No.10's proviso waived it
    rows = _fee_rows(events=events, rules="unpaid_only")
    assert _row(rows, "additional", ADD_1127)["_waived"]
    r = _row(rows, "additional", ADD_1031)
    assert r["_waived"] is expected_unpaid_only_1031_waived
    if not expected_unpaid_only_1031_waived:
        _assert_payable(r, 25_000, ADD_1031)


def test_fee_schedule_no11_amendment_fee():
    # No.11 A.3: $25,000 due 12-31 absent earlier full payment
    _assert_payable(_row(_fee_rows(), "amendment"), 25_000, D(2002, 12, 31))
    # full payment 12-01 -> due 12-01 (either base-fee rule)
    for rules in (None, "base_fee_on_full_payment=accelerated", "waived_after"):
        rows = _fee_rows(events={"full_payment": D(2002, 12, 1)}, rules=rules)
        _assert_payable(_row(rows, "amendment"), 25_000, D(2002, 12, 1))
    # full payment 12-10 -> due 12-10
    rows = _fee_rows(events={"full_payment": "2002-12-10"})
    _assert_payable(_row(rows, "amendment"), 25_000, D(2002, 12, 10))


def test_fee_schedule_default_full_payment_accelerated():
    # No.11 A.3 accelerated: every Base Fee dollar (100,000) stays payable, none due after 12-01
    rows = _fee_rows(events={"full_payment": D(2002, 12, 1)})
    base = [r for r in rows if r["_kind"] == "base"]
    assert sum(float(r["amount"]) for r in base if not r["_waived"]) == money(100_000)
    assert all(r["_due"] <= D(2002, 12, 1) for r in base if not r["_waived"])
    _assert_payable(_row(rows, "base", D(2002, 10, 1)), 15_000, D(2002, 10, 1))


def test_fee_schedule_default_full_payment_waived_after():
    # No.10 A.3 survives: base installments scheduled 12-16 (30k) and 12-31 (40k) waived
    rows = _fee_rows(events={"full_payment": D(2002, 12, 1)},
                     rules="base_fee_on_full_payment=waived_after")
    assert _row(rows, "base", D(2002, 12, 16))["_waived"]
    assert _row(rows, "base", D(2002, 12, 31))["_waived"]
    assert not _row(rows, "base", D(2002, 11, 15))["_waived"]
    base = [r for r in rows if r["_kind"] == "base"]
    # payable base: 15,000 (10-01) + 15,000 (11-15) = 30,000
    assert sum(float(r["amount"]) for r in base if not r["_waived"]) == money(30_000)


def test_fee_schedule_no10_full_payment():
    # No.10 A.3 full-payment waiver, full payment 12-01: 12-16 and 12-31 base waived
    rows = _fee_rows(events={"full_payment": D(2002, 12, 1)}, amended_through=NO10)
    assert _row(rows, "base", D(2002, 12, 16))["_waived"]
    assert _row(rows, "base", D(2002, 12, 31))["_waived"]
    _assert_payable(_row(rows, "base", D(2002, 10, 1)), 15_000, D(2002, 10, 1))
    _assert_payable(_row(rows, "base", D(2002, 11, 15)), 15_000, D(2002, 11, 15))
    _assert_payable(_row(rows, "additional", ADD_1031), 25_000, ADD_1031)
    _assert_payable(_row(rows, "additional", ADD_1127), 25_000, ADD_1127)  # before 12-01


FEES_DUE_CASES = [
    # (start, end, events, amended_through, rules, expected)   -- both ends included
    # ---- No.10 only, no events ----
    ("2002-10-01", "2002-10-01", None, NO10, None, 15_000),   # base on execution
    ("2002-10-02", "2002-10-30", None, NO10, None, 0),
    ("2002-10-01", "2002-10-31", None, NO10, None, 40_000),   # 15k base + 25k additional
    ("2002-11-01", "2002-11-30", None, NO10, None, 40_000),   # 15k (11-15) + 25k (11-27)
    ("2002-11-15", "2002-11-15", None, NO10, None, 15_000),
    ("2002-11-16", "2002-11-26", None, NO10, None, 0),
    ("2002-11-27", "2002-11-27", None, NO10, None, 25_000),
    ("2002-12-01", "2002-12-31", None, NO10, None, 70_000),   # 30k + 40k
    ("2002-10-01", "2002-12-31", None, NO10, None, 150_000),  # whole Extension Fee
    # ---- No.10 only, purchase offer / financing commitment ----
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 10, 20)}, NO10, None, 100_000),  # 150-50
    ("2002-10-31", "2002-10-31", {"purchase_offer": D(2002, 10, 20)}, NO10, None, 0),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 1)}, NO10, None, 125_000),  # 150-25
    ("2002-10-31", "2002-10-31", {"purchase_offer": D(2002, 11, 1)}, NO10, None, 25_000),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 27)}, NO10, None, 125_000),
    ("2002-11-27", "2002-11-27", {"purchase_offer": D(2002, 11, 27)}, NO10, None, 0),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 28)}, NO10, None, 150_000),
    ("2002-11-27", "2002-11-27", {"purchase_offer": D(2002, 11, 28)}, NO10, None, 25_000),
    ("2002-10-01", "2002-12-31", {"financing_commitment": D(2002, 11, 1)}, NO10, None, 125_000),
    # ---- No.10 only, full payment ----
    # 12-01: waive 12-16 (30k) + 12-31 (40k): 150 - 70 = 80,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, NO10, None, 80_000),
    ("2002-12-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, NO10, None, 0),
    # 11-13: waive 11-15, 11-27, 12-16, 12-31 -> 15k + 25k = 40,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 11, 13)}, NO10, None, 40_000),
    # ---- default view (No.11), no events ----
    # 10-01 15k; 10-31 additional waived (No.11 A.3, all)
    ("2002-10-01", "2002-10-31", None, None, None, 15_000),
    ("2002-10-31", "2002-10-31", None, None, None, 0),
    ("2002-10-31", "2002-10-31", None, None, "additional_fee_waiver=all", 0),
    ("2002-10-01", "2002-10-31", None, None, "unpaid_only", 40_000),  # 10-31 not waived
    ("2002-10-31", "2002-10-31", None, None, "additional_fee_waiver=unpaid_only", 25_000),
    ("2002-11-27", "2002-11-27", None, None, None, 0),            # waived either way
    ("2002-11-27", "2002-11-27", None, None, "unpaid_only", 0),
    # 11-12..12-31: base 15+30+40 = 85k + 25k amendment fee = 110,000
    ("2002-11-12", "2002-12-31", None, None, None, 110_000),
    ("2002-11-12", "2002-12-31", None, None, "unpaid_only", 110_000),
    # whole term: 100k base + 25k amendment fee = 125,000 (+25k 10-31 under unpaid_only)
    ("2002-10-01", "2002-12-31", None, None, None, 125_000),
    ("2002-10-01", "2002-12-31", None, None, "unpaid_only", 150_000),
    # ---- default view, purchase offer ----
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 10, 20)}, None, None, 15_000),
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 10, 20)}, None, "unpaid_only", 15_000),
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 11, 1)}, None, None, 15_000),
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 11, 1)}, None, "unpaid_only", 40_000),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 28)}, None, None, 125_000),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 28)}, None, "unpaid_only", 150_000),
    # ---- default view, full payment 12-01 ----
    # accelerated: all base still payable, none after 12-01; 100k + 25k = 125,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, None, 125_000),
    ("2002-11-12", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, None, 110_000),
    ("2002-12-02", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, None, 0),
    # waived_after: 12-16 and 12-31 base waived; 15k + 15k + 25k = 55,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, "waived_after", 55_000),
    ("2002-11-12", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, "waived_after", 40_000),
    ("2002-12-02", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, "waived_after", 0),
    # both alternatives at once: 55k + 25k (10-31 kept) = 80,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None,
     "unpaid_only,waived_after", 80_000),
    # ---- default view, full payment 11-13 (before every unpaid base installment) ----
    # accelerated: 15+30+40 = 85k base + 25k amendment fee all on 11-13 = 110,000
    ("2002-11-13", "2002-11-13", {"full_payment": D(2002, 11, 13)}, None, None, 110_000),
    ("2002-11-14", "2002-12-31", {"full_payment": D(2002, 11, 13)}, None, None, 0),
    # waived_after: 11-15, 12-16, 12-31 base waived; only 25k amendment fee on 11-13
    ("2002-11-13", "2002-11-13", {"full_payment": D(2002, 11, 13)}, None,
     "base_fee_on_full_payment=waived_after", 25_000),
    ("2002-11-14", "2002-12-31", {"full_payment": D(2002, 11, 13)}, None, "waived_after", 0),
]


@pytest.mark.parametrize(
    "start,end,events,amended_through,rules,expected",
    FEES_DUE_CASES,
    ids=[f"{c[0]}..{c[1]}|{c[2]}|{c[3]}|{c[4]}" for c in FEES_DUE_CASES],
)
def test_fees_due(start, end, events, amended_through, rules, expected):
    got = LSA_FEES_DUE(start, end, events=events, amended_through=amended_through, rules=rules)
    assert got == money(expected)


# ---------------------------------------------------------------------------
# LSA_DEADLINES
# ---------------------------------------------------------------------------
def test_deadlines_tables():
    t11 = LSA_DEADLINES()
    assert len(t11) >= 2
    dates11 = _table_dates(t11[1:])
    assert D(2002, 11, 15) in dates11  # No.11 B.1(A)(i) first pair
    assert D(2002, 11, 22) in dates11  # No.11 B.1(A)(ii)(a) commitment pair
    assert D(2002, 12, 17) in dates11  # No.11 B.4 Texas auction
    t10 = LSA_DEADLINES(amended_through=NO10)
    dates10 = _table_dates(t10[1:])
    assert D(2002, 10, 25) in dates10  # No.10 B.5 Texas offer / auction agreement
    assert D(2002, 10, 31) in dates10  # No.10 B.4 Purchase Offer
    assert D(2002, 11, 22) not in dates10
    assert D(2002, 12, 17) not in dates10


# ---------------------------------------------------------------------------
# Severance (Sev 2(b)); salary 120,000 -> monthly 10,000; six months = 60,000
# ---------------------------------------------------------------------------
SAL = 120_000
FIRST_SIX = [D(2002, 9, 30), D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31),
             D(2003, 1, 31), D(2003, 2, 28)]
LAST_SIX = [D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31), D(2003, 1, 31),
            D(2003, 2, 28), D(2003, 3, 31)]
SEVEN = [D(2002, 9, 30)] + LAST_SIX
SEVENTH = 8571.428571  # 60,000 / 7


def _assert_schedule(table, expected, absent=()):
    assert len(table) >= 2
    body = table[1:]
    for when, net in expected:
        hits = [r for r in body if any(_as_date(c) == when for c in r)
                and any(n == money(net) for n in _numbers(r))]
        assert hits, (when, net, table)
    for when in absent:
        assert not [r for r in body if any(_as_date(c) == when for c in r)], (when, table)


def test_sev_schedule_each_rule():
    # first_six: 09-30..02-28, 6 x 120,000/12 = 10,000
    _assert_schedule(SEV_SCHEDULE(SAL), [(d, 10_000) for d in FIRST_SIX], absent=[D(2003, 3, 31)])
    _assert_schedule(SEV_SCHEDULE(SAL, rule="first_six"), [(d, 10_000) for d in FIRST_SIX])
    # last_six: 10-31..03-31, 6 x 10,000
    _assert_schedule(SEV_SCHEDULE(SAL, rule="last_six"), [(d, 10_000) for d in LAST_SIX],
                     absent=[D(2002, 9, 30)])
    # seven_parts: 7 month-ends, each 120,000/2/7 = 8,571.43
    _assert_schedule(SEV_SCHEDULE(SAL, rule="severance_installments=seven_parts"),
                     [(d, SEVENTH) for d in SEVEN])


def test_sev_schedule_with_offset():
    # 15,000 received 11-10, earliest_first: 11-30 -> 0, 12-31 -> 10,000 - 5,000 = 5,000
    _assert_schedule(SEV_SCHEDULE(SAL, offsets={D(2002, 11, 10): 15_000}),
                     [(D(2002, 10, 31), 10_000), (D(2002, 11, 30), 0),
                      (D(2002, 12, 31), 5_000), (D(2003, 1, 31), 10_000)])
    # latest_first: 02-28 -> 0, 01-31 -> 5,000, 11-30 untouched
    _assert_schedule(SEV_SCHEDULE(SAL, offsets={D(2002, 11, 10): 15_000}, rule="latest_first"),
                     [(D(2002, 11, 30), 10_000), (D(2002, 12, 31), 10_000),
                      (D(2003, 1, 31), 5_000), (D(2003, 2, 28), 0)])


SEV_PAYMENT_CASES = [
    # (date, salary, offsets, rule, expected)
    # ---- no offsets ----
    ("2002-09-30", SAL, None, None, 10_000),           # first_six: 120,000/12
    ("2002-10-31", SAL, None, None, 10_000),
    ("2002-11-30", SAL, None, None, 10_000),           # calendar month-end (a Saturday)
    ("2003-02-28", SAL, None, None, 10_000),           # sixth installment
    ("2003-03-31", SAL, None, None, 0),                # not in first_six
    ("2002-10-15", SAL, None, None, 0),                # not an installment date
    ("2002-11-29", SAL, None, None, 0),
    ("2002-08-31", SAL, None, None, 0),
    ("2002-09-30", 90_000, None, None, 7_500),         # 90,000/12
    ("2002-09-30", SAL, None, "last_six", 0),          # last_six starts 10-31
    ("2002-10-31", SAL, None, "last_six", 10_000),
    ("2003-03-31", SAL, None, "last_six", 10_000),
    ("2003-03-31", SAL, None, "severance_installments=last_six", 10_000),
    ("2002-09-30", SAL, None, "seven_parts", SEVENTH),  # 60,000/7
    ("2002-11-30", SAL, None, "seven_parts", SEVENTH),
    ("2003-03-31", SAL, None, "seven_parts", SEVENTH),
    ("2002-10-15", SAL, None, "seven_parts", 0),
    # ---- 15,000 received 11-10 (larger than one installment), first_six ----
    ("2002-10-31", SAL, {D(2002, 11, 10): 15_000}, None, 10_000),   # before receipt: untouched
    ("2002-11-30", SAL, {D(2002, 11, 10): 15_000}, None, 0),        # earliest: 10,000 used
    ("2002-12-31", SAL, {D(2002, 11, 10): 15_000}, None, 5_000),    # remaining 5,000
    ("2003-01-31", SAL, {D(2002, 11, 10): 15_000}, None, 10_000),
    ("2003-02-28", SAL, {D(2002, 11, 10): 15_000}, "offset_order=earliest_first", 10_000),
    ("2002-11-30", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 10_000),
    ("2002-12-31", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 10_000),
    ("2003-01-31", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 5_000),   # remaining 5,000
    ("2003-02-28", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 0),       # latest first
    # pairs form with text date, same result
    ("2002-12-31", SAL, [("2002-11-10", 15_000)], None, 5_000),
    # ---- 5,000 received 08-15 (before 09-30) ----
    ("2002-09-30", SAL, {D(2002, 8, 15): 5_000}, None, 5_000),              # earliest installment
    ("2002-10-31", SAL, {D(2002, 8, 15): 5_000}, None, 10_000),
    ("2003-02-28", SAL, {D(2002, 8, 15): 5_000}, None, 10_000),
    ("2002-09-30", SAL, {D(2002, 8, 15): 5_000}, "latest_first", 10_000),
    ("2003-02-28", SAL, {D(2002, 8, 15): 5_000}, "latest_first", 5_000),    # last of first_six
    ("2002-10-31", SAL, {D(2002, 8, 15): 5_000}, "last_six", 5_000),        # first of last_six
    ("2003-03-31", SAL, {D(2002, 8, 15): 5_000}, "last_six,latest_first", 5_000),
    # ---- 3,000 received on an installment date (10-31): that installment is eligible ----
    ("2002-10-31", SAL, {D(2002, 10, 31): 3_000}, None, 7_000),
    ("2002-10-31", SAL, {D(2002, 10, 31): 3_000}, "latest_first", 10_000),
    ("2003-02-28", SAL, {D(2002, 10, 31): 3_000}, "latest_first", 7_000),
    # ---- 25,000 received 2003-01-15: only 01-31 and 02-28 eligible, 5,000 unused ----
    ("2002-12-31", SAL, {D(2003, 1, 15): 25_000}, None, 10_000),
    ("2003-01-31", SAL, {D(2003, 1, 15): 25_000}, None, 0),
    ("2003-02-28", SAL, {D(2003, 1, 15): 25_000}, None, 0),
    ("2002-12-31", SAL, {D(2003, 1, 15): 25_000}, "latest_first", 10_000),
    # ---- two offsets: 5,000 on 10-05 and 12,000 on 11-10 ----
    ("2002-10-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, None, 5_000),
    ("2002-11-30", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, None, 0),
    ("2002-12-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, None, 8_000),
    # latest_first: 02-28 absorbs 10,000, 01-31 absorbs 7,000 -> 3,000
    ("2003-02-28", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, "latest_first", 0),
    ("2003-01-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, "latest_first", 3_000),
    ("2002-10-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, "latest_first", 10_000),
    # ---- seven_parts with the 15,000 offset on 11-10 ----
    # earliest: 11-30 -> 0 (8,571.43 used), 12-31 -> 2 x 60,000/7 - 15,000 = 15,000/7 = 2,142.86
    ("2002-11-30", SAL, {D(2002, 11, 10): 15_000}, "seven_parts", 0),
    ("2002-12-31", SAL, {D(2002, 11, 10): 15_000}, "seven_parts", 2142.857143),
    ("2002-10-31", SAL, {D(2002, 11, 10): 15_000}, "seven_parts", SEVENTH),
    ("2003-03-31", SAL, {D(2002, 11, 10): 15_000}, "seven_parts,latest_first", 0),
    ("2003-02-28", SAL, {D(2002, 11, 10): 15_000}, "seven_parts,latest_first", 2142.857143),
]


@pytest.mark.parametrize(
    "date,salary,offsets,rule,expected",
    SEV_PAYMENT_CASES,
    ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in SEV_PAYMENT_CASES],
)
def test_sev_payment(date, salary, offsets, rule, expected):
    assert SEV_PAYMENT(date, salary, offsets=offsets, rule=rule) == money(expected)


SEV_LATE_CASES = [
    # (due, paid, amount, rule, expected); 18%/yr simple, actual/365; 10,000 x 18% = 1,800/yr
    ("2002-10-31", "2002-10-31", 10_000, None, 0),              # on time
    ("2002-10-31", "2002-11-05", 10_000, None, 0),              # 5 days: within grace
    ("2002-10-31", "2002-11-10", 10_000, None, 0),              # day 10: within ten days
    ("2002-10-31", "2002-11-10", 10_000, "after_grace", 0),
    ("2002-10-31", "2002-11-11", 10_000, None, 54.246575),      # day 11: 1,800 x 11/365
    ("2002-10-31", "2002-11-11", 10_000, "late_interest_start=from_due_date", 54.246575),
    ("2002-10-31", "2002-11-11", 10_000, "after_grace", 4.931507),   # 1,800 x 1/365
    ("2002-10-31", "2002-11-30", 10_000, None, 147.945205),     # 30 days: 1,800 x 30/365
    ("2002-10-31", "2002-11-30", 10_000, "after_grace", 98.630137),  # 20 days: 1,800 x 20/365
    ("2002-12-31", "2003-01-30", 10_000, None, 147.945205),     # 30 days across year end
    ("2002-12-31", "2003-01-30", 10_000, "late_interest_start=after_grace", 98.630137),
    ("2002-10-31", "2002-11-30", 5_000, None, 73.972603),       # 900 x 30/365
]


@pytest.mark.parametrize(
    "due,paid,amount,rule,expected",
    SEV_LATE_CASES,
    ids=[f"{c[0]}->{c[1]}|{c[2]}|{c[3]}" for c in SEV_LATE_CASES],
)
def test_sev_late_interest(due, paid, amount, rule, expected):
    assert SEV_LATE_INTEREST(due, paid, amount, rule=rule) == money(expected)


# ---------------------------------------------------------------------------
# TERMS_INFO
# ---------------------------------------------------------------------------
DEFAULTS = {
    "severance_installments": "first_six",
    "late_interest_start": "from_due_date",
    "offset_order": "earliest_first",
    "additional_fee_waiver": "all",
    "max_limit_late_increase": "on_delivery",
    "day_count": "actual/360",
    "base_fee_on_full_payment": "accelerated",
    "capacity_floor": "negative_allowed",
    "availability_overadvance": "include_overadvance",
}


def _info(rules=None):
    table = TERMS_INFO(rules=rules)
    out = {}
    for row in table[1:]:
        out[str(row[0]).strip().lower()] = str(row[1]).strip().lower()
    return out


def _value(info, key):
    hits = [v for k, v in info.items() if key in k]
    assert len(hits) == 1, (key, info)
    return hits[0]


def test_terms_info_defaults():
    info = _info()
    for key, choice in DEFAULTS.items():
        assert _value(info, key).startswith(choice), (key, info)


def test_terms_info_reflects_switch():
    info = _info("last_six")
    assert _value(info, "severance_installments").startswith("last_six")
    assert _value(info, "offset_order").startswith("earliest_first")  # untouched
    info = _info("offset_order=latest_first,after_grace")
    assert _value(info, "offset_order").startswith("latest_first")
    assert _value(info, "late_interest_start").startswith("after_grace")
    info = _info({"additional_fee_waiver": "unpaid_only", "capacity_floor": "floor_zero"})
    assert _value(info, "additional_fee_waiver").startswith("unpaid_only")
    assert _value(info, "capacity_floor").startswith("floor_zero")
    info = _info(["by_step_date", "waived_after", "availability_overadvance=exclude_overadvance"])
    assert _value(info, "max_limit_late_increase").startswith("by_step_date")
    assert _value(info, "base_fee_on_full_payment").startswith("waived_after")
    assert _value(info, "availability_overadvance").startswith("exclude_overadvance")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------
ERROR_CASES = [
    # (label, callable, code, argument)
    ("text not a date", lambda: LSA_MAX_LIMIT("not a date"), "#VALUE!", "date"),
    ("number not a date", lambda: LSA_MAX_LIMIT(37580), "#VALUE!", "date"),
    ("before range", lambda: LSA_MAX_LIMIT("2002-09-30"), "#N/A", "date"),
    ("after range", lambda: LSA_MAX_LIMIT("2003-01-01"), "#N/A", "date"),
    ("margin before range", lambda: LSA_MARGIN("2002-09-30", "advances"), "#N/A", "date"),
    ("rate after range", lambda: LSA_RATE("2003-01-01", "advances"), "#N/A", "date"),
    ("capacity after range", lambda: LSA_CAPACITY("2003-02-01", 1_000), "#N/A", "date"),
    ("overadvance before range", lambda: LSA_OVERADVANCE_LIMIT("2002-09-01"), "#N/A", "date"),
    ("amendment before range", lambda: LSA_AMENDMENT("2002-09-30"), "#N/A", "date"),
    ("interest start before range",
     lambda: LSA_INTEREST("2002-09-15", "2002-10-15", 1_000, "advances"), "#N/A", "start"),
    ("interest end far after range",
     lambda: LSA_INTEREST("2002-12-01", "2003-02-01", 1_000, "advances"), "#N/A", "end"),
    ("interest end not a date",
     lambda: LSA_INTEREST("2002-11-01", "garbage", 1_000, "advances"), "#VALUE!", "end"),
    ("fees start not a date", lambda: LSA_FEES_DUE("someday", "2002-12-31"), "#VALUE!", "start"),
    ("amended_through before No.10",
     lambda: LSA_MARGIN("2002-11-20", "advances", amended_through="2002-09-30"),
     "#N/A", "amended_through"),
    ("amended_through not a date",
     lambda: LSA_MAX_LIMIT("2002-11-20", amended_through="soon"), "#VALUE!", "amended_through"),
    ("negative receivables", lambda: LSA_CAPACITY("2002-10-15", -1), "#VALUE!", "receivables"),
    ("negative acceptances",
     lambda: LSA_CAPACITY("2002-10-15", 1_000_000, acceptances=-5), "#VALUE!", "acceptances"),
    ("negative LCs",
     lambda: LSA_CAPACITY("2002-10-15", 1_000_000, letters_of_credit=-5),
     "#VALUE!", "letters_of_credit"),
    ("negative outstanding",
     lambda: LSA_AVAILABILITY("2002-10-15", 1_000_000, -1), "#VALUE!", "outstanding"),
    ("negative reserve",
     lambda: LSA_OVERADVANCE_LIMIT("2002-10-15", term_loan_reserve=-1),
     "#VALUE!", "term_loan_reserve"),
    ("negative balance",
     lambda: LSA_INTEREST("2002-11-01", "2002-11-15", -1, "advances"), "#VALUE!", "balance"),
    ("unknown facility", lambda: LSA_MARGIN("2002-11-20", "mortgage"), "#VALUE!", "facility"),
    ("unknown facility rate", lambda: LSA_RATE("2002-11-20", "libor"), "#VALUE!", "facility"),
    ("unknown day count",
     lambda: LSA_INTEREST("2002-11-01", "2002-11-15", 1_000, "advances", day_count="30/360"),
     "#VALUE!", "day_count"),
    ("unknown event",
     lambda: LSA_MAX_LIMIT("2002-11-20", events={"keltic_signature": D(2002, 11, 14)}),
     "#VALUE!", "events"),
    ("unknown event fees",
     lambda: LSA_FEES_DUE("2002-10-01", "2002-12-31", events={"sale_closing": D(2002, 12, 1)}),
     "#VALUE!", "events"),
    ("unknown rule", lambda: LSA_MAX_LIMIT("2002-11-20", rules="bogus_rule"), "#VALUE!", "rules"),
    ("unknown rule choice",
     lambda: LSA_FEES_DUE("2002-10-01", "2002-12-31", rules="additional_fee_waiver=some"),
     "#VALUE!", "rules"),
    ("unknown rule terms info", lambda: TERMS_INFO(rules="eight_parts"), "#VALUE!", "rules"),
    ("sev date not a date", lambda: SEV_PAYMENT("someday", SAL), "#VALUE!", "date"),
    ("sev negative salary", lambda: SEV_PAYMENT("2002-09-30", -1), "#VALUE!", "annual_salary"),
    ("sev schedule negative salary", lambda: SEV_SCHEDULE(-1), "#VALUE!", "annual_salary"),
    ("sev unknown rule", lambda: SEV_PAYMENT("2002-09-30", SAL, rule="eight_parts"),
     "#VALUE!", "rule"),
    ("sev negative offset",
     lambda: SEV_PAYMENT("2002-09-30", SAL, offsets={D(2002, 9, 1): -5}), "#VALUE!", "offsets"),
    ("late negative amount",
     lambda: SEV_LATE_INTEREST("2002-10-31", "2002-11-30", -1), "#VALUE!", "amount"),
    ("late paid not a date",
     lambda: SEV_LATE_INTEREST("2002-10-31", "garbage", 1_000), "#VALUE!", "paid_date"),
    ("late unknown rule",
     lambda: SEV_LATE_INTEREST("2002-10-31", "2002-11-30", 1_000, rule="from_payday"),
     "#VALUE!", "rule"),
    ("prime not a date", lambda: LSA_PRIME("garbage"), "#VALUE!", "date"),
]


@pytest.mark.parametrize("label,fn,code,argument", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(label, fn, code, argument):
    _assert_terms_error(fn, code, argument)
