"""The Excel functions through xlwings' own Office.js call path (xlwings Server / xlwings Lite).

The tests call `xlwings.server.custom_functions_meta` and `custom_functions_call` exactly as
the xlwings Server endpoints do, with request bodies shaped like the ones the Office.js
add-in posts: 2-D `args` per parameter, numbers for dates, "" or null for empty cells, and
error cells as Excel.CellValue error objects. The xlwings Office.js path needs
XLWINGS_ON_SERVER=true and a key; the test run sets XLWINGS_LICENSE_KEY=noncommercial for
itself. The product needs no key (Classic xlwings is BSD-licensed).

Expected values are worked out by hand from the documents: see tests/excel/test_xlfuncs.py.
"""

from __future__ import annotations

import asyncio

import pytest

NOT_AVAILABLE = {"type": "Error", "errorType": "NotAvailable"}


def error_cell(code: str, error_type: str) -> dict:
    """An error cell as Office.js passes it to a custom function (allowErrorForDataTypeAny)."""
    return {"type": "Error", "basicType": "Error", "basicValue": code, "errorType": error_type}





def body(name: str, *args, runtime: str = "1.4") -> dict:
    """A custom-function call as the Office.js add-in posts it."""
    import xlwings

    return {
        "client": "Office.js",
        "func_name": name,
        "args": list(args),
        "caller_address": "[Book1.xlsx]Sheet1!C2",
        "session_id": "test",
        "culture_info_name": "en-US",
        "date_format": "m/d/yyyy",
        "version": xlwings.__version__,
        "runtime": runtime,
    }


def call(officejs, name, *args, runtime="1.4"):
    module, server = officejs
    return asyncio.run(server.custom_functions_call(body(name, *args, runtime=runtime), module))


def cells(*values):
    """A one-column range."""
    return [[v] for v in values]


# -- metadata ----------------------------------------------------------------------------------


def test_metadata_lists_the_whole_catalogue_in_the_namespace(officejs):
    module, server = officejs
    meta = server.custom_functions_meta(module)
    functions = {f["id"]: f for f in meta["functions"]}
    from udfs.catalogue import functions as catalogue

    assert set(functions) == set(catalogue.CATALOGUE)
    assert meta["allowErrorForDataTypeAny"] is True
    for name, function in functions.items():
        assert function["name"] == f"TERMBOOK.{name}"
        assert 0 < len(function["description"]) <= 255
        assert function["description"] == " ".join(function["description"].split())  # one line
        assert "volatile" not in function["options"], name
        assert function["result"] == {"dimensionality": "matrix", "type": "any"}
        spec = module.SPECS[name]
        assert [p["name"] for p in function["parameters"]] == [s[0] for s in spec]
        for parameter, (_argument, _kind, required, doc) in zip(function["parameters"], spec, strict=True):
            assert parameter["description"] == doc and len(doc) <= 255
            assert parameter.get("optional", False) is (not required)
            assert parameter["dimensionality"] == "matrix"


def test_metadata_capacity_parameters(officejs):
    module, server = officejs
    capacity = next(f for f in server.custom_functions_meta(module)["functions"] if f["id"] == "LSA_CAPACITY")
    assert capacity["description"].startswith("Borrowing Capacity on each date")
    assert [(p["name"], p.get("optional", False)) for p in capacity["parameters"]] == [
        ("as_of", False), ("receivables", False), ("acceptances", True), ("guaranties", True),
        ("letters_of_credit", True), ("events", True), ("amended_through", True), ("rules", True),
            ("collateral", True),
    ]


# -- values ------------------------------------------------------------------------------------


def test_scalar_serial_date(officejs):
    # 37572 = 2002-11-12, the day No. 11 set the Maximum Limit at $2,000,000
    assert call(officejs, "LSA_MAX_LIMIT", [[37572]]) == [[2_000_000]]


def test_column_of_serials_spills_a_column(officejs):
    dates = cells(37571, 37572, 37575, 37582, 37621)  # 11-11, 11-12, 11-15, 11-22, 12-31
    assert call(officejs, "LSA_MAX_LIMIT", dates) == cells(1_750_000, 2_000_000, 2_000_000, 1_750_000, 1_750_000)


def test_capacity_column_with_receivables_column(officejs):
    # min(2,000,000, 85% x receivables) on 2002-11-12, less a 100,000 letter of credit
    result = call(officejs, "LSA_CAPACITY", cells(37572, 37572), cells(1_000_000, 3_000_000), None, None, [[100_000]])
    assert result == cells(750_000, 1_900_000)


def test_omitted_and_empty_optional_arguments(officejs):
    omitted = call(officejs, "LSA_CAPACITY", [[37572]], [[1_000_000]])
    empty = call(officejs, "LSA_CAPACITY", [[37572]], [[1_000_000]], [[""]], [[None]], [[""]], [[""]], None, None)
    assert omitted == empty == [[850_000]]


