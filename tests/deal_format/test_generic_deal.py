"""A made-up deal runs through the same engine: nothing in the engine is specific to IEC.

Expected values are worked by hand from tests/data/made_up_deal.toml.
"""

from pathlib import Path

import pytest

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.engine.terms import Terms
from udfs.loading import load_deal

DEAL = Path(__file__).parents[1] / "data" / "made_up_deal.toml"


@pytest.fixture(scope="module")
def acme():
    return Catalogue(Terms(load_deal(DEAL)))


@pytest.mark.parametrize("date, events, expected", [
    ("2021-05-01", None, 5_000_000),                                   # Amendment A
    ("2021-06-14", None, 5_000_000),                                   # day before B
    ("2021-06-15", None, 6_000_000),                                   # B's base
    ("2021-07-01", None, 6_000_000),                                   # no audit: no level step
    ("2021-07-01", {"audit_report": "2021-06-20"}, 7_000_000),         # audit on time
    ("2021-07-10", {"audit_report": "2021-07-05"}, 6_000_000),         # late audit lapses (literal rule)
    ("2021-08-01", None, 4_000_000),                                   # no equity by 07-25: cap 4M
    ("2021-08-01", {"audit_report": "2021-06-20"}, 4_000_000),         # cap beats the higher level
    ("2021-08-01", {"audit_report": "2021-06-20", "equity_raise": "2021-07-20"}, 7_000_000),
    ("2021-08-01", {"equity_raise": "2021-07-26"}, 4_000_000),         # equity a day late
    ("2021-09-01", {"audit_report": "2021-06-20", "equity_raise": "2021-07-20"}, 5_500_000),
    ("2021-12-31", {"equity_raise": "2021-07-01"}, 5_500_000),
])
def test_max_limit(acme, date, events, expected):
    assert acme.LSA_MAX_LIMIT(date, events) == expected


def test_amended_through_hides_later_documents(acme):
    assert acme.LSA_MAX_LIMIT("2021-07-15", None, "2021-06-14") == 5_000_000
    assert acme.LSA_AMENDMENT("2021-07-15", "2021-06-14") == "Amendment A"
    assert acme.LSA_AMENDMENT("2021-07-15") == "Amendment B"


def test_retroactive_margin_both_views(acme):
    assert acme.LSA_MARGIN("2021-06-05", "RCF") == 0.03               # B reaches back to 06-01
    assert acme.LSA_MARGIN("2021-06-05", "revolver", "2021-06-10") == 0.02
    assert acme.LSA_RATE("2021-06-05", "revolver") == pytest.approx(0.0325 + 0.03)


def test_capacity_and_interest(acme):
    # min(6,000,000, 80% x 10,000,000) - 500,000
    assert acme.LSA_CAPACITY("2021-07-15", 10_000_000, letters_of_credit=500_000) == 5_500_000
    # 2021-09-29 .. 2021-10-02 (3 days): 2 days at 3.25%+3%, 1 day at 3.5%+3%, on 360
    expected = 1_000_000 * (2 * 0.0625 + 1 * 0.065) / 360
    assert acme.LSA_INTEREST("2021-09-29", "2021-10-02", 1_000_000, "revolver") == pytest.approx(expected)
    assert acme.LSA_INTEREST("2021-09-29", "2021-10-02", 1_000_000, "revolver", rules="act365") == pytest.approx(
        1_000_000 * (2 * 0.0625 + 0.065) / 365)


def test_fee_waiver_on_event(acme):
    assert acme.LSA_FEES_DUE("2021-03-01", "2021-12-31") == 30_000
    assert acme.LSA_FEES_DUE("2021-03-01", "2021-12-31", {"equity_raise": "2021-07-20"}) == 10_000
    # Amendment B's waiver is not seen before B was signed
    assert acme.LSA_FEES_DUE("2021-03-01", "2021-12-31", {"equity_raise": "2021-07-20"}, "2021-06-14") == 30_000


def test_window_and_missing_parts(acme):
    with pytest.raises(TermsError) as err:
        acme.LSA_MAX_LIMIT("2021-02-28")
    assert err.value.code == "#N/A" and "2021-03-01" in str(err.value)
    with pytest.raises(TermsError) as err:
        acme.LSA_MAX_LIMIT("2022-01-01")
    assert err.value.code == "#N/A" and "2021-12-31" in str(err.value)
    with pytest.raises(TermsError) as err:
        acme.SEV_PAYMENT("2021-06-30", 100_000)
    assert "no severance" in str(err.value)
    with pytest.raises(TermsError) as err:
        acme.LSA_MAX_LIMIT("2021-07-01", {"keltic_commitment": "2021-06-01"})  # IEC's event, not Acme's
    assert err.value.argument == "events"
    with pytest.raises(TermsError):
        acme.LSA_MARGIN("2021-07-01", "term loan")                          # no such facility here


def test_columns_match_scalars(acme):
    dates = [f"2021-{m:02d}-{d:02d}" for m in range(3, 13) for d in (1, 14, 28)]
    events = {"audit_report": "2021-06-20"}
    column = acme.many("LSA_CAPACITY", [dates, 9_000_000.0, 0.0, 0.0, 0.0, events], len(dates))
    assert column == [acme.LSA_CAPACITY(d, 9_000_000, events=events) for d in dates]
