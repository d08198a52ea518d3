"""The borrowing base as data: a second collateral component with its own rate and a sublimit that
steps down, and a reserve from a date (docs/deal-format.md, "The borrowing base").

The clause, written for this test and appended to the embedded deal as a made-up document dated
2002-12-02 ("Test Amendment", T.1 and T.2):

  T.1 From 2002-12-02 the IEC Borrowing Capacity also counts 50% of Eligible Inventory, at most an
      Inventory Sublimit of $250,000, lowered to $150,000 from 2002-12-16.
  T.2 A Test Reserve of $100,000 is deducted from Borrowing Capacity from 2002-12-09.

The embedded deal's terms otherwise: 85% of receivables; Maximum Limit $1,750,000 from 2002-11-22 with
no No. 11 deliverable delivered (No. 11 B.1(A)(ii)(a); (ii)(b)'s $2,000,000 only lowers a higher one);
no Overadvances under No. 11. Every figure below is worked from those clauses by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import workbook_helpers as H

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import DealFileError, TermsError
from udfs.loading import parse_deal

D = dt.date
SEED = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"
EXTRA = """
[[documents]]
id = "test-amendment"
short = "Test"
title = "Test Amendment"
date = 2002-12-02
citation = "Test Amendment"

[borrowing_base]
citation = "Amendment No. 10, B.1 (Item 1); Test Amendment, T.1"
[[borrowing_base.components]]
id = "receivables"
label = "Eligible Receivables"
rate_term = "advance_rate"
citation = "Amendment No. 10, B.1 (Item 1(B))"
[[borrowing_base.components]]
id = "inventory"
label = "Eligible Inventory"
rate_term = "inventory_advance_rate"
sublimit_term = "inventory_sublimit"
citation = "Test Amendment, T.1"
[[borrowing_base.reserves]]
term = "test_reserve"
label = "Test Reserve"
citation = "Test Amendment, T.2"

[[terms.inventory_advance_rate]]
document = "test-amendment"
from = 2002-12-02
value = 0.5
citation = "Test Amendment, T.1"

[[terms.inventory_sublimit]]
document = "test-amendment"
from = 2002-12-02
value = 250000
citation = "Test Amendment, T.1"
[[terms.inventory_sublimit.steps]]
kind = "level"
date = 2002-12-16
value = 150000
citation = "Test Amendment, T.1 (from 2002-12-16)"

