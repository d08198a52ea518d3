"""The Initial Term's end is effective-dated: a later document moves the window from its own date.

The deals here are the embedded deal plus one made-up document that changes only the term's end,
so every expected date follows from that one line of data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.engine.terms import Terms
from udfs.loading import parse_deal

SEED = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"
D = dt.date.fromisoformat


def deal_with_term_end(signed: str, effective: str, end: str):
    text = SEED.read_text()
    doc = f'''
[[documents]]
id = "amendment-x"
short = "No. X"
title = "Amendment No. X"
date = {signed}
terms_known = true
citation = "made-up"
changes = ["Initial Term end moved"]
'''
    version = f'''[[terms.initial_term_end]]
document = "amendment-x"
from = {effective}
value = {end}
citation = "Amendment No. X, 1"

'''
    text = text.replace("# ---------------------------------------------------------------- terms", doc + "\n# ----", 1)
    text = text.replace("[[terms.initial_term_end]]", version + "[[terms.initial_term_end]]", 1)
    # pricing must cover a longer window: extend No. 11's grid to the new end (data only)
    text = text.replace("to = 2002-12-31\nvalue = 0.06", f"to = {max(D(end), D('2002-12-31'))}\nvalue = 0.06")
    return Catalogue(Terms(parse_deal(text.encode(), "made-up.toml")))


def window(cat, amended_through=None):
    view = cat.view(amended_through=amended_through)
    return view.start, view.end


def test_an_extension_moves_the_end_for_views_that_include_it():
    cat = deal_with_term_end("2002-12-20", "2002-12-20", "2003-03-31")
    assert window(cat) == (D("2002-10-01"), D("2003-03-31"))
    assert window(cat, "2002-12-19") == (D("2002-10-01"), D("2002-12-31"))  # before it was signed: old end
    assert cat.LSA_MAX_LIMIT("2003-02-15") == 1750000  # No. 11's (ii)(c) cap carries on
    with pytest.raises(TermsError) as err:
        cat.LSA_MAX_LIMIT("2003-02-15", amended_through="2002-12-19")
    assert err.value.code == "#N/A" and "as amended through 2002-12-19" in str(err.value)
    with pytest.raises(TermsError) as err:
        cat.LSA_MAX_LIMIT("2003-04-01")
    assert "2003-03-31" in str(err.value) and "every document" in str(err.value)
    assert cat.terms.longest_end() == D("2003-03-31")


def test_a_shortening_ends_the_window_early():
    cat = deal_with_term_end("2002-11-20", "2002-11-20", "2002-11-30")
    assert window(cat) == (D("2002-10-01"), D("2002-11-30"))
    assert window(cat, "2002-11-19")[1] == D("2002-12-31")
    assert cat.terms.longest_end() == D("2002-12-31")  # the view before it still runs to 12-31


def test_an_end_already_past_on_its_own_date_closes_the_window_the_day_before():
    # signed 2002-12-15, ending the term 2002-12-10: days up to 12-14 were inside the term as then known
    cat = deal_with_term_end("2002-12-15", "2002-12-15", "2002-12-10")
    assert window(cat)[1] == D("2002-12-14")


def test_an_extension_signed_after_the_term_ended_does_not_revive_it():
    cat = deal_with_term_end("2003-01-10", "2003-01-10", "2003-03-31")
    assert window(cat)[1] == D("2002-12-31")
