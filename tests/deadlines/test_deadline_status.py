"""Deadline status as of a date, given deliveries (LSA_DEADLINES with `date` and `events`).

Expected statuses are worked out by hand from the documents: Amendment No. 10 A.3 (Additional Fee
waiver on delivery of a Purchase Offer or Financing Commitment by 2002-10-31 / 11-27), B.4 (10.19,
Purchase Offer by 2002-10-31 unless repaid sooner), B.5 (10.21, Texas offer by 2002-10-25); Amendment
No. 11 (signed 2002-11-12) B.1(A)(i) (Keltic due diligence and Third-Party Confirmation for the 2002-11-15
increase), (ii)(a) (commitment letter and updated confirmation by 2002-11-22), B.3 deletes 10.19, B.4
replaces 10.21, A.3 waives the Additional Fee outright.
"""

import pytest
from seed_edits import edit, refuse

from udfs.catalogue.functions import LSA_DEADLINES
from udfs.deal.errors import DealFileError
from udfs.loading import parse_deal

NO10_ONLY = "2002-11-11"


def statuses(table) -> dict:
    """(date, start of the requirement) -> status."""
    header = table[0]
    rows = [dict(zip(header, row)) for row in table[1:]]
    return {(r["date"].isoformat(), r["item"][:25]): r["status"] for r in rows}


def test_year_end_with_nothing_delivered():
    got = statuses(LSA_DEADLINES(None, "2002-12-31"))
    assert got == {
        ("2002-10-25", "Texas property: executed "): "replaced by Amendment No. 11",
        # 10-31 passed with no Purchase Offer nor Financing Commitment; No. 11 (11-12) ended both later
        ("2002-10-31", "Purchase Offer or Financi"): "not delivered by 2002-10-31; then made moot by Amendment No. 11",
        ("2002-10-31", "Purchase Offer for substa"): "not delivered by 2002-10-31; then deleted by Amendment No. 11",
        ("2002-11-12", "Term Loan Reserve and Pri"): "date passed (not tracked)",  # no input records it
        ("2002-11-15", "Keltic due-diligence evid"): "not delivered by 2002-11-15",  # the increase never came
        ("2002-11-22", "Keltic commitment letter "): "not delivered by 2002-11-22",  # so the $1.75M cap applied
        ("2002-11-27", "Purchase Offer or Financi"): "made moot by Amendment No. 11",  # before its date came
        ("2002-12-02", "Maximum Limit at most $2,"): "date passed (not tracked)",
        ("2002-12-09", "Maximum Limit $1,750,000 "): "date passed (not tracked)",
        ("2002-12-17", "Texas property: auction b"): "date passed (not tracked)",  # not "held": nobody said
        ("2002-12-31", "Initial Term ends; no ren"): "open",  # the as-of day itself: still open
        ("2002-12-31", "Keltic commitment must pr"): "open",
        ("2002-12-31", "Texas property: auction u"): "replaced by Amendment No. 11",
    }


def test_deliveries_on_time_late_and_after_the_as_of_date():
    events = [["keltic_due_diligence", "2002-11-14"], ["third_party_confirmation", "2002-11-18"],
              ["keltic_commitment", "2002-11-20"], ["updated_confirmation", "2002-11-26"]]
    got = statuses(LSA_DEADLINES(None, "2002-11-25", events))
    # (i): both needed; the last came 11-18, after 11-15
    assert got[("2002-11-15", "Keltic due-diligence evid")] == "met late on 2002-11-18"
    # (ii)(a): the updated confirmation comes 11-26, after the as-of date: as of 11-25 not delivered
    assert got[("2002-11-22", "Keltic commitment letter ")] == "not delivered by 2002-11-22"
    assert got[("2002-12-02", "Maximum Limit at most $2,")] == "open"
    got = statuses(LSA_DEADLINES(None, "2002-12-31", events[:3] + [["updated_confirmation", "2002-11-21"]]))
    assert got[("2002-11-22", "Keltic commitment letter ")] == "met on 2002-11-21"
    # before the deadline, the increase items delivered: met, even as of a date before the deadline
    got = statuses(LSA_DEADLINES(None, "2002-11-15", [["keltic_due_diligence", "2002-11-14"],
                                                     ["third_party_confirmation", "2002-11-15"]]))
    assert got[("2002-11-15", "Keltic due-diligence evid")] == "met on 2002-11-15"
    assert got[("2002-11-22", "Keltic commitment letter ")] == "open"


def test_one_of_two_events_is_enough_for_the_additional_fee_waiver():
    # amended through 2002-11-11: No. 11 is not counted, so the waivers stand (No. 10 A.3)
    events = [["financing_commitment", "2002-11-20"], ["purchase_offer", "2002-11-24"]]
    got = statuses(LSA_DEADLINES(NO10_ONLY, "2002-12-31", events))
    assert got[("2002-10-31", "Purchase Offer or Financi")] == "met late on 2002-11-20"
    assert got[("2002-11-27", "Purchase Offer or Financi")] == "met on 2002-11-20"  # the first of the two
    assert got[("2002-10-31", "Purchase Offer for substa")] == "met late on 2002-11-24"
    assert got[("2002-10-25", "Texas property: executed ")] == "date passed (not tracked)"
    assert ("2002-11-15", "Keltic due-diligence evid") not in got  # set by No. 11, not in this view
    # nothing delivered by the close of the deadline day (the as-of date): not delivered, as the terms
    # that depend on it read it
    got = statuses(LSA_DEADLINES(NO10_ONLY, "2002-10-31"))
    assert got[("2002-10-31", "Purchase Offer or Financi")] == "not delivered by 2002-10-31"
    assert got[("2002-10-31", "Purchase Offer for substa")] == "not delivered by 2002-10-31"
    # the day before, it is still open
    got = statuses(LSA_DEADLINES(NO10_ONLY, "2002-10-30"))
    assert got[("2002-10-31", "Purchase Offer for substa")] == "open"
    assert got[("2002-10-25", "Texas property: executed ")] == "date passed (not tracked)"


