"""Hand-worked cases the independent worked examples left open, settled by the interpretations."""

import pytest

from udfs.catalogue.functions import (
    LSA_AMENDMENT,
    LSA_DEADLINES,
    LSA_FEE_SCHEDULE,
    LSA_FEES_DUE,
    LSA_INTEREST,
    LSA_RATE,
    SEV_ELECTION,
    SEV_SCHEDULE,
    default_catalogue,
)
from udfs.deal.errors import TermsError

NO10_ONLY = "2002-11-11"


def test_no11_moves_the_unpaid_base_fee_to_year_end():
    # No. 11 A.3: Base Fee installments still unpaid at 2002-11-12 (11-15: 15k, 12-16: 30k) are payable
    # with the amendment fee on 2002-12-31.
    assert LSA_FEES_DUE("2002-11-15", "2002-11-15") == 0
    assert LSA_FEES_DUE("2002-12-16", "2002-12-16") == 0
    assert LSA_FEES_DUE("2002-12-31", "2002-12-31") == 15_000 + 30_000 + 40_000 + 25_000
    # Before No. 11 was signed, No. 10's dates stand.
    assert LSA_FEES_DUE("2002-11-15", "2002-11-15", amended_through=NO10_ONLY) == 15_000
    assert LSA_FEES_DUE("2002-12-16", "2002-12-16", amended_through=NO10_ONLY) == 30_000
    # The 2002-10-01 installment fell due on execution of No. 10 and is not moved.
    assert LSA_FEES_DUE("2002-10-01", "2002-10-01") == 15_000


def test_full_payment_on_the_last_day_is_not_prior_to_the_end_of_the_term():
    # No. 10 A.3 waives only after a Full Payment Date *prior to* the end of the Initial Term.
    events = {"full_payment": "2002-12-31"}
    assert LSA_FEES_DUE("2002-10-01", "2002-12-31", events, NO10_ONLY) == 100_000 + 50_000
    # One day earlier, the 12-31 Base Fee installment (40k) is scheduled after it and waived.
    events = {"full_payment": "2002-12-30"}
    assert LSA_FEES_DUE("2002-10-01", "2002-12-31", events, NO10_ONLY) == 150_000 - 40_000


def test_full_payment_accelerates_everything_unpaid_by_default():
    # Full payment 2002-12-01: No. 11 makes the amendment fee and the unpaid Base Fee due that day.
    events = {"full_payment": "2002-12-01"}
    assert LSA_FEES_DUE("2002-12-01", "2002-12-01", events) == 15_000 + 30_000 + 40_000 + 25_000
    rows = {(r[1], r[2].isoformat()): r for r in LSA_FEE_SCHEDULE(events)[1:]}
    assert rows[("Base Fee", "2002-12-16")][3].isoformat() == "2002-12-01"
    assert "due on the Full Payment of the Indebtedness (2002-12-01)" in rows[("Base Fee", "2002-12-16")][6]
    # waived_after: the 12-16 and 12-31 installments stay waived under No. 10; 11-15 and the fee are due.
    assert LSA_FEES_DUE("2002-12-01", "2002-12-01", events, rules="waived_after") == 15_000 + 25_000


def test_caller_prime_table_and_single_rate():
    table = [["2002-10-01", 0.05], ["2002-11-08", 0.045]]
    assert LSA_RATE("2002-11-07", "advances", table) == pytest.approx(0.05 + 0.06)
    assert LSA_RATE("2002-11-08", "advances", table) == pytest.approx(0.045 + 0.06)
    assert LSA_RATE("2002-10-15", "advances", 0.05) == pytest.approx(0.05 + 0.035)
    # 11-06 (5% + 3.5%), 11-07 (5% + 6%), 11-08 (4.5% + 6%) on 360,000 over 360 days: 300.00
    assert LSA_INTEREST("2002-11-06", "2002-11-09", 360_000, "advances", table) == pytest.approx(300.0)
    with pytest.raises(TermsError) as err:
        LSA_RATE("2002-10-15", "advances", [["2002-11-01", 0.05]])
    assert err.value.argument == "prime" and err.value.code == "#N/A"
    with pytest.raises(TermsError) as err:
        LSA_RATE("2002-10-15", "advances", 4.25)
    assert "fractions" in str(err.value)


