"""A term that ends on events: early on a notice, and on a date unless a letter arrives by then
(docs/deal-format.md, "A term that ends early on an event").

The clauses, written for this test and appended to the embedded deal as a made-up document of
2002-12-20 ("Test Forbearance"):

  3.2(a) The Initial Term (2002-12-31 under No. 10 B.3) is extended to 2003-02-28.
  3.2(b) It ends on 2003-01-17 unless by 2003-01-17 the Debtor delivers a revised Keltic commitment.
  3.2(c) It ends on the day the Agent gives a Termination Notice, if that comes first.
  5.1    Margins of 6% for both facilities from 2003-01-01 to 2003-02-28 (so the longer term is priced).

Every window end below is worked from those clauses: the term's last day is the earliest of the
dates that apply.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import workbook_helpers as H

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.engine.terms import Terms
from udfs.loading import parse_deal

D = dt.date
SEED = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"
EXTRA = """
[events.keltic_revised]
label = "Revised Keltic commitment letter"
citation = "Test Forbearance, 3.2(b)"

[events.termination_notice]
label = "Termination Notice"
citation = "Test Forbearance, 3.2(c)"

[[documents]]
id = "test-forbearance"
short = "Test F"
title = "Test Forbearance"
date = 2002-12-20
citation = "Test Forbearance"

[[terms.initial_term_end]]
document = "test-forbearance"
from = 2002-12-20
value = 2003-02-28
citation = "Test Forbearance, 3.2(a)"
[[terms.initial_term_end.steps]]
kind = "cap"
on_event = "termination_notice"
citation = "Test Forbearance, 3.2(c)"
[[terms.initial_term_end.steps]]
kind = "cap"
date = 2003-01-17
value = 2003-01-17
unless = ["keltic_revised"]
unless_by = 2003-01-17
citation = "Test Forbearance, 3.2(b)"

[[terms.margin_advances]]
document = "test-forbearance"
from = 2003-01-01
to = 2003-02-28
value = 0.06
citation = "Test Forbearance, 5.1"

