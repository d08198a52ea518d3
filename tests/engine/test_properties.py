"""Property tests: no input makes the engine raise anything but its own clear error,
and the answers keep the shape the documents give them."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from udfs.catalogue.functions import CATALOGUE, default_catalogue
from udfs.deal.errors import TermsError

CAT = default_catalogue()
EVENT_NAMES = ["keltic_due_diligence", "third_party_confirmation", "keltic_commitment", "updated_confirmation",
               "purchase_offer", "financing_commitment", "full_payment"]
RULES = ["first_six", "last_six", "seven_parts", "after_grace", "latest_first", "unpaid_only", "by_step_date",
         "actual/365", "waived_after", "floor_zero", "exclude_overadvance"]

term_dates = st.dates(dt.date(2002, 10, 1), dt.date(2002, 12, 31))
any_dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))
junk = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), any_dates, any_dates.map(lambda d: d.isoformat()), st.lists(st.integers(), max_size=3),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2040, 1, 1)), st.just("term loan"), st.just("advances"),
)
events = st.one_of(st.none(), st.dictionaries(st.sampled_from(EVENT_NAMES), st.one_of(term_dates, st.none()),
                                              max_size=7), junk)
rules = st.one_of(st.none(), st.sampled_from(RULES), st.lists(st.sampled_from(RULES), max_size=3), junk)


def call(name, args):
    try:
        result = getattr(CAT, name)(*args)
    except TermsError as exc:
        assert exc.code in ("#VALUE!", "#N/A")
        assert "\n" not in str(exc) and str(exc).startswith(f"{exc.argument}: ")
        return None
    return result


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CATALOGUE), st.lists(st.one_of(junk, events, rules), max_size=10))
def test_any_arguments_give_an_answer_or_a_terms_error(name, args):
    try:
        call(name, args)
    except TypeError as exc:  # too many positional arguments: Python's own call check, not the engine
        assert "positional argument" in str(exc)


@settings(max_examples=200, deadline=None)
@given(term_dates, st.floats(0, 1e9), st.floats(0, 1e7), st.floats(0, 1e7), st.floats(0, 1e7), events, rules)
def test_capacity_is_bounded_by_the_limit_and_receivables(day, receivables, acc, gua, loc, evs, rule):
    capacity = call("LSA_CAPACITY", [day, receivables, acc, gua, loc, evs, None, rule])
    if capacity is None:
        return
    limit = CAT.LSA_MAX_LIMIT(day, evs, None, rule)
    assert limit in (1_750_000, 2_000_000, 2_300_000)
    if day >= dt.date(2002, 12, 9):
        assert limit == 1_750_000  # No. 11 B.1(A)(ii)(c): in any event
    if day >= dt.date(2002, 12, 2):
        assert limit <= 2_000_000  # (ii)(b)
    expected = min(limit, 0.85 * receivables) - (acc + gua + loc)
    if rule == "floor_zero" or (isinstance(rule, list) and "floor_zero" in rule):
        expected = max(expected, 0.0)
    assert math.isclose(capacity, expected, rel_tol=1e-12, abs_tol=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(EVENT_NAMES), term_dates, max_size=7),
       st.sampled_from([None, "unpaid_only", "waived_after", "unpaid_only,waived_after"]),
       st.one_of(st.none(), term_dates))
def test_fees_never_exceed_what_the_documents_charge(evs, rule, at):
    if at is not None and at < dt.date(2002, 10, 1):
        return
    paid = evs.get("full_payment")
    if paid is not None and paid < dt.date(2002, 11, 12) and (at is None or at >= dt.date(2002, 11, 12)):
        # No. 11 would follow the repayment it supposes: refused, not answered
        with pytest.raises(TermsError) as err:
            CAT.LSA_FEES_DUE("2002-10-01", "2002-12-31", evs, at, rule)
        assert err.value.argument == "events" and "Amendment No. 11" in err.value.reason
        return
    total = CAT.LSA_FEES_DUE("2002-10-01", "2002-12-31", evs, at, rule)
    assert 0 <= total <= 150_000 + 25_000
    table = CAT.LSA_FEE_SCHEDULE(evs, at, rule)
    assert math.isclose(total, sum(r[4] for r in table[1:] if r[5] == "due"))
    for row in table[1:]:
        assert row[3] <= dt.date(2002, 12, 31)
        if row[5] == "waived":
            assert row[6], "a waiver always says why"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(term_dates, any_dates, st.text(max_size=5)), min_size=1, max_size=40),
       st.sampled_from(["LSA_MAX_LIMIT", "LSA_CAPACITY", "LSA_AVAILABILITY", "LSA_PRIME", "LSA_RATE",
                        "LSA_OVERADVANCE_LIMIT", "LSA_MARGIN"]),
       st.dictionaries(st.sampled_from(EVENT_NAMES[:4]), term_dates, max_size=4))
def test_columns_equal_row_by_row_answers(dates, name, evs):
    args = {
        "LSA_MAX_LIMIT": [dates, evs], "LSA_CAPACITY": [dates, 2_400_000.0, 10_000.0, None, None, evs],
        "LSA_AVAILABILITY": [dates, 2_400_000.0, 1_000_000.0, None, None, None, 250_000.0, evs],
        "LSA_PRIME": [dates], "LSA_RATE": [dates, "term loan"], "LSA_OVERADVANCE_LIMIT": [dates, 350_000.0],
        "LSA_MARGIN": [dates, "advances"],
    }[name]
    column = CAT.many(name, args, len(dates))
    for i in range(len(dates)):
        row = [a[i] if a is dates else a for a in args]
        try:
            expected = getattr(CAT, name)(*row)
        except TermsError as exc:
            assert isinstance(column[i], TermsError) and str(column[i]) == str(exc)
        else:
            assert column[i] == expected


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1e7), st.dictionaries(st.dates(dt.date(2002, 6, 6), dt.date(2003, 3, 31)),
                                          st.floats(0, 1e6), max_size=5),
       st.sampled_from([None, "last_six", "seven_parts", "latest_first", "seven_parts,latest_first"]))
def test_severance_offsets_never_pay_more_than_gross(salary, offsets, rule):
    table = CAT.SEV_SCHEDULE(salary, offsets, rule)
    rows = [r for r in table[1:] if r[0] != "unapplied"]
    assert math.isclose(sum(r[2] for r in rows), salary / 2, rel_tol=1e-9, abs_tol=1e-6)  # six months' salary
    assert all(-1e-6 <= r[4] <= r[2] + 1e-6 for r in rows)
    offset_total = sum(offsets.values())
    applied = sum(r[3] for r in table[1:])
    assert math.isclose(applied, offset_total, rel_tol=1e-9, abs_tol=1e-6)  # nothing lost


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), any_dates), min_size=1, max_size=30),
       st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=30, max_size=30),
       st.sampled_from(["LSA_CAPACITY", "SEV_PAYMENT"]))
def test_numpy_columns_equal_python_columns(dates, amounts, name):
    n = len(dates)
    as_numpy = np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in dates])
    money = np.array(amounts[:n], dtype=np.float64)
    from_numpy = CAT.many(name, [as_numpy, money], n)
    from_python = CAT.many(name, [list(dates), money.tolist()], n)
    assert [str(v) if isinstance(v, TermsError) else v for v in from_numpy] == \
           [str(v) if isinstance(v, TermsError) else v for v in from_python]