def test_interest_window_may_end_the_day_after_the_term():
    # end is excluded: 2002-12-31 alone, 1,000,000 at 4.25% + 6% over 360
    assert LSA_INTEREST("2002-12-31", "2003-01-01", 1_000_000, "term loan") == pytest.approx(1_000_000 * 0.1025 / 360)
    with pytest.raises(TermsError) as err:
        LSA_INTEREST("2002-12-31", "2003-01-02", 1_000_000, "term loan")
    assert err.value.argument == "end" and err.value.code == "#N/A"
    assert LSA_INTEREST("2002-11-01", "2002-11-01", 1_000_000, "advances") == 0


def test_governing_document_by_signing_date():
    assert LSA_AMENDMENT("2002-11-11") == "Amendment No. 10"
    assert LSA_AMENDMENT("2002-11-12") == "Amendment No. 11"
    assert LSA_AMENDMENT("2002-12-31", "2002-11-11") == "Amendment No. 10"


def test_compensation_after_the_last_installment_is_reported_not_lost():
    # first_six ends 2003-02-28; 3,000 received 2003-03-15 has no installment left to reduce.
    rows = SEV_SCHEDULE(120_000, {"2003-03-15": 3_000})
    assert rows[-1][0] == "unapplied" and rows[-1][3] == 3_000
    # last_six pays 2003-03-31: the same compensation reduces that installment to 7,000.
    rows = SEV_SCHEDULE(120_000, {"2003-03-15": 3_000}, "last_six")
    assert rows[-1][1].isoformat() == "2003-03-31" and rows[-1][4] == 7_000
    # (compensation outside the letter's offset period: tests/fees/test_fee_severance_working.py)


def test_outplacement_or_lease_election():
    # Letter 2(e): outplacement capped at 10,000; lessor refuses transfer -> greater of the two costs.
    assert SEV_ELECTION("outplacement", 12_000, 7_500) == 10_000
    assert SEV_ELECTION("outplacement", 6_000, 7_500, False) == 7_500
    assert SEV_ELECTION("outplacement", 12_000, 7_500, False) == 10_000
    assert SEV_ELECTION("lease", 12_000, 7_500) == 7_500
    with pytest.raises(TermsError):
        SEV_ELECTION("car", 1, 1)


def test_amended_through_before_the_first_known_terms():
    with pytest.raises(TermsError) as err:
        default_catalogue().LSA_MAX_LIMIT("2002-11-01", None, "2002-09-30")
    assert err.value.argument == "amended_through" and err.value.code == "#N/A"
    assert "Amendment No. 10" in err.value.reason


def test_full_payment_before_a_document_in_view_is_refused():
    # Full payment 2002-11-05 ends the agreement before No. 11 (2002-11-12) was signed.
    with pytest.raises(TermsError) as err:
        LSA_FEES_DUE("2002-10-01", "2002-12-31", {"full_payment": "2002-11-05"})
    assert err.value.argument == "events" and "amended_through" in err.value.reason
    # As known before No. 11: No. 10 waives what was scheduled after 11-05 (Base 11-15, 12-16, 12-31; Additional
    # 11-27), leaving 15,000 (10-01) + 25,000 (10-31).
    assert LSA_FEES_DUE("2002-10-01", "2002-12-31", {"full_payment": "2002-11-05"}, "2002-11-11") == 40_000


def test_late_interest_needs_an_installment_date():
    from udfs.catalogue.functions import SEV_LATE_INTEREST
    with pytest.raises(TermsError) as err:
        SEV_LATE_INTEREST("2002-10-15", "2002-11-30", 10_000)
    assert err.value.argument == "due_date" and "2002-10-31" in err.value.reason
    # 2003-03-31 is an installment date only under last_six: 10,000 x 18% x 30/365 from the due date
    assert SEV_LATE_INTEREST("2003-03-31", "2003-04-30", 10_000, "last_six") == pytest.approx(1_800 * 30 / 365)


@pytest.mark.parametrize("text", ["Nov 2002", "2002", "15", "November", "Nov 16, 2002", "16 November 2002",
                                  "2002-11-15 2002-11-16", "Monday 2002-11-15", "2002--11-15",
                                  "2002-11-15T12:00+25:00", "20021116", "2002-W46-6"])
def test_partial_dates_are_refused_not_completed(text):  # and anything but the two documented forms
    with pytest.raises(TermsError) as err:
        LSA_RATE(text, "advances")
    assert err.value.argument == "date" and err.value.code == "#VALUE!"


@pytest.mark.parametrize("text", ["11/16/2002", "2002-11-16", " 2002-11-16 "])
def test_whole_dates_in_common_forms(text):
    assert LSA_RATE(text, "advances") == pytest.approx(0.0425 + 0.06)  # prime from 11-07, No. 11 margin


