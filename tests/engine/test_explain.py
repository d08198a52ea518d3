"""The engine's explanation: the answer and its working, worked out by hand from Amendments No. 10 and 11."""

from __future__ import annotations

import pytest

from udfs.catalogue.functions import default_catalogue
from udfs.deal.errors import TermsError

CAT = default_catalogue()
ON_TIME_I = {"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-15"}


def lines(name, **kwargs):
    explanation = CAT.explain(name, **kwargs)
    return explanation.answer, {row["term"]: row for row in explanation.rows}


def test_max_limit_on_nov_22_is_the_cap_of_ii_a_because_nothing_was_delivered():
    # No. 11 B.1(A)(ii)(a): $1,750,000 from 2002-11-22 unless the Keltic commitment letter and the updated
    # confirmation are delivered by 2002-11-22. Nothing delivered: the cap applies over the $2,000,000 level.
    answer, rows = lines("LSA_MAX_LIMIT", date="2002-11-22")
    assert answer == 1750000
    main = rows["Maximum Limit"]
    assert main["value"] == 1750000 and main["document"] == "Amendment No. 11"
    assert main["citation"] == "Amendment No. 11, B.1(A)(ii)(a)"
    assert "not delivered by 2002-11-22" in main["why"] and "Keltic commitment letter" in main["why"]
    assert rows["Maximum Limit: level before caps"]["value"] == 2000000
    # the $2.3M step of (A)(i) did not take effect: its deliveries are missing
    assert rows["Maximum Limit: step not in effect"]["value"] == 2300000
    assert "not delivered" in rows["Maximum Limit: step not in effect"]["why"]
    assert rows["Document in force"]["value"] == "Amendment No. 11"


def test_two_caps_at_one_figure_are_both_named():
    # 2002-12-31, nothing delivered: (ii)(a) caps at $1,750,000 from 11-22 and (ii)(c) caps at the same
    # $1,750,000 from 12-09 in any event; (ii)(b)'s $2,000,000 cap is in effect but not the lowest. The
    # answer cites the latest, (ii)(c), which sets the figure whatever was delivered; (ii)(a) is named too.
    answer, rows = lines("LSA_MAX_LIMIT", date="2002-12-31")
    assert answer == 1750000
    assert rows["Maximum Limit"]["citation"] == "Amendment No. 11, B.1(A)(ii)(c)"
    assert rows["Maximum Limit"]["step"] == "cap step of 2002-12-09"
    also = rows["Maximum Limit: also capped at this figure"]
    assert (also["value"], also["citation"], also["step"]) == (1750000, "Amendment No. 11, B.1(A)(ii)(a)",
                                                               "cap step of 2002-11-22")
    assert "not delivered by 2002-11-22" in also["why"]
    # 12-08, the day before (ii)(c): (ii)(a) alone
    answer, rows = lines("LSA_MAX_LIMIT", date="2002-12-08")
    assert rows["Maximum Limit"]["citation"] == "Amendment No. 11, B.1(A)(ii)(a)"
    assert "Maximum Limit: also capped at this figure" not in rows
    assert not any("(ii)(b)" in row["citation"] for row in rows.values())
    # the commitment letter and the updated confirmation delivered by 11-22: (ii)(a) never applies, so
    # (ii)(c) alone caps the limit on 12-31, under (ii)(b)'s $2,000,000
    answer, rows = lines("LSA_MAX_LIMIT", date="2002-12-31",
                         events={"keltic_commitment": "2002-11-20", "updated_confirmation": "2002-11-21"})
    assert answer == 1750000
    assert rows["Maximum Limit"]["citation"] == "Amendment No. 11, B.1(A)(ii)(c)"
    assert "Maximum Limit: also capped at this figure" not in rows


def test_max_limit_step_on_delivery_names_the_deliveries_and_the_reading():
    # (A)(i): both items by 2002-11-15 -> $2,300,000 from 2002-11-15; the second one late (11-16) -> from delivery
    answer, rows = lines("LSA_MAX_LIMIT", date="2002-11-18",
                         events={"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-16"})
    assert answer == 2300000
    why = rows["Maximum Limit"]["why"]
    assert "2002-11-16" in why and "after 2002-11-15" in why and "max_limit_late_increase = on_delivery" in why
    answer, rows = lines("LSA_MAX_LIMIT", date="2002-11-18", rules="by_step_date",
                         events={"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-16"})
    assert answer == 2000000
    assert rows["Maximum Limit: step not in effect"]["why"].startswith("lapsed")


