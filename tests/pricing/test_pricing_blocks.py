"""Pricing blocks and steps dated by events, worked by hand from the clauses.

The deal: the embedded one plus a made-up Amendment No. 12 (tests/data/pricing_blocks.toml, its clauses
quoted at the top of that file), signed 2002-12-20:
  3(a) from 2002-12-20 the Prime Rate is never less than 4.75% (floor) nor more than 10.00% (cap);
  3(b) from the day of a Default Notice every rate is 2.00% higher (the Default Rate);
  3(c) from 2002-12-20 the Advances bear Prime plus 6.0%, and plus 6.5% from a Collateral Shortfall Notice.
Before it: H.15 prime 4.25% from 2002-11-07; No. 11 B.2: both facilities at Prime plus 6.0% from 2002-11-07.
So the floor binds (4.25% < 4.75%). Interest is actual/360 by default (the day_count reading).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from pricing_deals import FRAGMENT, PRICING_KEYS, ROOT, limit_cap_deal, pricing_deal, pricing_deal_text  # noqa: F401

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import DealFileError, TermsError
from udfs.engine import explain
from udfs.engine.terms import Terms
from udfs.loading import parse_deal

D = dt.date


@pytest.fixture(scope="module")
def cat():
    return Catalogue(Terms(pricing_deal()))


NOTICE_24 = [["default_notice", D(2002, 12, 24)]]
BOTH = [["default_notice", D(2002, 12, 24)], ["shortfall_notice", D(2002, 12, 27)]]


def test_margin_step_on_an_event(cat):
    # 3(c): 6.0% from 12-20, 6.5% from the day of the Collateral Shortfall Notice (12-27)
    assert cat.LSA_MARGIN(D(2002, 12, 26), "advances", None, BOTH) == 0.06
    assert cat.LSA_MARGIN(D(2002, 12, 27), "advances", None, BOTH) == 0.065
    assert cat.LSA_MARGIN(D(2002, 12, 31), "advances") == 0.06  # never without the notice
    # the Default Rate is added to the rate, not to the margin
    assert cat.LSA_MARGIN(D(2002, 12, 27), "term loan", None, BOTH) == 0.06


def test_rate_floor_binds_from_its_date(cat):
    assert cat.LSA_RATE(D(2002, 12, 19), "advances") == 0.1025  # 4.25% + 6.0%: no floor yet
    assert cat.LSA_RATE(D(2002, 12, 20), "advances") == 0.1075  # max(4.25%, 4.75%) + 6.0%
    assert cat.LSA_RATE(D(2002, 12, 20), "term loan") == 0.1075


def test_default_rate_from_the_day_of_the_notice(cat):
    # notice on 12-24: the day before it 4.75% + 6.0%; that day and after, + 2.0%
    assert cat.LSA_RATE(D(2002, 12, 23), "advances", None, None, NOTICE_24) == 0.1075
    assert cat.LSA_RATE(D(2002, 12, 24), "advances", None, None, NOTICE_24) == 0.1275
    assert cat.LSA_RATE(D(2002, 12, 24), "term loan", None, None, NOTICE_24) == 0.1275
    assert cat.LSA_RATE(D(2002, 12, 31), "advances") == 0.1075  # no notice: no Default Rate
    # both notices: 4.75% + 6.5% + 2.0%
    assert cat.LSA_RATE(D(2002, 12, 27), "advances", None, None, BOTH) == 0.1325


def test_a_notice_before_the_amendment_counts_from_its_start(cat):
    early = [["default_notice", D(2002, 12, 10)]]
    assert cat.LSA_RATE(D(2002, 12, 19), "advances", None, None, early) == 0.1025  # No. 12 not yet in force
    assert cat.LSA_RATE(D(2002, 12, 20), "advances", None, None, early) == 0.1275  # 4.75% + 6.0% + 2.0%
    # the view before No. 12 was signed knows no floor, cap or Default Rate
    assert cat.LSA_RATE(D(2002, 12, 23), "advances", None, D(2002, 12, 19), early) == 0.1025


def test_cap_and_floor_with_a_prime_given(cat):
    assert cat.LSA_RATE(D(2002, 12, 23), "advances", 0.12) == 0.16  # min(12%, 10%) + 6.0%
    assert cat.LSA_RATE(D(2002, 12, 23), "advances", 0.03) == 0.1075  # max(3%, 4.75%) + 6.0%
    assert cat.LSA_RATE(D(2002, 12, 19), "advances", 0.12) == 0.18  # before No. 12: 12% + 6.0%


def test_interest_cut_at_every_change(cat):
    # $1,000,000 from 12-16 up to 2003-01-01 (16 days), actual/360:
    # 12-16..12-19 4 days at 10.25%; 12-20..12-23 4 days at 10.75%; 12-24..12-31 8 days at 12.75%
    given = cat.LSA_INTEREST(D(2002, 12, 16), D(2003, 1, 1), 1_000_000, "advances", events=NOTICE_24)
    assert given == pytest.approx(1_000_000 * (4 * 0.1025 + 4 * 0.1075 + 8 * 0.1275) / 360)  # 5,166.67
    absent = cat.LSA_INTEREST(D(2002, 12, 16), D(2003, 1, 1), 1_000_000, "advances")
    assert absent == pytest.approx(1_000_000 * (4 * 0.1025 + 12 * 0.1075) / 360)  # 4,722.22
    # with the shortfall notice on 12-27 too: 3 days at 12.75%, 5 at 13.25%
    both = cat.LSA_INTEREST(D(2002, 12, 16), D(2003, 1, 1), 1_000_000, "advances", events=BOTH)
    assert both == pytest.approx(1_000_000 * (0.41 + 0.43 + 3 * 0.1275 + 5 * 0.1325) / 360)  # 5,236.11
    year365 = cat.LSA_INTEREST(D(2002, 12, 16), D(2003, 1, 1), 1_000_000, "advances", None, "actual/365",
                               events=NOTICE_24)
    assert year365 == pytest.approx(1_000_000 * 1.86 / 365)


def test_interest_the_day_of_and_the_day_before_the_notice(cat):
    one_day = [D(2002, 12, 24), D(2002, 12, 25), 1_000_000, "advances"]
    assert cat.LSA_INTEREST(*one_day, events=NOTICE_24) == pytest.approx(1_000_000 * 0.1275 / 360)
    next_day = [["default_notice", D(2002, 12, 25)]]
    assert cat.LSA_INTEREST(*one_day, events=next_day) == pytest.approx(1_000_000 * 0.1075 / 360)


def test_columns_equal_the_single_answers(cat):
    days = [D(2002, 12, 1) + dt.timedelta(days=k) for k in range(31)]
    rates = cat.many("LSA_RATE", [days, "advances", None, None, BOTH], len(days))
    margins = cat.many("LSA_MARGIN", [days, "advances", None, BOTH], len(days))
    for day, rate, margin in zip(days, rates, margins, strict=True):
        assert rate == cat.LSA_RATE(day, "advances", None, None, BOTH), day
        assert margin == cat.LSA_MARGIN(day, "advances", None, BOTH), day
    assert rates[23] == 0.1275 and rates[26] == 0.1325  # 12-24, 12-27


def test_the_working_names_the_event(cat):
    given = cat.explain("LSA_RATE", date=D(2002, 12, 24), facility="advances", events=NOTICE_24)
    assert given.answer == 0.1275
    lines = {line.term: line for line in given.lines}
    assert lines["Default rate"].value == 0.02
    assert lines["Default rate"].why == "from the Default Notice on 2002-12-24"
    assert lines["Default rate"].step == "level step on default_notice"
    assert lines["Prime floor"].value == 0.0475
    assert lines["Rate, Advances"].value == 0.1275
    assert lines["Rate, Advances"].why == ("min(max(prime 0.0425, prime_floor 0.0475), prime_cap 0.1) + "
                                           "margin_advances 0.06 + default_rate 0.02")
    absent = cat.explain("LSA_RATE", date=D(2002, 12, 24), facility="advances")
    step = next(line for line in absent.lines if line.term == "Default rate: step not in effect")
    assert step.why == "not in effect: the Default Notice not given"
    before = cat.explain("LSA_RATE", date=D(2002, 12, 19), facility="advances")
    floor = next(line for line in before.lines if line.term == "Prime floor")
    assert floor.value is None and floor.why.startswith("none on 2002-12-19")


def test_lsa_explain_lists_the_parts_and_the_rates(cat):
    table = cat.LSA_EXPLAIN(D(2002, 12, 27), BOTH)
    rows = {row[0]: row for row in table[1:]}
    assert rows["Margin, Advances"][1] == 0.065
    assert rows["Margin, Advances"][4] == "from the Collateral Shortfall Notice on 2002-12-27"
    assert rows["Rate, Advances"][1] == 0.1325
    assert rows["Rate, Term Loan"][1] == 0.1275


def test_interest_working_shows_each_stretch(cat):
    working = cat.explain("LSA_INTEREST", start=D(2002, 12, 16), end=D(2003, 1, 1), balance=1_000_000,
                          facility="advances", events=NOTICE_24)
    stretches = [line.step for line in working.lines if line.term == "Interest"]
    assert stretches == ["2002-12-16 to 2002-12-19 (4 days)", "2002-12-20 to 2002-12-23 (4 days)",
                         "2002-12-24 to 2002-12-31 (8 days)"]


def _termbook(*args):
    return subprocess.run([sys.executable, "-m", "udfs.terminal.main", *args], capture_output=True, text=True, cwd=ROOT)


def test_terminal_takes_the_event(tmp_path):
    deal = tmp_path / "pricing.toml"
    deal.write_text(pricing_deal_text())
    got = _termbook("eval", "LSA_RATE", "2002-12-24", "advances", "--deal", str(deal),
                    "--event", "default_notice=2002-12-24")
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip() == "12.75%"
    assert _termbook("eval", "LSA_RATE", "2002-12-24", "advances", "--deal", str(deal)).stdout.strip() == "10.75%"
    check = _termbook("check", str(deal))
    assert check.returncode == 0, check.stderr
    assert "level on the date of the Default Notice (default_notice; never without it): 0.02 (2%)" in check.stdout
    assert "floor on the prime rate: prime_floor" in check.stdout


# ------------------------------------------------------------------------------------------------
# The loader's refusals: one line naming the field
# ------------------------------------------------------------------------------------------------

STEP = """
[[terms.default_rate]]
document = "amendment-12"
from = 2002-12-20
value = 0
citation = "3(b)"
[[terms.default_rate.steps]]
kind = "level"
citation = "3(b)"
"""


def _fragment(step_lines: str) -> str:
    text = FRAGMENT.read_text()
    head = text[:text.index("[[terms.default_rate]]")]
    tail = text[text.index("[[terms.margin_advances]]"):]
    return head + STEP + step_lines + "\n" + tail


@pytest.mark.parametrize(("lines", "field", "reason"), [
    ('value = 0.02\ndate = 2002-12-24\non_event = "default_notice"', "steps[0].on_event", "exactly one"),
    ("value = 0.02", "steps[0]", "either `date` or `on_event`"),
    ('value = 0.02\non_event = "default_notise"', "steps[0].on_event", "unknown event 'default_notise'"),
    ('value = 0.02\non_event = "default_notice"\nrequires = ["shortfall_notice"]', "steps[0].requires",
     "no 'requires'"),
    ('value = 2003-01-01\non_event = "default_notice"', "steps[0].value", "expected a fraction, found a date"),
    ('value = 2\non_event = "default_notice"', "steps[0].value", "not a fraction"),
])
def test_a_bad_step_on_an_event_is_refused(lines, field, reason):
    with pytest.raises(DealFileError) as exc:
        pricing_deal(fragment=_fragment(lines))
    assert field in exc.value.field and reason in exc.value.reason, str(exc.value)


def test_two_steps_of_a_kind_on_one_event_are_refused():
    lines = 'value = 0.02\non_event = "default_notice"\n[[terms.default_rate.steps]]\nkind = "level"\n' \
            'citation = "x"\nvalue = 0.03\non_event = "default_notice"'
    with pytest.raises(DealFileError, match="two level steps on default_notice"):
        pricing_deal(fragment=_fragment(lines))


@pytest.mark.parametrize(("keys", "field", "reason"), [
    ('index_floor_term = "margin_advances"\n', "pricing.index_floor_term", "already pricing.margin_terms"),
    ('index_cap_term = "max_limit"\n', "pricing.index_cap_term", "reads for itself"),
    ('add_on_terms = { revolver = ["default_rate"] }\n', "pricing.add_on_terms.revolver", "unknown facility"),
    ('index_floor_term = "prime_floor"\nadd_on_terms = { advances = ["default_rates"], term_loan = ["default_rate"] }'
     '\n', "pricing.add_on_terms.advances[0]", "unknown term"),
    ('index_floor_term = "default_rate"\nadd_on_terms = { advances = ["default_rate"] }\n',
     "pricing.add_on_terms.advances[0]", "already pricing.index_floor_term"),
])
def test_a_bad_pricing_key_is_refused(keys, field, reason):
    with pytest.raises(DealFileError) as exc:
        pricing_deal(keys=keys + 'index_cap_term = "prime_cap"\n' if "index_cap_term" not in keys else keys)
    assert exc.value.field.startswith(field) and reason in exc.value.reason, str(exc.value)


def test_a_term_no_pricing_key_names_is_refused():
    with pytest.raises(DealFileError, match="no part of the deal uses a term 'prime_floor'"):
        pricing_deal(keys="")


# ------------------------------------------------------------------------------------------------
# A cap on a date term: the earliest date binds (it used to crash: -date in schedule.version_pieces)
# ------------------------------------------------------------------------------------------------

TERM_CAPS = """
[[terms.initial_term_end.steps]]
kind = "cap"
date = 2002-12-20
value = 2002-12-29
citation = "made up: the term ends no later than 2002-12-29"
[[terms.initial_term_end.steps]]
kind = "cap"
date = 2002-12-21
value = 2002-12-27
citation = "made up: and no later than 2002-12-27"
"""


def _with_term_caps() -> bytes:
    seeds = (ROOT / "seeds" / "iec_hsbc_ge.toml").read_text()
    head, sep, tail = seeds.partition("\n[pricing]\n")
    return (head + TERM_CAPS + sep + tail).encode()


def test_caps_on_the_term_end_the_earliest_binds():
    deal = parse_deal(_with_term_caps(), "term caps")
    cat = Catalogue(Terms(deal))
    view = cat.view()
    assert view.end == D(2002, 12, 27)  # the earlier of the two caps, both in force by 12-21
    assert cat.LSA_MAX_LIMIT(D(2002, 12, 27)) == 1750000  # No. 11 (ii)(c), still in the window
    with pytest.raises(TermsError, match="after the Initial Term, which ended 2002-12-27"):
        cat.LSA_MAX_LIMIT(D(2002, 12, 28))
    lines = explain.term_lines(view, "initial_term_end", D(2002, 12, 21))
    assert lines[0].value == D(2002, 12, 27) and lines[0].step == "cap step of 2002-12-21"
    assert lines[1].value == D(2002, 12, 31)  # the level before caps: No. 10 B.3
    on_20 = explain.term_lines(view, "initial_term_end", D(2002, 12, 20))
    assert on_20[0].value == D(2002, 12, 29)  # only the first cap on 12-20


def test_check_accepts_caps_on_the_term_end(tmp_path):
    path = tmp_path / "caps.toml"
    path.write_bytes(_with_term_caps())
    got = _termbook("check", str(path))
    assert got.returncode == 0, got.stderr
    assert "cap on 2002-12-21: 2002-12-27" in got.stdout


def test_excel_functions_take_the_events_last():
    """Existing formulas keep their argument order: events (and rules) come after every older argument."""
    import inspect

    import udfs.xlfuncs as X

    assert list(inspect.signature(X.LSA_MARGIN).parameters)[-3:] == ["amended_through", "events", "rules"]
    assert list(inspect.signature(X.LSA_RATE).parameters)[-4:] == ["prime", "amended_through", "events", "rules"]
    assert list(inspect.signature(X.LSA_INTEREST).parameters)[-3:] == ["amended_through", "rules", "events"]
    # the embedded deal: an events range is read (No. 11 B.2: prime 4.25% + 6.0%), an unknown name refused
    events = [["keltic_due_diligence", "2002-11-14"]]
    assert X.LSA_RATE("2002-11-20", "advances", None, None, events) == [[0.1025]]
    assert X.LSA_MARGIN("2002-11-20", "advances", None, events) == [[0.06]]
    assert X.LSA_INTEREST("2002-11-20", "2002-11-21", 360_000, "advances", None, None, None, None, events) == \
        [[pytest.approx(102.5)]]
    refused = X.LSA_RATE("2002-11-20", "advances", None, None, [["default_notice", "2002-11-14"]])
    assert str(refused[0][0]).startswith("#VALUE!") and "default_notice" in str(refused[0][0])


def test_a_margin_step_that_requires_an_event_follows_the_events():
    """The form the issue found ignored: a dated margin step with `requires` (3(c) written that way, the notice
    due by 2002-12-23): LSA_MARGIN, LSA_RATE and LSA_INTEREST now take the events."""
    text = FRAGMENT.read_text().replace('on_event = "shortfall_notice"',
                                        'date = 2002-12-23\nrequires = ["shortfall_notice"]')
    cat = Catalogue(Terms(pricing_deal(fragment=text)))
    given = [["shortfall_notice", D(2002, 12, 21)]]
    assert cat.LSA_MARGIN(D(2002, 12, 23), "advances") == 0.06  # not delivered
    assert cat.LSA_MARGIN(D(2002, 12, 22), "advances", None, given) == 0.06  # before the step's date
    assert cat.LSA_MARGIN(D(2002, 12, 23), "advances", None, given) == 0.065
    assert cat.LSA_RATE(D(2002, 12, 23), "advances", None, None, given) == 0.1125  # 4.75% + 6.5%
    late = [["shortfall_notice", D(2002, 12, 26)]]  # delivered late: from delivery (effective_on_delivery)
    assert cat.LSA_INTEREST(D(2002, 12, 23), D(2002, 12, 28), 360_000, "advances", events=late) == \
        pytest.approx(360_000 * (3 * 0.1075 + 2 * 0.1125) / 360)


# A cap step dated by an event (made up, pricing_deals.LIMIT_CAP): from No. 12, the Maximum Limit is at
# most $1,000,000 from the day of a Default Notice, unless the Collateral Shortfall Notice came first, by
# 2002-12-22 (a cure, in this made-up clause). No. 11 (ii)(c) leaves it at $1,750,000 from 2002-12-09.
def test_a_cap_step_on_an_event():
    cat = Catalogue(Terms(limit_cap_deal()))
    notice = [["default_notice", D(2002, 12, 24)]]
    assert cat.LSA_MAX_LIMIT(D(2002, 12, 23), notice) == 1750000  # the day before the notice
    assert cat.LSA_MAX_LIMIT(D(2002, 12, 24), notice) == 1000000  # the day of it
    assert cat.LSA_MAX_LIMIT(D(2002, 12, 31)) == 1750000  # no notice
    cured = [["default_notice", D(2002, 12, 24)], ["shortfall_notice", D(2002, 12, 21)]]
    assert cat.LSA_MAX_LIMIT(D(2002, 12, 24), cured) == 1750000  # unless delivered by 12-22
    late = [["default_notice", D(2002, 12, 24)], ["shortfall_notice", D(2002, 12, 23)]]
    assert cat.LSA_MAX_LIMIT(D(2002, 12, 24), late) == 1000000
    why = {line.term: line.why for line in cat.explain("LSA_MAX_LIMIT", date=D(2002, 12, 24), events=late).lines}
    assert why["Maximum Limit"] == ("from the Default Notice on 2002-12-24; Collateral Shortfall Notice not all "
                                    "delivered by 2002-12-22")
    why = {line.term: line.why for line in cat.explain("LSA_MAX_LIMIT", date=D(2002, 12, 24), events=cured).lines}
    assert why["Maximum Limit: step not in effect"] == ("not applied: Collateral Shortfall Notice delivered "
                                                        "2002-12-21, on or before 2002-12-22")