def test_events_range_with_blank_rows(officejs):
    events = [["keltic_due_diligence", 37574], ["", ""], ["third_party_confirmation", 37575], [None, None]]
    assert call(officejs, "LSA_MAX_LIMIT", cells(37574, 37575), events) == cells(2_000_000, 2_300_000)


def test_rates_grid_dates_by_facilities(officejs):
    result = call(officejs, "LSA_RATE", cells(37566, 37567), [["advances", "term loan"]])  # 11-06, 11-07
    assert result[0] == pytest.approx([0.0475 + 0.035, 0.0475 + 0.04])
    assert result[1] == pytest.approx([0.0425 + 0.06, 0.0425 + 0.06])


def test_margin_retroactive_both_views(officejs):
    assert call(officejs, "LSA_MARGIN", [[37567]], [["advances"]]) == [[0.06]]
    assert call(officejs, "LSA_MARGIN", [[37567]], [["advances"]], [[37571]]) == [[0.035]]


def test_blank_date_rows_stay_blank(officejs):
    assert call(officejs, "LSA_PRIME", cells(37566, "", None, 37567)) == cells(0.0475, "", "", 0.0425)


def test_fee_schedule_spills_with_header_and_dates(officejs):
    table = call(officejs, "LSA_FEE_SCHEDULE")
    assert table[0] == ["fee", "component", "scheduled_date", "due_date", "amount", "status", "reason", "citation"]
    first = table[1]
    # Base Fee installment on execution of No. 10 (2002-10-01 = serial 37530), a date cell
    assert first[2] == {"type": "FormattedNumber", "basicValue": 37530.0, "numberFormat": "m/d/yyyy"}
    assert first[4] == 15_000
    assert sum(row[4] for row in table[1:] if row[5] == "due") == 125_000


def test_sev_schedule_table_and_payment(officejs):
    table = call(officejs, "SEV_SCHEDULE", [[120_000]])
    assert len(table) == 7 and table[0][1] == "due_date"
    assert [row[1]["basicValue"] for row in table[1:]] == [37529.0, 37560.0, 37590.0, 37621.0, 37652.0, 37680.0]
    payments = call(officejs, "SEV_PAYMENT", cells(37529, 37559, 37560), [[120_000]])  # 09-30, 10-30, 10-31
    assert payments == cells(10_000, 0, 10_000)


def test_late_interest(officejs):
    # due 2002-10-31 (37560), paid 2002-11-11 (37571): 11 days at 18% on 10,000
    assert call(officejs, "SEV_LATE_INTEREST", [[37560]], [[37571]], [[10_000]]) == [
        [pytest.approx(10_000 * 0.18 * 11 / 365)]
    ]


# -- errors ------------------------------------------------------------------------------------


def test_date_after_the_term_is_a_real_na(officejs):
    assert call(officejs, "LSA_MAX_LIMIT", [[37653]]) == [[NOT_AVAILABLE]]  # 2003-02-01


def test_na_inside_a_column_is_per_cell(officejs):
    result = call(officejs, "LSA_MAX_LIMIT", cells(37621, 37622))  # 12-31, then 2003-01-01
    assert result == cells(1_750_000, NOT_AVAILABLE)


def test_older_runtime_gets_error_text(officejs):
    assert call(officejs, "LSA_MAX_LIMIT", [[37653]], runtime="1.3") == [["#N/A"]]


def test_bad_argument_raises_value_error_with_message(officejs):
    module, _server = officejs
    import xlwings

    with pytest.raises(xlwings.XlwingsError, match=r"^facility: unknown facility 'revolving credit'") as info:
        call(officejs, "LSA_RATE", cells(37566, 37567), [["revolving credit"]])
    assert isinstance(info.value, module.TermbookError)


def test_unknown_event_raises(officejs):
    import xlwings

    with pytest.raises(xlwings.XlwingsError, match="unknown event 'keltic'"):
        call(officejs, "LSA_MAX_LIMIT", [[37575]], [["keltic", 37575]])


def test_bad_cell_inside_a_column_is_a_value_error_cell(officejs):
    result = call(officejs, "LSA_MAX_LIMIT", cells(37572, "someday", 37582))
    assert result == cells(2_000_000, {"type": "Error", "errorType": "Value"}, 1_750_000)


def test_serial_60_is_refused(officejs):
    import xlwings

    with pytest.raises(xlwings.XlwingsError, match="1900-02-29"):
        call(officejs, "LSA_PRIME", [[60]])


def test_upstream_error_cell_in_optional_argument_propagates(officejs):
    # acceptances = #N/A upstream: treating it as empty would answer 850,000
    result = call(officejs, "LSA_CAPACITY", [[37572]], [[1_000_000]], [[error_cell("#N/A", "NotAvailable")]])
    assert result == [[NOT_AVAILABLE]]
    column = call(
        officejs, "LSA_CAPACITY", cells(37572, 37572), [[1_000_000]], cells("", error_cell("#DIV/0!", "Div0"))
    )
    assert column == cells(850_000, {"type": "Error", "errorType": "Div0"})