def test_capacity_working_adds_up():
    # 2002-11-20, no deliveries: limit $2,000,000; 85% x 2,500,000 = 2,125,000; less $100,000 LC = 1,900,000
    answer, rows = lines("LSA_CAPACITY", date="2002-11-20", receivables=2500000, letters_of_credit=100000)
    assert answer == 1900000
    assert rows["Maximum Limit"]["value"] == 2000000
    assert rows["Advance rate"]["value"] == 0.85
    assert rows["Borrowing base x advance rate"]["value"] == pytest.approx(2125000)
    assert rows["Deductions"]["value"] == 100000
    assert rows["Borrowing Capacity"]["value"] == 1900000


def test_retroactive_margin_in_both_views():
    # No. 11 B.2: term loan margin 6.0% from 2002-11-07; before No. 11 was signed (through 11-11), No. 10's 4.0%
    answer, rows = lines("LSA_MARGIN", date="2002-11-08", facility="term loan")
    assert answer == 0.06 and "retroactive" in rows["Margin, Term Loan"]["why"]
    answer, rows = lines("LSA_MARGIN", date="2002-11-08", facility="term loan", amended_through="2002-11-11")
    assert answer == 0.04 and rows["Margin, Term Loan"]["document"] == "Amendment No. 10"


def test_interest_working_splits_at_the_margin_and_prime_change():
    # $1,000,000 Advances 2002-11-01..11-14: 6 days at 4.75% + 3.5% and 8 days at 4.25% + 6.0%, Actual/360
    answer, rows = lines("LSA_INTEREST", start="2002-11-01", end="2002-11-15", balance=1000000,
                         facility="advances")
    first = 1000000 * (0.0475 + 0.035) * 6 / 360  # 1,375.00
    second = 1000000 * (0.0425 + 0.06) * 8 / 360  # 2,277.78
    assert answer == pytest.approx(first + second)
    working = CAT.explain("LSA_INTEREST", start="2002-11-01", end="2002-11-15", balance=1000000,
                          facility="advances").rows
    amounts = [r["value"] for r in working if r["term"] == "Interest"]
    assert amounts == [pytest.approx(first), pytest.approx(second)]


def test_lsa_explain_table_lists_every_term_in_force():
    table = CAT.LSA_EXPLAIN("2002-12-05")
    assert table[0] == ["term", "value", "document", "step", "why", "citation"]
    values = {row[0]: row[1] for row in table[1:]}
    # 12-05: the (ii)(a) cap of $1,750,000 still binds under the (ii)(b) cap of $2,000,000
    assert values["Maximum Limit"] == 1750000
    assert values["Advance rate"] == 0.85
    assert values["Overadvance limit"] == 0
    assert values["Margin, Advances"] == 0.06
    assert values["Prime rate"] == 0.0425


def test_lsa_explain_refuses_a_date_outside_the_terms():
    with pytest.raises(TermsError) as err:
        CAT.LSA_EXPLAIN("2003-01-05")
    assert err.value.code == "#N/A"


def test_terms_info_lists_documents_in_view():
    rows = {row[0]: row for row in CAT.TERMS_INFO(amended_through="2002-11-11")}
    assert "document: No. 10" in rows and "document: No. 11" not in rows
    assert "date only" in rows["document: No. 9"][2]
    rows = {row[0]: row for row in CAT.TERMS_INFO()}
    assert rows["document: No. 11"][1] == "Amendment No. 11"
    assert "terms in this file" in rows["document: No. 11"][2]