def test_a_later_document_ends_a_requirement_only_once_signed():
    # every document counted, but as of 2002-11-01 No. 11 (signed 11-12) had not yet been signed
    got = statuses(LSA_DEADLINES(None, "2002-11-01"))
    assert got[("2002-10-31", "Purchase Offer for substa")] == "not delivered by 2002-10-31"
    assert got[("2002-10-31", "Purchase Offer or Financi")] == "not delivered by 2002-10-31"
    assert got[("2002-10-25", "Texas property: executed ")] == "date passed (not tracked)"
    assert got[("2002-11-27", "Purchase Offer or Financi")] == "open"
    got = statuses(LSA_DEADLINES(None, "2002-11-12"))
    assert got[("2002-10-31", "Purchase Offer for substa")] == ("not delivered by 2002-10-31; then deleted by "
                                                                  "Amendment No. 11")
    # a Purchase Offer delivered on time: deleted by No. 11 later, with nothing missed before
    got = statuses(LSA_DEADLINES(None, "2002-11-12", [["purchase_offer", "2002-10-30"]]))
    assert got[("2002-10-31", "Purchase Offer for substa")] == "deleted by Amendment No. 11"


def test_without_a_date_only_later_documents_decide():
    got = set(statuses(LSA_DEADLINES()).values())
    assert got == {"in force", "replaced by Amendment No. 11", "deleted by Amendment No. 11",
                   "made moot by Amendment No. 11"}


@pytest.mark.parametrize("old, new, field, reason", [
    ('met_by = ["keltic_commitment", "updated_confirmation"]', 'met_by = ["keltic_commitment", "updated_confirmaton"]',
     "deadlines[7].met_by[1]", "did you mean 'updated_confirmation'?"),
    ('met_by = ["purchase_offer", "full_payment"]\nmet_when = "any"', 'met_when = "any"',
     "deadlines[0].met_when", "no met_by"),
    ('met_by = ["purchase_offer", "full_payment"]\nmet_when = "any"',
     'met_by = ["purchase_offer", "full_payment"]\nmet_when = "either"', "deadlines[0].met_when", "either"),
])
def test_bad_met_by_is_refused(old, new, field, reason):
    err = refuse(edit(old, new))
    assert err.field == field
    assert reason in err.reason


def test_deal_files_without_met_by_still_load():
    text = edit('met_by = ["keltic_due_diligence", "third_party_confirmation"]\n', "")
    deal = parse_deal(text.encode(), "deal.toml")
    assert next(d for d in deal.deadlines if d.id == "max_limit_increase").met_by == ()
    with pytest.raises(DealFileError):
        parse_deal(edit('"full_payment"]\nmet_when = "any"', '"full_payment"]\nmet_when = 3').encode(), "deal.toml")


def test_the_deadline_day_agrees_with_the_cap_that_depends_on_it():
    # No. 11 B.1(A)(ii)(a): unless the Keltic commitment letter and the updated confirmation are delivered
    # by 2002-11-22, the Maximum Limit is $1,750,000 from that day. Nothing delivered: on 11-22 the cap
    # applies and the deadline reads missed, both; on 11-21 neither.
    from udfs.catalogue.functions import LSA_MAX_LIMIT

    assert LSA_MAX_LIMIT("2002-11-22") == 1_750_000
    assert statuses(LSA_DEADLINES(None, "2002-11-22"))[("2002-11-22", "Keltic commitment letter ")] == \
        "not delivered by 2002-11-22"
    assert LSA_MAX_LIMIT("2002-11-21") == 2_000_000
    assert statuses(LSA_DEADLINES(None, "2002-11-21"))[("2002-11-22", "Keltic commitment letter ")] == "open"


@pytest.mark.parametrize("events", [None, [["keltic_commitment", "2002-11-27"], ["updated_confirmation", "2002-11-20"]],
                                    [["keltic_commitment", "2002-11-21"], ["updated_confirmation", "2002-11-22"]]])
def test_every_day_the_deadline_and_the_cap_give_one_answer(events):
    # No. 11 B.1(A)(ii)(a): the Maximum Limit falls to $1,750,000 unless both items are delivered by
    # 2002-11-22; (ii)(c) brings it to $1,750,000 on 2002-12-09 in any event. From No. 11's signing to
    # 12-08, on every day: the deadline reads missed ("not delivered by 2002-11-22", or "met late" once the
    # late delivery is made: the cap stays) exactly when the cap applies.
    import datetime as dt

    from udfs.catalogue.functions import LSA_MAX_LIMIT

    day = dt.date(2002, 11, 12)
    while day < dt.date(2002, 12, 9):
        status = statuses(LSA_DEADLINES(None, day.isoformat(), events))[("2002-11-22", "Keltic commitment letter ")]
        capped = LSA_MAX_LIMIT(day.isoformat(), events) == 1_750_000
        assert status.startswith(("not delivered", "met late")) == capped, (day, status)
        day += dt.timedelta(days=1)