[[terms.test_reserve]]
document = "test-amendment"
from = 2002-12-09
value = 100000
citation = "Test Amendment, T.2"
"""
LC = 100_000


def deal_text() -> str:
    return SEED.read_text() + EXTRA


@pytest.fixture(scope="module")
def cat():
    return Catalogue(__import__("udfs.engine.terms", fromlist=["Terms"]).Terms(
        parse_deal(deal_text().encode(), "test-borrowing-base.toml")))


@pytest.mark.parametrize("day, receivables, inventory, through, expected", [
    # before the Test Amendment: inventory does not count; min(1,750,000, 85% x 1,000,000) - 100,000
    (D(2002, 12, 1), 1_000_000, 800_000, None, 750_000),
    # T.1: 50% x 800,000 = 400,000, at most 250,000; min(1,750,000, 850,000 + 250,000) - 100,000
    (D(2002, 12, 2), 1_000_000, 800_000, None, 1_000_000),
    # T.2 from 12-09: less the 100,000 reserve
    (D(2002, 12, 9), 1_000_000, 800_000, None, 900_000),
    (D(2002, 12, 15), 1_000_000, 800_000, None, 900_000),
    # the sublimit steps to 150,000 on 12-16: 850,000 + 150,000 - 100,000 - 100,000
    (D(2002, 12, 16), 1_000_000, 800_000, None, 800_000),
    # below the sublimit: 50% x 200,000 = 100,000; 850,000 + 100,000 - 200,000
    (D(2002, 12, 16), 1_000_000, 200_000, None, 750_000),
    # the Maximum Limit binds: min(1,750,000, 1,700,000 + 250,000) - 100,000
    (D(2002, 12, 2), 2_000_000, 800_000, None, 1_650_000),
    # as amended through 2002-12-01: no inventory, no reserve: 850,000 - 100,000
    (D(2002, 12, 16), 1_000_000, 800_000, D(2002, 12, 1), 750_000),
])
def test_capacity_by_hand(cat, day, receivables, inventory, through, expected):
    got = cat.LSA_CAPACITY(day, receivables, None, None, LC, None, through, None, [["inventory", inventory]])
    assert type(got) is float and got == expected


def test_availability_adds_no_overadvance_room_under_no_11(cat):
    # No. 11: no Overadvances; min(1,750,000, 1,000,000 + 0) - 100,000 - 100,000 - 500,000 outstanding
    got = cat.LSA_AVAILABILITY(D(2002, 12, 16), 1_000_000, 500_000, None, None, LC, None, None, None, None,
                               [["inventory", 800_000]])
    assert got == 300_000


def test_without_collateral_the_other_components_count_zero(cat):
    assert cat.LSA_CAPACITY(D(2002, 12, 16), 1_000_000, None, None, LC) == 650_000  # 850,000 - 100,000 - 100,000


def test_a_column_answers_as_the_rows(cat):
    days = [D(2002, 12, 1), D(2002, 12, 2), D(2002, 12, 9), D(2002, 12, 16)]
    got = cat.many("LSA_CAPACITY", [days, 1_000_000, None, None, LC, None, None, None, [["inventory", 800_000]]], 4)
    assert [float(v) for v in got] == [750_000, 1_000_000, 900_000, 800_000]


@pytest.mark.parametrize("collateral, reason", [
    ([["stock", 1]], "unknown collateral component 'stock'"),
    ([["receivables", 1]], "'receivables' is given by its own argument"),
    ([["inventory", -5]], "inventory"),
    ([["inventory", 1], ["inventory", 2]], "given twice"),
])
def test_bad_collateral_is_refused_by_name(cat, collateral, reason):
    with pytest.raises(TermsError) as err:
        cat.LSA_CAPACITY(D(2002, 12, 16), 1_000_000, None, None, None, None, None, None, collateral)
    assert reason in err.value.reason or reason in err.value.argument


def test_explanation_shows_each_figure(cat):
    lines = cat.explain("LSA_AVAILABILITY", date=D(2002, 12, 16), receivables=1_000_000, outstanding=500_000,
                        letters_of_credit=LC, collateral=[["inventory", 800_000]]).lines
    by = {ln[0]: ln[1] for ln in lines}
    assert by["Eligible Inventory x advance rate"] == 150_000
    assert by["Eligible Receivables x advance rate"] == 850_000
    assert by["Borrowing base after advance rates"] == 1_000_000
    assert by["Reserves"] == 100_000
    assert by["Borrowing Capacity"] == 800_000
    assert by["Availability"] == 300_000


@pytest.mark.parametrize("change, field", [
    ('id = "inventory"', None),  # control: the file loads
    # one term as the rate and the sublimit: a fraction and an amount at once
    ('rate_term = "inventory_sublimit"', "borrowing_base.components[1].sublimit_term"),
    ('id = "outstanding"', "borrowing_base.components[1].id"),
    ('id = "stock"\nid2 = 1', "borrowing_base.components[1].id2"),
])
def test_a_malformed_borrowing_base_is_refused_naming_the_field(change, field):
    text = deal_text()
    if field is not None:
        old = 'rate_term = "inventory_advance_rate"' if "rate_term" in change else 'id = "inventory"'
        text = text.replace(old, change)
    if field is None:
        parse_deal(text.encode(), "bb.toml")
        return
    with pytest.raises(DealFileError) as err:
        parse_deal(text.encode(), "bb.toml")
    assert err.value.field == field


# -- the workbook: the same figures as formulas, recalculated ---------------------------------------

INPUTS = {"as_of": D(2002, 12, 16), "receivables": 1_000_000, "letters_of_credit": LC, "outstanding": 500_000,
          "collateral": {"inventory": 800_000}}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    if not (H.soffice() and H.ssconvert()):
        pytest.fail("LibreOffice and Gnumeric are needed (bash .ci/run installs them)")
    root = tmp_path_factory.mktemp("bb")
    deal = parse_deal(deal_text().encode(), "test-borrowing-base.toml")
    built = H.build_file(root / "bb.xlsx", INPUTS, deal=deal)
    edited = root / "bb_edited.xlsx"  # a lender types other figures into the Inputs tab
    H.set_inputs(built, edited, {"Collateral_inventory": 200_000, "Receivables": 2_000_000})
    files = [built, edited]
    return {"built": built, "edited": edited, "deal": deal,
            "libreoffice": H.recalculate(files, root / "lo"), "gnumeric": H.recalculate_gnumeric(files, root / "gn")}


def _column(path, name):
    return H.named(path, name)


@pytest.mark.parametrize("program", ["libreoffice", "gnumeric"])
def test_recalculated_workbook_equals_the_engine(books, program):
    formulas = H.formula_cells(books["built"])
    got = H.values(books[program][books["built"]])
    assert H.errors(formulas, got) == []
    assert H.mismatches(formulas, got, H.values(books["built"])) == []


@pytest.mark.parametrize("program", ["libreoffice", "gnumeric"])
def test_figures_typed_into_the_inputs_tab_flow_through(books, program):
    path = books[program][books["edited"]]
    dates = [H.as_date(v) for v in _column(path, "BC_Date")]
    capacity = dict(zip(dates, _column(path, "BC_Capacity"), strict=True))
    # 12-16: min(1,750,000, 85% x 2,000,000 + min(50% x 200,000, 150,000)) - 100,000 - 100,000
    assert capacity[D(2002, 12, 16)] == 1_550_000
    # 12-01: inventory not yet counted: min(1,750,000, 1,700,000) - 100,000
    assert capacity[D(2002, 12, 1)] == 1_600_000
    cat = Catalogue(__import__("udfs.engine.terms", fromlist=["Terms"]).Terms(books["deal"]))
    for day, value in capacity.items():
        if value not in ("", None):
            assert value == cat.LSA_CAPACITY(day, 2_000_000, None, None, LC, None, None, None,
                                              [["inventory", 200_000]]), day
