"""The worked examples of Amendments No. 10 and No. 11 and the severance letter: helpers and the event
sets the area files share (not a test file). Every expected value in those files is a literal worked
out by hand from the source documents; nothing calls the engine to obtain one.

Citation shorthand used in their comments:
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

from udfs.deal.errors import TermsError

D = dt.date


def money(x):
    # cents tolerance: the engine may or may not round to cents
    return pytest.approx(x, abs=0.01)


def frac(x):
    return pytest.approx(x, abs=1e-9)


def cell_date(cell):
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


def numbers(row):
    return [c for c in row if isinstance(c, (int, float)) and not isinstance(c, bool)]


def table_dates(table):
    out = set()
    for row in table:
        for c in row:
            d = cell_date(c)
            if d is not None:
                out.add(d)
    return out


def assert_terms_error(fn, code, argument):
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

NO10 = "2002-11-11"  # amended_through value that leaves only No.10 in force
SAL = 120_000  # Sev 2(b): annual salary 120,000 -> monthly 10,000; six months = 60,000
