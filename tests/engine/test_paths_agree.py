"""The engine has two entry points per borrowing rule, one value at a time and whole numpy columns
(udfs/engine/terms.py and columns.py). For random dates, deliveries, views and readings, both must give
the same answers and the same errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from udfs.catalogue.functions import default_catalogue
from udfs.deal.errors import TermsError

CAT = default_catalogue()
EVENTS = ["keltic_due_diligence", "third_party_confirmation", "keltic_commitment", "updated_confirmation"]
READINGS = ["by_step_date", "floor_zero", "exclude_overadvance", "max_limit_caps_advances_only"]
days = st.dates(dt.date(2002, 9, 25), dt.date(2003, 1, 5))
money = st.floats(0, 5e6, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(days, min_size=1, max_size=25), st.lists(money, min_size=25, max_size=25),
       st.sampled_from(["LSA_MAX_LIMIT", "LSA_CAPACITY", "LSA_AVAILABILITY", "LSA_OVERADVANCE_LIMIT", "LSA_MARGIN",
                        "LSA_RATE"]),
       st.dictionaries(st.sampled_from(EVENTS), st.dates(dt.date(2002, 11, 10), dt.date(2002, 12, 5)), max_size=4),
       st.sampled_from([None, "2002-10-01", "2002-11-11", "2002-11-12"]),
       st.lists(st.sampled_from(READINGS), max_size=3, unique=True),
       money, st.one_of(st.none(), money))
def test_scalar_and_column_paths_agree(dates, amounts, name, evs, at, readings, letters, reserve):
    n = len(dates)
    receivables = np.array(amounts[:n])
    rules = ",".join(readings) or None
    args = {
        "LSA_MAX_LIMIT": [dates, evs, at, rules],
        "LSA_CAPACITY": [dates, receivables, None, None, letters, evs, at, rules],
        "LSA_AVAILABILITY": [dates, receivables, 250_000.0, None, None, letters, reserve, evs, at, rules],
        "LSA_OVERADVANCE_LIMIT": [dates, reserve, at],
        "LSA_MARGIN": [dates, "term loan", at],
        "LSA_RATE": [dates, "advances", None, at],
    }[name]
    column = CAT.many(name, args, n)
    for i in range(n):
        row = [a[i] if (a is dates or a is receivables) else a for a in args]
        row = [float(v) if isinstance(v, np.floating) else v for v in row]
        try:
            expected = getattr(CAT, name)(*row)
        except TermsError as exc:
            assert isinstance(column[i], TermsError) and str(column[i]) == str(exc), (i, row)
        else:
            assert not isinstance(column[i], TermsError), (i, row, column[i])
            assert abs(column[i] - expected) <= 1e-9 * max(1.0, abs(expected)), (i, row)


def test_a_per_row_amended_through_goes_row_by_row_in_many():
    # the Excel layer's case (tests/excel/test_xlfuncs.py, test_per_row_amended_through), asked of the catalogue:
    # 2002-11-15 under all documents, then as the parties stood on 2002-11-11 (No. 10 only)
    day = dt.date(2002, 11, 15)
    assert CAT.many("LSA_MAX_LIMIT", [[day, day], None, [None, "2002-11-11"]], 2) == [2_000_000.0, 1_750_000.0]
    refused = CAT.many("LSA_MAX_LIMIT", [[day, day], None, ["2002-11-11", "eleventh"]], 2)
    assert refused[0] == 1_750_000.0 and isinstance(refused[1], TermsError) and refused[1].argument == "amended_through"
