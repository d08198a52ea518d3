"""Direct tests of the Excel layer (udfs/xlfuncs.py), called as Classic xlwings calls it.

Classic xlwings hands each argument over as a 2-D list (ndim=2), empty cells as None, error
cells as their text (err_to_str=True), date-formatted cells as datetimes and other numbers as
floats. Expected values are worked out by hand from the source documents (shared/seeds/):

* Amendment No. 10 (2002-10-01), Item 1: Maximum Limit $1,750,000; capacity is the lesser of
  that and 85% of the receivables base, less acceptances, guaranties and letters of credit.
  Overadvances at most $300,000 (Oct 1-13), $400,000 (Oct 14-20), $300,000 (Oct 21-27), none
  from Oct 28, and never above the Term Loan Reserve. Margins over prime: advances 3.5%,
  term loan 4.0%.
* Amendment No. 11 (2002-11-12) replaces Item 1 from its date: $2,000,000; $2,300,000 from
  Nov 15 once the Keltic due-diligence evidence and the third-party confirmation are in;
  $1,750,000 from Nov 22 unless the Keltic commitment and an updated confirmation are in by
  then; at most $2,000,000 from Dec 2; $1,750,000 from Dec 9. Both margins 6.0% from Nov 7.
* Prime (H.15): 4.75% from 2001-12-12, 4.25% from 2002-11-07.
* Severance letter: six equal monthly installments of one month's salary from 2002-09-30;
  18% a year on an installment paid more than ten days late.

Excel serials used below (1900 system): 37530 = 2002-10-01, 37571 = 2002-11-11,
37572 = 2002-11-12, 37575 = 2002-11-15, 37582 = 2002-11-22, 37621 = 2002-12-31.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

import udfs.xlfuncs as X
from udfs.catalogue import functions as catalogue
from udfs.excel import convert, errors, number_columns, register

D = dt.date


def col(*values):
    """A one-column range as xlwings passes it."""
    return [[v] for v in values]


def one(result):
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    return result[0][0]


def flat(result):
    return [row[0] for row in result]


@pytest.fixture(autouse=True)
def _classic():
    assert not X.OFFICEJS, "these tests exercise the Classic (non-Office.js) behaviour"


# -- serial dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (61, D(1900, 3, 1)),
        (37572, D(2002, 11, 12)),
        (37572.0, D(2002, 11, 12)),
        (37572.99, D(2002, 11, 12)),  # a time of day is dropped
        (37621, D(2002, 12, 31)),
        (2958465, D(9999, 12, 31)),
    ],
)
def test_serials_follow_excel_1900_system(serial, expected):
    assert convert.serial_to_date(serial, "as_of") == expected


@pytest.mark.parametrize("serial", [60, 0, -1, 0.5, 2958466, float("nan"), float("inf")])
def test_serials_that_are_not_dates_are_value_errors(serial):
    err = convert.serial_to_date(serial, "as_of")
    assert isinstance(err, errors.Err) and err.code == "#VALUE!"
    assert "as_of" in err.message


def test_serial_60_is_the_phantom_leap_day():
    assert "1900-02-29" in convert.serial_to_date(60, "as_of").message


def test_dates_as_serials_datetimes_date_objects_and_text_agree():
    answers = X.LSA_MAX_LIMIT(
        col(37572, 37572.0, dt.datetime(2002, 11, 12, 9, 30), D(2002, 11, 12), "2002-11-12", "11/12/2002")
    )
    assert flat(answers) == [2_000_000.0] * 6


def test_true_is_not_a_date():
    assert one(X.LSA_PRIME(True)).startswith("#VALUE!: as_of")


# -- borrowing capacity ------------------------------------------------------------------------


def test_max_limit_column_without_events():
    # 11-11 No. 10; 11-12 No. 11's $2.0M; 11-15 no increase (nothing delivered);
    # 11-22 down to $1.75M (no Keltic commitment / updated confirmation); 12-31 still $1.75M.
    assert X.LSA_MAX_LIMIT(col(37571, 37572, 37575, 37581, 37582, 37621)) == col(
        1_750_000.0, 2_000_000.0, 2_000_000.0, 2_000_000.0, 1_750_000.0, 1_750_000.0
    )


def test_max_limit_with_every_condition_met_in_time():
    events = [
        ["keltic_due_diligence", 37574],  # 2002-11-14
        ["third_party_confirmation", 37575],  # 2002-11-15
        ["keltic_commitment", "2002-11-20"],
        ["updated_confirmation", dt.datetime(2002, 11, 21)],
    ]
    days = col("2002-11-14", "2002-11-15", "2002-11-22", "2002-12-01", "2002-12-02", "2002-12-08", "2002-12-09")
    assert flat(X.LSA_MAX_LIMIT(days, events)) == [
        2_000_000.0, 2_300_000.0, 2_300_000.0, 2_300_000.0, 2_000_000.0, 2_000_000.0, 1_750_000.0,
    ]


def test_max_limit_increase_then_decrease_without_commitment():
    events = [["keltic_due_diligence", "2002-11-14"], ["third_party_confirmation", "2002-11-15"]]
    assert flat(X.LSA_MAX_LIMIT(col("2002-11-21", "2002-11-22"), events)) == [2_300_000.0, 1_750_000.0]


def test_amended_through_before_no_11_keeps_no_10_limit():
    assert one(X.LSA_MAX_LIMIT("2002-11-15", None, "2002-11-11")) == 1_750_000.0
    assert one(X.LSA_MAX_LIMIT("2002-11-15", None, 37571)) == 1_750_000.0  # serial amended_through


def test_capacity_is_lesser_of_limit_and_85_percent_less_deductions():
    # 85% of 1,000,000 = 850,000 < 2,000,000; 3,000,000 * 85% > 2,000,000, less a 100,000 L/C.
    assert X.LSA_CAPACITY(37572, col(1_000_000, 3_000_000), None, None, col(0, 100_000)) == col(850_000.0, 1_900_000.0)
    assert one(X.LSA_CAPACITY(37572, 1_000_000, 50_000, 25_000, 100_000)) == 675_000.0


def test_capacity_daily_column_spills_same_shape():
    days = col(*range(37530, 37622))  # every day 2002-10-01 .. 2002-12-31
    result = X.LSA_CAPACITY(days, 3_000_000)
    assert len(result) == 92 and all(len(row) == 1 for row in result)
    assert result[0] == [1_750_000.0]  # 2002-10-01, No. 10
    assert result[42] == [2_000_000.0]  # 2002-11-12, No. 11
    assert result[-1] == [1_750_000.0]  # 2002-12-31


def test_overadvance_steps_and_reserve_cap():
    days = col("2002-10-13", "2002-10-14", "2002-10-20", "2002-10-21", "2002-10-27", "2002-10-28", "2002-11-12")
    assert flat(X.LSA_OVERADVANCE_LIMIT(days, 1_000_000)) == [
        300_000.0, 400_000.0, 400_000.0, 300_000.0, 300_000.0, 0.0, 0.0,
    ]
    assert one(X.LSA_OVERADVANCE_LIMIT("2002-10-14", 250_000)) == 250_000.0  # reserve caps it
    assert one(X.LSA_OVERADVANCE_LIMIT("2002-10-14")) == 400_000.0  # reserve omitted
    assert one(X.LSA_OVERADVANCE_LIMIT("2002-10-14", [[None]])) == 400_000.0  # reserve cell empty


def test_availability_includes_overadvance_by_default():
    # 2002-10-14: min(1,750,000, 850,000 + 400,000) - 900,000 = 350,000
    assert one(X.LSA_AVAILABILITY("2002-10-14", 1_000_000, 900_000)) == 350_000.0
    # 2002-11-12: no overadvances under No. 11: min(2,000,000, 850,000) - 500,000
    assert one(X.LSA_AVAILABILITY("2002-11-12", 1_000_000, 500_000)) == 350_000.0


# -- pricing -----------------------------------------------------------------------------------


def test_prime_steps_on_2002_11_07():
    assert X.LSA_PRIME(col("2002-11-06", "2002-11-07")) == col(0.0475, 0.0425)


def test_margin_and_rate_grid_broadcast_dates_by_facilities():
    days = col("2002-11-06", "2002-11-07")
    facilities = [["advances", "term loan"]]
    assert X.LSA_MARGIN(days, facilities) == [[0.035, 0.04], [0.06, 0.06]]
    rates = X.LSA_RATE(days, facilities)
    assert rates[0] == pytest.approx([0.0825, 0.0875])  # 4.75% + 3.5% / 4.0%
    assert rates[1] == pytest.approx([0.1025, 0.1025])  # 4.25% + 6.0%


def test_retroactive_pricing_both_views():
    assert one(X.LSA_MARGIN("2002-11-07", "advances")) == 0.06
    assert one(X.LSA_MARGIN("2002-11-07", "advances", "2002-11-11")) == 0.035
    assert one(X.LSA_RATE("2002-11-07", "Term Loan", None, "2002-11-11")) == pytest.approx(0.0425 + 0.04)


def test_rate_with_prime_override():
    assert one(X.LSA_RATE("2002-11-07", "advances", 0.05)) == pytest.approx(0.11)
    assert flat(X.LSA_RATE(col("2002-11-06", "2002-11-07"), "advances", col(0.05, 0.06))) == pytest.approx(
        [0.085, 0.12]  # one rate per row
    )


def test_prime_as_a_date_rate_table():
    table = [["date", "rate"], [37530, 0.05], ["2002-11-07", 0.03], [None, None]]
    assert flat(X.LSA_RATE(col("2002-11-06", "2002-11-07"), "advances", table)) == pytest.approx([0.085, 0.09])
    # 360,000 at 8.5% for 11-06 and 9.0% for 11-07, Actual/360: 85 + 90
    assert one(X.LSA_INTEREST("2002-11-06", "2002-11-08", 360_000, "advances", table)) == pytest.approx(175.0)
    assert X.LSA_RATE("2002-11-06", "advances", [[0.05, 0.06]]) == [[0.085, 0.095]]  # two rates across, no table


def test_interest_each_day_at_its_rate():
    # 2002-11-06 at 8.25% and 2002-11-07 at 10.25% on 360,000: 82.50 + 102.50 (Actual/360)
    assert one(X.LSA_INTEREST("2002-11-06", "2002-11-08", 360_000, "advances")) == pytest.approx(185.0)
    assert one(X.LSA_INTEREST(37566, 37568, 360_000, "advances", None, "actual/365")) == pytest.approx(
        360_000 * (0.0825 + 0.1025) / 365
    )


# -- fees --------------------------------------------------------------------------------------


def test_fees_due_default_reading():
    # Base Fee 15,000 at signing; the unpaid 85,000 moved to 12-31 with No. 11's 25,000 fee;
    # the Additional Fee waived in full.
    assert one(X.LSA_FEES_DUE(37530, 37621)) == 125_000.0
    assert one(X.LSA_FEES_DUE("2002-10-01", "2002-10-31")) == 15_000.0


def test_fees_due_before_no_11_and_waiver_reading():
    assert one(X.LSA_FEES_DUE("2002-10-01", "2002-10-31", None, "2002-11-11")) == 40_000.0  # + 25,000 on 10-31
    assert one(X.LSA_FEES_DUE("2002-10-01", "2002-12-31", None, None, "unpaid_only")) == 150_000.0


def test_fees_due_with_purchase_offer_under_no_10():
    events = [["event", "date"], ["purchase_offer", "2002-10-30"]]  # header row skipped
    assert one(X.LSA_FEES_DUE("2002-10-01", "2002-12-31", events, "2002-11-11")) == 100_000.0


def test_fee_schedule_is_a_table_with_a_header_and_dates():
    table = X.LSA_FEE_SCHEDULE()
    assert table[0] == ["fee", "component", "scheduled_date", "due_date", "amount", "status", "reason", "citation"]
    assert len({len(row) for row in table}) == 1
    dues = [row[3] for row in table[1:]]
    assert all(isinstance(d, dt.date) for d in dues)
    assert sum(row[4] for row in table[1:] if row[5] == "due") == 125_000.0


def test_deadlines_table():
    table = X.LSA_DEADLINES()
    assert table[0][0] == "date"
    assert D(2002, 12, 17) in [row[0] for row in table[1:]]  # No. 11's Texas auction date


# -- severance ---------------------------------------------------------------------------------


def test_sev_payment_column():
    days = col("2002-09-30", "2002-10-30", "2002-10-31", "2003-02-28", "2003-03-31")
    assert flat(X.SEV_PAYMENT(days, 120_000)) == [10_000.0, 0, 10_000.0, 10_000.0, 0]
    assert one(X.SEV_PAYMENT("2003-03-31", 120_000, None, "last_six")) == 10_000.0
    assert one(X.SEV_PAYMENT("2003-03-31", 120_000, None, "seven_parts")) == pytest.approx(120_000 / 2 / 7)


def test_sev_payment_with_offsets_range():
    offsets = [["date", "amount"], ["2002-11-15", 4_000], [None, None]]
    assert flat(X.SEV_PAYMENT(col("2002-11-30", "2002-12-31"), 120_000, offsets)) == [6_000.0, 10_000.0]


def test_sev_late_interest():
    # due 10-31; paid 11-10 is within ten days; 11-11 is 11 days: 10,000 * 18% * 11 / 365
    result = X.SEV_LATE_INTEREST("2002-10-31", col("2002-11-10", "2002-11-11"), 10_000)
    assert flat(result) == pytest.approx([0.0, 10_000 * 0.18 * 11 / 365])
    assert one(X.SEV_LATE_INTEREST("2002-10-31", "2002-11-11", 10_000, "after_grace")) == pytest.approx(
        10_000 * 0.18 / 365
    )


def test_sev_schedule_table():
    table = X.SEV_SCHEDULE(120_000)
    assert table[0][:2] == ["installment", "due_date"]
    assert [row[1] for row in table[1:]] == [
        D(2002, 9, 30), D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31), D(2003, 1, 31), D(2003, 2, 28),
    ]


def test_terms_info_shows_the_chosen_rule():
    rows = {row[0]: row[1] for row in X.TERMS_INFO([["last_six"], [None]])}
    assert rows["interpretation: severance_installments"] == "last_six"


# -- empty cells, error cells, errors ----------------------------------------------------------


def test_blank_rows_give_blank_cells():
    assert X.LSA_MAX_LIMIT(col(37572, None, "", 37582)) == col(2_000_000.0, None, None, 1_750_000.0)


def test_optional_argument_omitted_or_empty_is_the_same():
    assert X.LSA_CAPACITY(37572, 1e6) == X.LSA_CAPACITY(37572, 1e6, [[None]], [[None]], [[None]], [[None]], [[None]])


def test_upstream_error_in_optional_argument_is_not_a_blank():
    # With the #N/A ignored the answer would be 850,000: it must not be.
    result = one(X.LSA_CAPACITY(37572, 1_000_000, "#N/A"))
    assert result.startswith("#N/A: acceptances")
    column = X.LSA_CAPACITY(col(37572, 37572), 1_000_000, col(None, "#DIV/0!"))
    assert column[0] == [850_000.0] and column[1][0].startswith("#DIV/0!")


def test_upstream_error_classic_com_code():
    spill = errors.COM_ERROR_BASE + 2045  # #SPILL! arrives as a raw COM integer under Classic
    assert one(X.LSA_PRIME(spill)).startswith("#SPILL!")


def test_upstream_error_in_events_fails_the_call():
    result = one(X.LSA_MAX_LIMIT(37575, [["keltic_due_diligence", "#REF!"]]))
    assert result.startswith("#REF!: events row 1")


def test_date_after_the_term_is_na_with_the_reason():
    text = one(X.LSA_MAX_LIMIT("2003-02-01"))
    assert text.startswith("#N/A: 2003-02-01 is after the Initial Term, which ended 2002-12-31")
    assert "\n" not in text and len(text) <= 255


def test_one_bad_row_does_not_fail_the_column():
    result = flat(X.LSA_MAX_LIMIT(col(37572, "not a date", "2003-01-01", 37582)))
    assert result[0] == 2_000_000.0 and result[3] == 1_750_000.0
    assert result[1].startswith("#VALUE!: as_of:")
    assert result[2].startswith("#N/A: 2003-01-01")


def test_a_bad_argument_for_every_row_is_one_error_cell():
    result = X.LSA_RATE(col(37566, 37567), "revolving credit line")
    assert result == [["#VALUE!: facility: unknown facility 'revolving credit line' (did you mean 'revolving loan'?); "
                       "use 'advances' or 'term loan'"]]


def test_unknown_event_is_an_error_not_ignored():
    assert one(X.LSA_MAX_LIMIT(37575, [["keltic_dd", 37575]])).startswith("#VALUE!: events: unknown event 'keltic_dd'")


def test_events_laid_out_sideways_and_with_blank_rows():
    # a two-row range of more than two columns is read sideways (names on top)
    sideways = [["keltic_due_diligence", "third_party_confirmation", "keltic_commitment"], [37574, 37575, None]]
    assert one(X.LSA_MAX_LIMIT(37575, sideways)) == 2_300_000.0
    tall = [["keltic_due_diligence", 37574], [None, None], [None, ""], ["third_party_confirmation", 37575]]
    assert one(X.LSA_MAX_LIMIT(37575, tall)) == 2_300_000.0


def test_events_need_two_columns():
    assert one(X.LSA_MAX_LIMIT(37575, [["a", "b", "c"]] * 3)).startswith("#VALUE!: events: give a two-column range")


def test_ranges_of_different_sizes():
    result = one(X.LSA_CAPACITY(col(37572, 37573, 37574), col(1, 2)))
    assert result.startswith("#VALUE!: ranges of different sizes: as_of 3x1, receivables 2x1")


def test_required_argument_empty_in_a_row():
    result = X.LSA_CAPACITY(col(37572, 37572), col(1_000_000, None))
    assert result[0] == [850_000.0] and result[1][0].startswith("#VALUE!: receivables: the cell is empty")


def test_table_argument_must_be_one_cell():
    assert one(X.LSA_DEADLINES(col("2002-11-11", "2002-11-12"))).startswith("#VALUE!: amended_through: give one cell")


def test_engine_bug_is_a_message_not_a_traceback(monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(catalogue.Catalogue, "many", broken)  # the catalogue's column entry point (rows too) fails
    assert one(X.LSA_PRIME(37572)) == "#VALUE!: unexpected ZeroDivisionError in LSA_PRIME: boom"


def test_per_row_amended_through():
    # 2002-11-15 under all documents, then as the parties stood on 2002-11-11 (No. 10 only)
    assert X.LSA_MAX_LIMIT(col(37575, 37575), None, col(None, "2002-11-11")) == col(2_000_000.0, 1_750_000.0)


def test_column_path_and_row_path_agree():
    days = col(*range(37525, 37630), None, "2002-11-20", "bad")
    receivables = col(*[1_000_000 + 25_000 * i for i in range(105)], 5, None, 7)
    fast = X.LSA_CAPACITY(days, receivables, 10_000)
    slow = X.LSA_CAPACITY(days, receivables, 10_000, None, None, None, col(*[None] * 105, None, None, None))
    assert fast == slow


def test_sev_election_boolean_argument():
    assert one(X.SEV_ELECTION("outplacement", 10_000, 12_000)) == 10_000.0
    assert one(X.SEV_ELECTION("outplacement", 10_000, 12_000, False)) == 12_000.0  # greater of the two
    assert one(X.SEV_ELECTION("outplacement", 10_000, 12_000, "maybe")).startswith("#VALUE!: transfer_accepted")


# -- the catalogue, help texts -----------------------------------------------------------------

EXCEL_NAMES = {"date": "as_of", "start": "start_date", "end": "end_date"}


def test_every_catalogue_function_is_exposed_with_the_same_argument_order():
    for name in catalogue.CATALOGUE:
        excel = getattr(X, name)
        ours = list(inspect.signature(excel).parameters)
        assert ours == [a for a, *_ in X.SPECS[name]], name
        engine = getattr(catalogue.Catalogue, name)
        theirs = [EXCEL_NAMES.get(p, p) for p in list(inspect.signature(engine).parameters)[1:]]
        assert ours == theirs, name
        required = [p.default is inspect.Parameter.empty for p in inspect.signature(excel).parameters.values()]
        assert required == [spec[2] for spec in X.SPECS[name]], name


def test_help_texts_fit_excel_limits():
    for name, spec in X.SPECS.items():
        doc = getattr(X, name).__doc__
        assert doc and len(doc) <= 255, name
        for argument, _kind, _required, text in spec:
            assert text and len(text) <= 255, (name, argument)
    assert register.OPTIONS["volatile"] is False


def test_numpy_column_handover_when_the_engine_takes_it(monkeypatch):
    """With udfs.catalogue.functions.MANY_ACCEPTS naming datetime64[D], a column of plain serials goes to
    Catalogue.many as one datetime64 array (no per-row Python); the answers are the same."""
    import numpy as np

    days = col(*range(37525, 37630))
    expected = X.LSA_CAPACITY(days, col(*[1_000_000.0] * 105), 10_000)
    seen = []
    original = catalogue.Catalogue.many

    def many(self, name, args, n):
        seen.append([type(a) for a in args])
        return original(self, name, [a.tolist() if isinstance(a, np.ndarray) else a for a in args], n)

    monkeypatch.setattr(catalogue, "MANY_ACCEPTS", {"datetime64[D]", "float64"}, raising=False)
    monkeypatch.setattr(catalogue.Catalogue, "many", many)
    assert X.LSA_CAPACITY(days, col(*[1_000_000.0] * 105), 10_000) == expected
    assert seen[-1][:2] == [np.ndarray, np.ndarray]
    serials = number_columns.serial_array
    assert serials([37572, 37572.5, 61]).tolist() == [D(2002, 11, 12), D(2002, 11, 12), D(1900, 3, 1)]
    assert serials([60, 37572]) is None and serials([37572, None]) is None
    assert serials(["37572"]) is None  # text is never a serial
    # cells numpy would quietly turn into numbers go the cell-by-cell way, and fail there by name
    receivables = col(1_000_000.0, True, errors.COM_ERROR_BASE + 2042, -5.0)
    assert flat(X.LSA_PRIME(col(True, 37572)))[0].startswith("#VALUE!: as_of: True")
    answers = flat(X.LSA_CAPACITY(col(37572, 37572, 37572, 37572), receivables))
    assert answers[0] == 850_000.0
    assert answers[1].startswith("#VALUE!: receivables: True")
    assert answers[2].startswith("#N/A: receivables refers to a cell holding #N/A")
    assert answers[3].startswith("#VALUE!: receivables: -5")


# -- LSA_EXPLAIN -------------------------------------------------------------------------------


def test_explain_classic_table_and_errors():
    # 2002-11-22, nothing delivered: No. 11 B.1(A)(ii)(a) sets the Maximum Limit at $1,750,000
    table = X.LSA_EXPLAIN(37582)
    assert table[0] == ["term", "value", "document", "step", "why", "citation"]
    assert {len(row) for row in table} == {6}
    limit = next(row for row in table if row[0] == "Maximum Limit")
    assert limit[1:3] == [1_750_000.0, "Amendment No. 11"] and "B.1(A)(ii)(a)" in limit[5]
    # events as a two-column range: both B.1(A)(i) conditions in by 2002-11-15 -> $2,300,000 on 11-18
    events = [["keltic_due_diligence", 37574], ["third_party_confirmation", "2002-11-15"]]
    limit = next(row for row in X.LSA_EXPLAIN("2002-11-18", events) if row[0] == "Maximum Limit")
    assert limit[1] == 2_300_000.0
    assert one(X.LSA_EXPLAIN("someday")).startswith("#VALUE!: as_of: 'someday' is not a date")
    assert one(X.LSA_EXPLAIN(37653)).startswith("#N/A: 2003-02-01 is after")


def test_functions_are_generated_from_the_spec_as_real_functions():
    from udfs.catalogue import spec

    assert X.__all__ == [*spec.NAMES, "TermbookError"]
    for function in spec.FUNCTIONS:
        f = getattr(X, function.name)
        names = [a.excel_name for a in function.args]
        assert inspect.isfunction(f) and f.__module__ == "udfs.xlfuncs" and f.__doc__ == function.help
        assert list(f.__code__.co_varnames[:len(names)]) == names  # what Classic xlwings shows in the wizard
    # keywords work as in any Python function: 85% of 1,000,000 less a 100,000 letter of credit on 2002-11-12
    assert X.LSA_CAPACITY(37572, 1_000_000, letters_of_credit=100_000) == [[750_000.0]]