def test_deadline_status_says_how_a_later_document_ended_it():
    # No. 11 B.3 deletes 10.19 (Purchase Offer by 2002-10-31); B.4 replaces 10.21 (Texas offer by 2002-10-25);
    # A.3 waives the Additional Fee outright, so No. 10's delivery-by-2002-11-27 waiver decides nothing.
    def status(table, day):
        header = table[0]
        rows = [dict(zip(header, row)) for row in table[1:]]
        return {r["status"] for r in rows if r["date"].isoformat() == day}

    now = LSA_DEADLINES()
    assert status(now, "2002-10-25") == {"replaced by Amendment No. 11"}
    assert status(now, "2002-11-27") == {"made moot by Amendment No. 11"}
    assert "deleted by Amendment No. 11" in status(now, "2002-10-31")
    assert status(now, "2002-12-17") == {"in force"}  # No. 11's own auction date
    before = LSA_DEADLINES(NO10_ONLY)
    assert status(before, "2002-10-25") == {"in force"} and status(before, "2002-11-27") == {"in force"}


def test_default_readings_belong_to_their_own_deal_even_when_python_reuses_an_address():
    # A cache keyed by id(deal) once answered one deal's default readings for another deal loaded at the
    # same address after the first was freed (KeyError on the other deal's day-count reading).
    import gc
    from pathlib import Path

    from udfs.engine import rules as rules_mod
    from udfs.loading import parse_deal

    here = Path(__file__).parents[1]
    files = [(here.parent / "seeds" / "iec_hsbc_ge.toml").read_bytes(),
             (here / "data" / "made_up_deal.toml").read_bytes()]
    for i in range(40):
        deal = parse_deal(files[i % 2], f"deal-{i % 2}.toml")
        switchable = {interp.name for interp in deal.interpretations if interp.choices}
        assert set(rules_mod.resolve(deal, None).chosen) == switchable
        del deal
        gc.collect()


def test_a_day_count_argument_and_a_day_count_reading_must_agree():
    import pytest as _pytest

    from udfs.catalogue.functions import default_catalogue
    from udfs.deal.errors import TermsError

    cat = default_catalogue()
    # advances, 2002-11-01 to 2002-12-01: 6 days at 4.75% prime + 3.5% (No. 10), 24 days at 4.25% + 6.0%
    # (No. 11 from 11-07): 1,000,000 x (6 x 8.25% + 24 x 10.25%) / 365 = 8,095.89
    on_365 = 1_000_000 * (6 * 0.0825 + 24 * 0.1025) / 365
    args = ("2002-11-01", "2002-12-01", 1_000_000, "advances", None)
    assert cat.LSA_INTEREST(*args, "actual/365", None, "actual/365") == _pytest.approx(on_365)  # the same answer
    assert cat.LSA_INTEREST(*args, "actual/365") == _pytest.approx(on_365)
    with _pytest.raises(TermsError) as err:
        cat.LSA_INTEREST(*args, "actual/360", None, "actual/365")
    assert err.value.argument == "day_count" and "disagree" in err.value.reason
    # a reading left at its default does not conflict with an explicit day count
    assert cat.LSA_INTEREST(*args, "actual/365", None, "capacity_floor=floor_zero") == _pytest.approx(on_365)


def test_a_view_asked_for_a_reading_is_not_reused_for_a_call_that_did_not_ask():
    # A day count of 365 given alone is the caller's answer; given beside the reading actual/360 it is two
    # answers to one question (refused). A view made for the second call, with the same choices, was once
    # taken back for the first (the cache ignored what was asked), and refused it.
    from udfs.catalogue.functions import Catalogue
    from udfs.deal.errors import TermsError
    from udfs.engine.terms import Terms
    from udfs.loading import default_deal

    cat = Catalogue(Terms(default_deal()))
    with pytest.raises(TermsError, match="disagree"):
        cat.LSA_INTEREST("2002-11-01", "2002-11-02", 1_500_000, "advances", None, 365, "2002-12-31", ["actual/360"])
    # 1,500,000 x (prime 4.75% on 2002-11-01 + the 3.5% margin) / 365 for one day: 339.04
    assert cat.LSA_INTEREST("2002-11-01", "2002-11-02", 1_500_000, "advances", None, 365, "2002-12-31") == \
        pytest.approx(1_500_000 * 0.0825 / 365)
