"""The Borrowing Capacity certificate: its figures worked out by hand from the documents, each line
recomputed from the lines above it, and the Maximum Limit's step and clause the same as the engine's
explanation (LSA_EXPLAIN).

LibreOffice recalculates every formula of the tab, including the working beside the page, in the
changed-input scenarios of tests/lender_workbook/test_workbook_lo.py."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812

from udfs.catalogue.functions import Catalogue
from udfs.engine.terms import Terms
from udfs.loading import default_deal

ON_TIME = {"keltic_due_diligence": dt.date(2002, 11, 14), "third_party_confirmation": dt.date(2002, 11, 15)}


def certificate(tmp_path, overrides=None, flavor="portable", name=None) -> dict:
    """Label -> (amount, clause or note) as stored in the built file; a numbered line also under its
    number ("C4"), and the Cover's availability under "availability"."""
    path = H.build_file(tmp_path / f"{name or flavor}.xlsx", overrides, flavor)
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for row in wb["Certificate"].iter_rows(min_col=1, max_col=3):
        label = row[0].value
        if isinstance(label, str) and label.strip():
            out[label.strip()] = (row[1].value, row[2].value)
            number = label.strip().split(".")[0]
            if number[:1] in "ABCDE" and number[1:2].isdigit():
                out[number] = row[1].value
    cover = {r[0].value: r[1].value for r in wb["Cover"].iter_rows(min_col=1, max_col=2)}
    out["availability"] = cover["Availability"]
    return out


def explained(as_of, events=None, amended_through=None):
    table = Catalogue(Terms(default_deal())).LSA_EXPLAIN(as_of, events, amended_through)
    return {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}


def test_default_inputs_on_2002_12_31(tmp_path):
    c = certificate(tmp_path)
    # the template's samples: 2,900,000 gross less 400,000 ineligible = 2,500,000 eligible, as Receivables
    assert c["A6"] == 2_900_000 and c["A8"] == 0
    assert c["B2"] == 400_000 and c["B3"] == 2_500_000 and c["B5"] == 0
    assert c["C1a"] == 2_500_000
    assert c["C1b"] == (pytest.approx(0.85))
    assert c["C1"] == pytest.approx(2_125_000)
    # 1,750,000 under two caps of No. 11: B.1(A)(ii)(a) from 2002-11-22 (the commitment letter and the
    # updated confirmation not delivered by then) and B.1(A)(ii)(c) from 2002-12-09 in any event. The
    # certificate cites the latest, (ii)(c), which sets the figure whatever was delivered.
    assert c["C2a. Maximum Limit in force"] == (1_750_000, "Amendment No. 11, B.1(A)(ii)(c)")
    assert c["set on"] == (dt.datetime(2002, 12, 9), "Amendment No. 11, a cap")
    assert c["C3"] == 1_750_000
    assert c["less: letters of credit"][0] == 100_000
    assert c["C4"] == 1_650_000  # 1,750,000 less the 100,000 letter of credit
    assert c["D4"] == 1_500_000 and c["D5"] == 1_500_000 and c["D6"] == 0
    assert c["D7"] == 3_000_000  # the Term Loan balance (Inputs), outside Borrowing Capacity
    assert c["E1"] == 150_000
    assert c["E2"] == 0  # no Overadvances under No. 11
    assert c["E3"] == 0
    assert c["Compliance"][0] == "Within Borrowing Capacity"
    # the view: documents signed by the as-of date, said on the page
    assert c["Documents counted: signed on or before"] == (dt.datetime(2002, 12, 31),
                                                           "the documents signed by the as-of date")
    # samples are never passed off as the borrower's
    assert c["Signature:"][0] == "ILLUSTRATIVE FIGURES: NOT FOR SIGNATURE"
    assert c["None."] == (None, None)  # no exception to the no-default statement entered


def test_over_capacity_on_2002_10_15_the_discretionary_room_is_not_availability(tmp_path):
    # The case: receivables 1,500,000, Advances 1,500,000, a 100,000 letter of credit, as of
    # 2002-10-15. No. 10 B.1: 85% x 1,500,000 = 1,275,000 under the 1,750,000 Maximum Limit, less
    # 100,000 = 1,175,000 Borrowing Capacity; Advances are 325,000 above it. Overadvances (No. 10 B.1, at
    # the Lenders' sole discretion) up to 400,000 from 2002-10-14: 75,000 of room left, not availability.
    c = certificate(tmp_path, {"as_of": "2002-10-15", "receivables": 1_500_000})
    assert c["C4"] == pytest.approx(1_175_000)
    assert c["E1"] == pytest.approx(-325_000)
    assert c["E2"] == 400_000
    assert c["E3"] == pytest.approx(75_000)
    assert c["Compliance"][0] == "Above Borrowing Capacity, within the Overadvance limit"
    # a certificate as of 10-15 counts the documents signed by then: No. 10, not No. 11 (signed 11-12)
    assert c["Documents counted: signed on or before"][0] == dt.datetime(2002, 10, 15)
    assert c["Document in effect on the as-of date"][0] == "Amendment No. 10"
    assert c["Reporting period from"][0] == dt.datetime(2002, 10, 1)