def test_upstream_error_in_amended_through_propagates(officejs):
    result = call(officejs, "LSA_MAX_LIMIT", [[37575]], None, [[error_cell("#REF!", "Ref")]])
    assert result == [[{"type": "Error", "errorType": "Ref"}]]


def test_upstream_error_in_events_fails_the_call(officejs):
    events = [["keltic_due_diligence", 37574], ["third_party_confirmation", error_cell("#N/A", "NotAvailable")]]
    assert call(officejs, "LSA_MAX_LIMIT", [[37575]], events) == [[NOT_AVAILABLE]]


def test_rules_as_a_range_and_data_type_cells(officejs):
    rows = call(officejs, "TERMS_INFO", [["last_six"], [""]])
    assert ["interpretation: severance_installments", "last_six"] == rows[[r[0] for r in rows].index(
        "interpretation: severance_installments")][:2]
    # a date that arrives as a formatted-number value object is read by its basic value
    formatted = {"type": "FormattedNumber", "basicValue": 37572, "numberFormat": "m/d/yyyy"}
    assert call(officejs, "LSA_MAX_LIMIT", [[formatted]]) == [[2_000_000]]


def test_sev_election_metadata_and_call(officejs):
    module, server = officejs
    election = next(f for f in server.custom_functions_meta(module)["functions"] if f["id"] == "SEV_ELECTION")
    assert [p.get("optional", False) for p in election["parameters"]] == [False, False, False, True]
    # the lessor refused the transfer: the greater of outplacement (10,000) and lease costs (12,000)
    assert call(officejs, "SEV_ELECTION", [["outplacement"]], [[10_000]], [[12_000]], [[False]]) == [[12_000]]


# -- LSA_EXPLAIN -------------------------------------------------------------------------------

EXPLAIN_HEADER = ["term", "value", "document", "step", "why", "citation"]


def _row(table, term):
    return next(row for row in table if row[0] == term)


def test_explain_metadata_from_the_spec(officejs):
    module, server = officejs
    explain = next(f for f in server.custom_functions_meta(module)["functions"] if f["id"] == "LSA_EXPLAIN")
    assert explain["name"] == "TERMBOOK.LSA_EXPLAIN"
    assert [(p["name"], p.get("optional", False)) for p in explain["parameters"]] == [
        ("as_of", False), ("events", True), ("amended_through", True), ("rules", True)]


def test_explain_spills_a_table_with_a_header_row(officejs):
    # 2002-11-22 (37582), nothing delivered: No. 11 B.1(A)(ii)(a) takes the Maximum Limit to $1,750,000
    table = call(officejs, "LSA_EXPLAIN", [[37582]])
    assert table[0] == EXPLAIN_HEADER
    assert len(table) > 3 and {len(row) for row in table} == {6}
    limit = _row(table, "Maximum Limit")
    assert limit[1:3] == [1_750_000, "Amendment No. 11"] and "B.1(A)(ii)(a)" in limit[5]
    # the term's window ends 2002-12-31 (serial 37621), a date cell
    assert _row(table, "Window")[1] == {"type": "FormattedNumber", "basicValue": 37621.0, "numberFormat": "m/d/yyyy"}


def test_explain_takes_events_as_a_range(officejs):
    # both No. 11 B.1(A)(i) conditions delivered by 2002-11-15: $2,300,000 on 2002-11-18 (37578)
    events = [["event", "date"], ["keltic_due_diligence", 37574], ["", None], ["third_party_confirmation", 37575]]
    limit = _row(call(officejs, "LSA_EXPLAIN", [[37578]], events), "Maximum Limit")
    assert limit[1] == 2_300_000 and "B.1(A)(i)" in limit[5]
    # amended through 2002-11-11: No. 10's $1,750,000 governs
    before = call(officejs, "LSA_EXPLAIN", [[37578]], events, [[37571]])
    assert _row(before, "Document in force")[1] == "Amendment No. 10"
    assert _row(before, "Maximum Limit")[1] == 1_750_000


def test_explain_errors(officejs):
    import xlwings

    with pytest.raises(xlwings.XlwingsError, match=r"^as_of: 'someday' is not a date"):
        call(officejs, "LSA_EXPLAIN", [["someday"]])
    with pytest.raises(xlwings.XlwingsError, match=r"^as_of: give one cell, not a range of 2x1"):
        call(officejs, "LSA_EXPLAIN", cells(37572, 37573))
    assert call(officejs, "LSA_EXPLAIN", [[37653]]) == [[NOT_AVAILABLE]]  # 2003-02-01: after the term