[[terms.margin_term_loan]]
document = "test-forbearance"
from = 2003-01-01
to = 2003-02-28
value = 0.06
citation = "Test Forbearance, 5.1"
"""


def deal():
    return parse_deal((SEED.read_text() + EXTRA).encode(), "test-term-end.toml")


@pytest.fixture(scope="module")
def cat():
    return Catalogue(Terms(deal()))


def window_end(cat, events=None, through=None) -> dt.date:
    rows = {r[0]: r for r in cat.TERMS_INFO(None, through, events)}
    return D.fromisoformat(rows["window"][1].split(" to ")[1])


@pytest.mark.parametrize("events, through, end", [
    (None, None, D(2003, 1, 17)),  # 3.2(b): no revised commitment: the term ends 2003-01-17
    ([["keltic_revised", D(2003, 1, 10)]], None, D(2003, 2, 28)),  # delivered in time: 3.2(a)'s end
    ([["keltic_revised", D(2003, 1, 17)]], None, D(2003, 2, 28)),  # on the day itself: in time
    ([["keltic_revised", D(2003, 1, 18)]], None, D(2003, 1, 17)),  # a day late: 2003-01-17 holds
    ([["keltic_revised", D(2003, 1, 10)], ["termination_notice", D(2003, 1, 25)]], None, D(2003, 1, 25)),
    ([["termination_notice", D(2003, 1, 5)]], None, D(2003, 1, 5)),  # 3.2(c) before 3.2(b)'s date
    ([["termination_notice", D(2003, 1, 20)]], None, D(2003, 1, 17)),  # after it: 2003-01-17 came first
    (None, D(2002, 12, 19), D(2002, 12, 31)),  # the view before the Test Forbearance: No. 10's end
    ([["termination_notice", D(2003, 1, 5)]], D(2002, 12, 19), D(2002, 12, 31)),  # its notice counts not
])
def test_window_end_by_hand(cat, events, through, end):
    assert window_end(cat, events, through) == end


def test_every_question_takes_the_events(cat):
    on_time = [["keltic_revised", D(2003, 1, 10)]]
    day = D(2003, 2, 3)
    with pytest.raises(TermsError) as err:
        cat.LSA_MAX_LIMIT(day)
    assert "ended 2003-01-17" in err.value.reason
    assert cat.LSA_MAX_LIMIT(day, on_time) == 1_750_000  # No. 11 B.1(A)(ii)(c) holds on
    assert cat.LSA_AMENDMENT(day, None, on_time) == "Test Forbearance"
    assert cat.LSA_OVERADVANCE_LIMIT(day, None, None, on_time) == 0
    assert cat.LSA_MARGIN(day, "advances", None, on_time) == 0.06
    assert cat.LSA_RATE(day, "advances", None, None, on_time) == pytest.approx(0.1025)  # 4.25% + 6%
    # interest on 1,000,000 from 2003-02-03 for 7 days at 10.25% on actual/360: 1,993.06
    assert round(cat.LSA_INTEREST(day, D(2003, 2, 10), 1_000_000, "advances", None, None, None, None, on_time),
                 2) == 1993.06
    assert cat.LSA_CAPACITY(day, 1_000_000, None, None, None, on_time) == 850_000


def test_a_ceiling_without_a_value_needs_an_event_and_a_date_term():
    bad = (SEED.read_text() + EXTRA).replace('kind = "cap"\non_event = "termination_notice"',
                                             'kind = "level"\non_event = "termination_notice"')
    with pytest.raises(Exception) as err:
        parse_deal(bad.encode(), "bad.toml")
    assert "terms.initial_term_end[1].steps[0].value" in str(err.value)


# -- the workbook: TermEnd and the days past it recalculate from the Inputs tab's events ----------------

SCENARIOS = {
    "none": ({}, D(2003, 1, 17)),
    "on_time": ({"keltic_revised": D(2003, 1, 10)}, D(2003, 2, 28)),
    "notice": ({"keltic_revised": D(2003, 1, 10), "termination_notice": D(2003, 1, 25)}, D(2003, 1, 25)),
}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    if not (H.soffice() and H.ssconvert()):
        pytest.fail("LibreOffice and Gnumeric are needed (bash .ci/run installs them)")
    root = tmp_path_factory.mktemp("te")
    d = deal()
    built = {k: H.build_file(root / f"{k}.xlsx", {"as_of": D(2003, 1, 10), "events": ev}, deal=d)
             for k, (ev, _) in SCENARIOS.items()}
    # a lender types the notice into the file built without events
    typed = root / "typed.xlsx"
    H.set_inputs(built["none"], typed, H.changes_for({"as_of": D(2003, 1, 10), "events": SCENARIOS["notice"][0]},
                                                    deal=d))
    files = [*built.values(), typed]
    return {"built": built, "typed": typed, "libreoffice": H.recalculate(files, root / "lo"),
            "gnumeric": H.recalculate_gnumeric(files, root / "gn")}


@pytest.mark.parametrize("program", ["libreoffice", "gnumeric"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_recalculated_workbook_equals_the_engine(books, program, scenario):
    path = books["built"][scenario]
    formulas, got = H.formula_cells(path), H.values(books[program][path])
    assert H.errors(formulas, got) == []
    assert H.mismatches(formulas, got, H.values(path)) == []
    assert H.as_date(H.named(books[program][path], "TermEnd")[0]) == SCENARIOS[scenario][1]


@pytest.mark.parametrize("program", ["libreoffice", "gnumeric"])
def test_a_notice_typed_into_the_file_ends_the_term(books, program):
    path = books[program][books["typed"]]
    assert H.as_date(H.named(path, "TermEnd")[0]) == D(2003, 1, 25)
    dates = [H.as_date(v) for v in H.named(path, "BC_Date")]
    limits = dict(zip(dates, H.named(path, "BC_MaxLimit"), strict=True))
    assert dates[-1] == D(2003, 2, 28)  # the schedule runs to the latest end any deliveries reach
    assert limits[D(2003, 1, 25)] == 1_750_000 and limits[D(2003, 1, 26)] in ("", None)