def test_deliveries_on_time_lift_the_limit_to_2_3m_on_2002_11_20(tmp_path):
    c = certificate(tmp_path, {"as_of": dt.date(2002, 11, 20), "events": ON_TIME})
    # B.1(A)(i): both items delivered by 2002-11-15 -> 2,300,000; capacity min(2.3M, 2.125M) - 100,000.
    assert c["C2a. Maximum Limit in force"] == (2_300_000, "Amendment No. 11, B.1(A)(i)")
    assert c["set on"] == (dt.datetime(2002, 11, 15), "Amendment No. 11, a step up")
    assert c["C4"] == pytest.approx(2_025_000)


def test_advances_above_capacity_are_reported_with_the_shortfall(tmp_path):
    c = certificate(tmp_path, {"outstanding": 1_800_000})
    assert c["E1"] == -150_000
    assert c["Compliance"][0] == "Above Borrowing Capacity and the Overadvance limit"


def test_the_borrowers_own_figures_drop_every_illustrative_mark(tmp_path):
    c = certificate(tmp_path, {"borrowers_figures": True, "certificate": {
        "number": "2002-12", "prior_receivables": 2_700_000, "sales": 1_000_000, "collections": 900_000,
        "credits": 30_000, "adjustments": 5_000, "gross_receivables": 2_760_000,
        "ineligibles": {"over_90": 200_000, "cross_aged": 0, "contra": 0, "foreign": 0, "government": 0,
                        "disputed": 0, "concentration": 60_000},
        "opening_advances": 1_500_000, "advances_made": 300_000, "advances_repaid": 300_000}})
    assert c["Signature:"][0] is None
    assert not any("ILLUSTRATIVE" in str(k) + str(v) for k, v in c.items())
    assert c["Certificate number"][0] == "2002-12"
    # 2,700,000 + 1,000,000 - 900,000 - 30,000 + 5,000 = 2,775,000 against 2,760,000 per the aging
    assert c["A6"] == 2_775_000 and c["A8"] == 15_000
    # 2,760,000 less 260,000 = 2,500,000 eligible, as the Receivables input: reconciled
    assert c["B3"] == 2_500_000 and c["B5"] == 0