def test_availability_floor_applies_on_the_default_path():
    # 2002-12-10, receivables 100,000, letters of credit 200,000, nothing outstanding, No. 11: no Overadvances.
    # min(1,750,000, 85% x 100,000 + 0) - 200,000 = -115,000; floored at zero under floor_zero
    assert CAT.LSA_AVAILABILITY("2002-12-10", 100000, 0, letters_of_credit=200000) == -115000
    assert CAT.LSA_AVAILABILITY("2002-12-10", 100000, 0, letters_of_credit=200000, rules="floor_zero") == 0
    column = CAT.many("LSA_AVAILABILITY", [["2002-12-10"], 100000, 0, None, None, 200000, None, None, None,
                                           "floor_zero"], 1)
    assert column == [0]


def test_deductions_and_max_limit_reading():
    # 2002-10-10 under No. 10: limit 1,750,000; 85% x 2,000,000 = 1,700,000; Overadvance cap 300,000 bounded by a
    # 250,000 Term Loan Reserve; letters of credit 200,000.
    # default: min(1,750,000, 1,700,000 + 250,000) - 200,000 = 1,550,000
    assert CAT.LSA_AVAILABILITY("2002-10-10", 2000000, 0, letters_of_credit=200000,
                                term_loan_reserve=250000) == 1550000
    # alternative: capacity 1,700,000 - 200,000 = 1,500,000; min(1,750,000, 1,500,000 + 250,000) = 1,750,000
    assert CAT.LSA_AVAILABILITY("2002-10-10", 2000000, 0, letters_of_credit=200000, term_loan_reserve=250000,
                                rules="max_limit_caps_advances_only") == 1750000


def test_interest_past_the_term_names_the_end_given():
    with pytest.raises(TermsError) as err:
        CAT.LSA_INTEREST("2002-12-20", "2003-01-05", 1000000, "advances")
    message = str(err.value)
    assert message.startswith("end: 2003-01-05") and "through 2003-01-04" in message and err.value.code == "#N/A"
    # ending on 2003-01-01 counts 2002-12-31, the last day of the term: answered
    assert CAT.LSA_INTEREST("2002-12-31", "2003-01-01", 360000, "advances") == pytest.approx(360000 * 0.1025 / 360)


def test_the_readings_shown_are_those_of_the_documents_counted():
    # No. 11 B.1(A)(i)'s late-delivery reading governs the Maximum Limit from 2002-11-12; before that day
    # No. 10's version has no reading, and a view through 2002-11-11 has no No. 11 at all.
    _, rows = lines("LSA_MAX_LIMIT", date="2002-11-22")
    assert "Reading: max_limit_late_increase" in rows
    _, rows = lines("LSA_MAX_LIMIT", date="2002-10-22")
    assert not [term for term in rows if term.startswith("Reading:")]
    # fees through 2002-11-11: No. 10's rules only; the two fee readings are No. 11's (A.3)
    _, rows = lines("LSA_FEES_DUE", start="2002-10-01", end="2002-12-31", amended_through="2002-11-11")
    assert not [term for term in rows if term.startswith("Reading:")]
    _, rows = lines("LSA_FEES_DUE", start="2002-10-01", end="2002-12-31")
    assert {"Reading: additional_fee_waiver", "Reading: base_fee_on_full_payment"} <= set(rows)
    # interest: the day count is the pricing table's, in every view
    _, rows = lines("LSA_INTEREST", start="2002-11-01", end="2002-11-02", balance=1_000_000, facility="advances",
                    amended_through="2002-11-11")
    assert "Reading: day_count" in rows


def test_terms_info_says_which_readings_no_document_counted_uses():
    info = {row[0]: row for row in CAT.TERMS_INFO(amended_through="2002-11-11")[1:]}
    unused = "no document counted in this view uses it"
    # No. 11's own readings (A.3 twice, B.1(A)(i)) are not in a view through 2002-11-11
    for name in ("additional_fee_waiver", "base_fee_on_full_payment", "max_limit_late_increase"):
        assert info[f"interpretation: {name}"][2].endswith(unused), name
    # the letter's, the pricing table's and the engine's readings are
    for name in ("severance_installments", "day_count", "capacity_floor"):
        assert not info[f"interpretation: {name}"][2].endswith(unused), name
    everything = {row[0]: row for row in CAT.TERMS_INFO()[1:]}
    assert not any(row[2].endswith(unused) for key, row in everything.items() if key.startswith("interpretation"))