SCENARIOS = {
    "default": None,
    "over_capacity": {"as_of": "2002-10-15", "receivables": 1_500_000},
    "on_time": {"as_of": "2002-11-20", "events": ON_TIME, "acceptances": 20_000, "guaranties": 5_000},
    "floor": {"receivables": 100_000, "letters_of_credit": 200_000, "rules": {"capacity_floor": "floor_zero"}},
    "unreconciled": {"certificate": {"sales": 1_300_000, "ineligibles": {"other": 25_000},
                                     "advances_made": 650_000}},
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_line_is_the_arithmetic_its_label_states(tmp_path, scenario):
    """Each line recomputed from the lines above it, as its label says."""
    c = certificate(tmp_path, SCENARIOS[scenario], name=scenario)
    approx = pytest.approx
    assert c["A6"] == approx(c["A1"] + c["A2"] - c["A3"] - c["A4"] + c["A5"])
    assert c["A8"] == approx(c["A6"] - c["A7"])
    categories = [v[0] for k, v in c.items() if isinstance(k, str) and k.startswith("less: ")
                  and k not in ("less: bankers' acceptances", "less: letters of guaranty", "less: letters of credit",
                                "less: reserves")]
    assert len(categories) == 9
    assert c["B2"] == approx(sum(categories))
    assert c["B3"] == approx(c["A7"] - c["B2"])
    assert c["B5"] == approx(c["B3"] - c["B4"])
    assert c["C1a"] == c["B4"]
    assert c["C1"] == approx(c["C1a"] * c["C1b"])
    assert c["C2"] == approx(c["C1"])
    assert c["C3"] == approx(min(c["C2"], c["C2a"]))
    net = c["C3"] - sum(c[f"less: {x}"][0] for x in ("bankers' acceptances", "letters of guaranty",
                                                       "letters of credit", "reserves"))
    floor = (SCENARIOS[scenario] or {}).get("rules", {}).get("capacity_floor") == "floor_zero"
    assert c["C4"] == approx(max(0, net) if floor else net)
    assert c["D4"] == approx(c["D1"] + c["D2"] - c["D3"])
    assert c["D6"] == approx(c["D4"] - c["D5"])
    assert c["E1"] == approx(c["C4"] - c["D5"])
    assert c["E3"] == approx(max(0, c["availability"] - max(0, c["E1"])))


@pytest.mark.parametrize("as_of, events, amended_through", [
    (dt.date(2002, 12, 31), None, None),
    (dt.date(2002, 11, 20), ON_TIME, None),
    (dt.date(2002, 11, 13), None, None),
    (dt.date(2002, 12, 5), None, None),
    (dt.date(2002, 11, 20), None, dt.date(2002, 11, 11)),
])
def test_the_step_and_clause_are_the_engines(tmp_path, as_of, events, amended_through):
    overrides = {"as_of": as_of}
    if events:
        overrides["events"] = events
    if amended_through:
        overrides["amended_through"] = amended_through
    c = certificate(tmp_path, overrides)
    view = amended_through or as_of  # a build counts the documents signed by its as-of date
    engine = explained(as_of, events, view)["Maximum Limit"]
    assert c["C2a. Maximum Limit in force"] == (engine["value"], engine["citation"])
    document, step = c["set on"][1].split(", ")
    assert document == engine["document"]
    words = {"a cap": "cap step", "a step up": "level step", "the level the document set": "version"}
    assert engine["step"].startswith(words[step])
    rate = explained(as_of, events, view)["Advance rate"]
    assert c["C1b. Advance rate"] == (pytest.approx(rate["value"]), rate["citation"])


def test_the_deadlines_due_in_the_period_in_date_order(tmp_path):
    path = H.build_file(tmp_path / "d.xlsx", {"as_of": "2002-11-22", "certificate": {"period_start": "2002-11-01"}})
    ws = openpyxl.load_workbook(path, data_only=True)["Certificate"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_col=1, max_col=3)]
    first = next(i for i, r in enumerate(rows) if r[0] == "F. Deadlines due in the period")
    listed = [(r[1].date(), r[2]) for r in rows[first + 1:first + 7] if r[0]]
    # No. 11 (signed 11-12): the reserves cancelled on execution (date only, not tracked), (i) by 11-15
    # and (ii)(a) by 11-22, nothing delivered: the Maximum Limit's cap applies on 11-22, and the
    # deadline reads missed on that same day
    assert listed == [(dt.date(2002, 11, 12), "date passed (not tracked)"),
                      (dt.date(2002, 11, 15), "not delivered by 2002-11-15"),
                      (dt.date(2002, 11, 22), "not delivered by 2002-11-22")]


def test_live_flavor_headline_figures_call_the_functions(tmp_path):
    path = H.build_file(tmp_path / "live.xlsx", None, "live")
    ws = openpyxl.load_workbook(path)["Certificate"]
    formulas = {row[0].value.strip(): row[1].value for row in ws.iter_rows(min_col=1, max_col=2)
                if isinstance(row[0].value, str)}
    assert formulas["C2a. Maximum Limit in force"].startswith("=LSA_MAX_LIMIT(AsOf,")
    assert formulas["E2. Overadvance limit"].startswith("=LSA_OVERADVANCE_LIMIT(AsOf,")
    portable = openpyxl.load_workbook(H.build_file(tmp_path / "p.xlsx"))["Certificate"]
    assert "LSA_" not in " ".join(str(c.value) for row in portable.iter_rows() for c in row if c.value)


def test_a_deal_with_many_documents_builds_and_the_page_ends_above_its_working(tmp_path):
    """The working tables once began at a fixed row 70, and a deal with more documents than the page
    had room for stopped the build ("the certificate runs into its working tables"): 80 side letters
    whose terms we have (none of which sets a term) no longer lengthen the page."""
    from pathlib import Path

    from udfs.loading import parse_deal

    text = (Path(__file__).parents[1] / "data" / "made_up_deal.toml").read_text()
    extra = "".join(f'[[documents]]\nid = "side-{k}"\nshort = "S{k}"\ntitle = "Side letter {k}"\n'
                    f"date = {dt.date(2021, 3, 2) + dt.timedelta(days=k)}\n"
                    f'citation = "side letter {k}"\n' for k in range(80))
    head, sep, tail = text.partition("[term_labels]")
    deal = parse_deal((head + extra + sep + tail).encode(), "made-up deal with 80 side letters")
    path = H.build_file(tmp_path / "many.xlsx", {"as_of": "2021-12-31"}, deal=deal)
    wb = openpyxl.load_workbook(path)
    ws = wb["Certificate"]
    last_printed = int(ws.print_area.split("$")[-1])
    working = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("The working"))
    assert last_printed < working
