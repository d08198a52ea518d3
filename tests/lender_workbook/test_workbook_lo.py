"""The portable workbook, recalculated by LibreOffice and by Gnumeric: every formula must give the
value the engine stored, with no error cell, for the default inputs and for inputs typed into the file.

Each scenario is built twice: once directly with its inputs (values stored by the engine), and
once as the default file with its input cells changed (as a lender would). LibreOffice
recalculates the changed files (one run for all of them), and so does Gnumeric (`ssconvert --recalc`,
a file at a time); every formula cell must then equal the directly built file's stored value.
Expected figures in the hand-worked tests come from the documents (Amendments No. 10 and No. 11,
the severance letter), not from the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import workbook_helpers as H  # noqa: N812
from scenarios import BASE, LAPSE, ON_TIME, SEVERANCE

from udfs.catalogue.functions import (
    LSA_AVAILABILITY,
    LSA_CAPACITY,
    LSA_MARGIN,
    LSA_MAX_LIMIT,
    LSA_OVERADVANCE_LIMIT,
    Catalogue,
)
from udfs.engine.terms import Terms
from udfs.loading import load_deal, parse_deal

pytestmark = H.RECALCULATING
PROGRAMS = H.PROGRAMS

D = dt.date
SCENARIOS = {"on_time": ON_TIME, "base": BASE, "severance": SEVERANCE, "lapse": LAPSE}
# the made-up deal of the engine's tests: other terms, a lapsing step, a retroactive margin
# as of the Initial Term's end: a file counts the documents signed by its as-of date (issue 16)
MADE_UP_INPUTS = {"events": {"audit_report": "2021-07-05", "equity_raise": "2021-07-20"}, "receivables": 9000000,
                  "letters_of_credit": 250000, "as_of": "2021-12-31"}


def made_up():
    return load_deal(Path(__file__).parents[1] / "data" / "made_up_deal.toml")


# A later document for the made-up deal (data only): Amendment C, signed 2021-11-15, extends the
# Initial Term from 2021-12-31 to 2022-02-28 from its own date.
EXTENSION = """
[[documents]]
id = "amend-c"
short = "C"
title = "Amendment C"
date = 2021-11-15
citation = "Amendment C"

[[terms.initial_term_end]]
document = "amend-c"
from = 2021-11-15
value = 2022-02-28
citation = "Amendment C, 1"
"""


def extended():
    text = (Path(__file__).parents[1] / "data" / "made_up_deal.toml").read_text()
    head, sep, tail = text.partition("[[terms.max_limit]]")
    return parse_deal((head + EXTENSION + sep + tail).encode(), "made-up deal with Amendment C")


EXTENDED_BEFORE_C = {"amended_through": "2021-11-01", "as_of": "2021-10-01"}

# The made-up Amendment No. 12 (tests/data/amendment-12.md) added to the embedded deal as data only.
A12_DEAL = Path(__file__).parents[1] / "data" / "deal_with_amendment_12.toml"
A12_DEFAULT = {"as_of": "2003-01-20"}
A12_SCENARIOS = {
    # the Refinancing Commitment Letter late (01-20): from delivery by default; the lapsing reading; the Escrow
    # Confirmation in time; deductions read the other way; a letter of credit
    "late_letter_lapses": {"as_of": "2003-03-05", "events": {"refinancing_commitment_letter": "2003-01-20",
                                                             "escrow_confirmation": "2003-02-25"},
                           "rules": {"refinancing_step_late_delivery": "step_lapses",
                                     "deductions_and_max_limit": "max_limit_caps_advances_only"},
                           "letters_of_credit": 300000},
    # the terms as known the day before No. 12 was signed: the old term end, No. 11's grid
    "before_no_12": {"as_of": "2002-12-18", "amended_through": "2002-12-19",
                     "events": {"refinancing_commitment_letter": "2003-01-10"}},
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("lo")
    default = H.build_file(root / "default.xlsx")
    direct, edited = {}, {}
    for name, overrides in SCENARIOS.items():
        direct[name] = H.build_file(root / f"direct_{name}.xlsx", overrides)
        edited[name] = root / f"edited_{name}.xlsx"
        H.set_inputs(default, edited[name], H.changes_for(overrides))
    acme = H.build_file(root / "acme.xlsx", MADE_UP_INPUTS, deal=made_up())
    ext = H.build_file(root / "ext.xlsx", MADE_UP_INPUTS, deal=extended())
    ext_direct = H.build_file(root / "ext_before_c.xlsx", {**MADE_UP_INPUTS, **EXTENDED_BEFORE_C}, deal=extended())
    ext_edited = root / "ext_edited.xlsx"
    H.set_inputs(ext, ext_edited, H.changes_for(EXTENDED_BEFORE_C, deal=extended()))
    a12 = H.build_file(root / "a12.xlsx", A12_DEFAULT, deal=load_deal(A12_DEAL))
    a12_direct, a12_edited = {}, {}
    for name, overrides in A12_SCENARIOS.items():
        a12_direct[name] = H.build_file(root / f"a12_direct_{name}.xlsx", overrides, deal=load_deal(A12_DEAL))
        a12_edited[name] = root / f"a12_edited_{name}.xlsx"
        H.set_inputs(a12, a12_edited[name], H.changes_for(overrides, deal=load_deal(A12_DEAL)))
    every = [default, *edited.values(), acme, ext, ext_edited, a12, *a12_edited.values()]
    recalc = {"libreoffice": H.recalculate(every, root / "recalc"),
              "gnumeric": H.recalculate_gnumeric(every, root / "gnumeric")}
    return {"default": default, "direct": direct, "edited": edited, "recalc": recalc["libreoffice"],
            "programs": recalc, "formulas": H.formula_cells(default), "acme": acme, "ext": ext,
            "ext_direct": ext_direct, "ext_edited": ext_edited, "a12": a12, "a12_direct": a12_direct,
            "a12_edited": a12_edited}


@pytest.mark.parametrize("program", PROGRAMS)
def test_default_recalculates_to_the_stored_values(files, program):
    got = H.values(files["programs"][program][files["default"]])
    want = H.values(files["default"])
    assert len(files["formulas"]) > 3000
    assert H.errors(files["formulas"], got) == []
    assert H.mismatches(files["formulas"], got, want) == []


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_inputs_changed_in_the_file_recalculate_like_a_direct_build(files, scenario, program):
    got = H.values(files["programs"][program][files["edited"][scenario]])
    want = H.values(files["direct"][scenario])
    assert H.errors(files["formulas"], got) == []
    assert H.mismatches(files["formulas"], got, want) == []




@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("scenario", ["default", *SCENARIOS])
def test_recalculated_schedule_equals_the_engine_every_day(files, scenario, program):
    overrides = SCENARIOS.get(scenario, {})
    path = files["programs"][program][files["default"] if scenario == "default" else files["edited"][scenario]]
    inputs = H.make_inputs(overrides)
    ev, at, rules = inputs.delivered() or None, inputs.view_through, inputs.rules
    rows = H.schedule(path)
    assert min(rows) == D(2002, 10, 1) and max(rows) == D(2002, 12, 31) and len(rows) == 92
    for day, row in rows.items():
        assert row["BC_MaxLimit"] == LSA_MAX_LIMIT(day, ev, at, rules), day
        assert row["BC_Capacity"] == pytest.approx(LSA_CAPACITY(
            day, inputs.receivables, inputs.acceptances, inputs.guaranties, inputs.letters_of_credit, ev, at, rules))
        assert row["BC_Overadvance"] == LSA_OVERADVANCE_LIMIT(day, inputs.term_loan_reserve, at), day
        assert row["BC_Availability"] == pytest.approx(LSA_AVAILABILITY(
            day, inputs.receivables, inputs.outstanding, inputs.acceptances, inputs.guaranties,
            inputs.letters_of_credit, inputs.term_loan_reserve, ev, at, rules)), day


# ---------------------------------------------------------------------------------------------
# Hand-worked figures, read from the LibreOffice-recalculated files
# ---------------------------------------------------------------------------------------------

def test_default_maximum_limit_and_capacity_by_hand(files):
    rows = H.schedule(files["recalc"][files["default"]])
    # No. 10 B.1: $1,750,000 until No. 11 replaces Item 1 on 2002-11-12 ($2,000,000, No. 11 B.1(A)).
    assert rows[D(2002, 11, 11)]["BC_MaxLimit"] == 1750000
    assert rows[D(2002, 11, 12)]["BC_MaxLimit"] == 2000000
    # Nothing delivered: no increase on 11-15; (ii)(a) cuts to $1,750,000 on 11-22.
    assert rows[D(2002, 11, 15)]["BC_MaxLimit"] == 2000000
    assert rows[D(2002, 11, 21)]["BC_MaxLimit"] == 2000000
    assert rows[D(2002, 11, 22)]["BC_MaxLimit"] == 1750000
    assert rows[D(2002, 12, 31)]["BC_MaxLimit"] == 1750000
    # capacity = min(limit, 85% x 2,500,000 = 2,125,000) - 100,000 letters of credit
    assert rows[D(2002, 10, 1)]["BC_Capacity"] == 1650000
    assert rows[D(2002, 11, 12)]["BC_Capacity"] == 1900000
    # availability = min(limit, 2,125,000 + overadvance cap) - 100,000 - 1,500,000 outstanding
    assert rows[D(2002, 10, 14)]["BC_Availability"] == 150000  # 1.75M binds
    assert rows[D(2002, 10, 14)]["BC_Overadvance"] == 400000  # No. 10 B.1: 10-14 to 10-20
    assert rows[D(2002, 10, 28)]["BC_Overadvance"] == 0
    assert rows[D(2002, 11, 1)]["BC_Document"] == "Amendment No. 10"
    assert rows[D(2002, 11, 12)]["BC_Document"] == "Amendment No. 11"


def test_on_time_deliveries_by_hand(files):
    rows = H.schedule(files["recalc"][files["edited"]["on_time"]])
    assert rows[D(2002, 11, 14)]["BC_MaxLimit"] == 2000000
    assert rows[D(2002, 11, 15)]["BC_MaxLimit"] == 2300000  # (i): both items by 11-15
    assert rows[D(2002, 11, 22)]["BC_MaxLimit"] == 2300000  # (ii)(a) excused: delivered by 11-22
    assert rows[D(2002, 12, 1)]["BC_MaxLimit"] == 2300000
    assert rows[D(2002, 12, 2)]["BC_MaxLimit"] == 2000000  # (ii)(b)
    assert rows[D(2002, 12, 9)]["BC_MaxLimit"] == 1750000  # (ii)(c)
    # 85% x 2,500,000 = 2,125,000 binds under 2,300,000; less 100,000 letters of credit
    assert rows[D(2002, 11, 20)]["BC_Capacity"] == 2025000


def test_late_deliveries_both_readings_by_hand(files):
    on_delivery = H.schedule(files["recalc"][files["edited"]["severance"]])  # default reading: on delivery
    lapse = H.schedule(files["recalc"][files["edited"]["lapse"]])
    # the second item arrives 11-19: the limit rises that day, then (ii)(a) caps it at 1.75M on 11-22
    assert on_delivery[D(2002, 11, 18)]["BC_MaxLimit"] == 2000000
    assert on_delivery[D(2002, 11, 19)]["BC_MaxLimit"] == 2300000
    assert on_delivery[D(2002, 11, 22)]["BC_MaxLimit"] == 1750000
    assert lapse[D(2002, 11, 19)]["BC_MaxLimit"] == 2000000
    # floor_zero: letters of credit of 2,000,000 exceed min(limit, 2,125,000): capacity 0, not negative
    assert on_delivery[D(2002, 10, 1)]["BC_Capacity"] == 0
    # exclude_overadvance: availability = capacity - outstanding = 0 - 1,500,000
    assert on_delivery[D(2002, 10, 1)]["BC_Availability"] == -1500000


def test_view_before_amendment_11_by_hand(files):
    rows = H.schedule(files["recalc"][files["edited"]["base"]])
    # amended through 2002-11-11: No. 10 governs every day; its overadvance caps bounded by the reserve
    assert {r["BC_MaxLimit"] for r in rows.values()} == {1750000}
    assert rows[D(2002, 10, 14)]["BC_Overadvance"] == 350000  # 400,000 cap, reserve 350,000
    assert rows[D(2002, 10, 1)]["BC_Overadvance"] == 300000
    # capacity = min(1,750,000, 85% x 1,500,000 = 1,275,000) - (50,000 + 20,000 + 30,000)
    assert rows[D(2002, 12, 20)]["BC_Capacity"] == 1175000
    assert rows[D(2002, 12, 20)]["BC_Document"] == "Amendment No. 10"
    # margins as known then: No. 10's grid on 11-07 (advances prime + 3.5%)
    assert LSA_MARGIN(D(2002, 11, 7), "advances", D(2002, 11, 11)) == pytest.approx(0.035)


def test_retroactive_true_up_by_hand(files):
    path = files["recalc"][files["default"]]
    # No. 11 B.2 from 2002-11-07, signed 11-12: five days at the new margin.
    # advances 1,500,000 x (6.0% - 3.5%) x 5 / 360; term loan 3,000,000 x (6.0% - 4.0%) x 5 / 360
    assert H.named(path, "TrueUp1_advances")[0] == pytest.approx(1500000 * 0.025 * 5 / 360)
    assert H.named(path, "TrueUp1_term_loan")[0] == pytest.approx(3000000 * 0.02 * 5 / 360)
    # before No. 11 was signed nothing was known of it: no true-up in that view
    assert H.named(files["recalc"][files["edited"]["base"]], "TrueUp1_advances")[0] == 0


def _deadlines(path) -> dict:
    """(date, start of the requirement) -> Status, as recalculated."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    cols = [H.named(path, n, wb) for n in ("DL_Date", "DL_Requirement", "DL_Status")]
    return {(H.as_date(d).isoformat(), r[:25]): st for d, r, st in zip(*cols, strict=True)}


@pytest.mark.parametrize("program", PROGRAMS)
def test_deadline_status_follows_the_inputs_by_hand(files, program):
    done = files["programs"][program]
    increase, commitment = ("2002-11-15", "Keltic due-diligence evid"), ("2002-11-22", "Keltic commitment letter ")
    # as of 2002-12-31, nothing delivered: No. 11 B.1(A)(i) and (ii)(a) not delivered by their dates; the
    # caps' dates passed (nothing to record); No. 11 (signed 11-12) replaced 10.21 (no delivery named) and
    # deleted 10.19, whose 10-31 date had passed with no Purchase Offer; the Initial Term's last day is open
    default = _deadlines(done[files["default"]])
    assert default[increase] == "not delivered by 2002-11-15"
    assert default[commitment] == "not delivered by 2002-11-22"
    assert default[("2002-12-09", "Maximum Limit $1,750,000 ")] == "date passed (not tracked)"
    assert default[("2002-10-25", "Texas property: executed ")] == "replaced by Amendment No. 11"
    assert default[("2002-10-31", "Purchase Offer for substa")] == ("not delivered by 2002-10-31; then deleted by "
                                                                      "Amendment No. 11")
    assert default[("2002-12-31", "Initial Term ends; no ren")] == "open"
    # on time: (i) both by 11-14 and 11-15; (ii)(a) the last item 11-21
    on_time = _deadlines(done[files["edited"]["on_time"]])
    assert on_time[increase] == "met on 2002-11-15"
    assert on_time[commitment] == "met on 2002-11-21"
    # late: (i)'s second item 11-19; nothing for (ii)(a)
    late = _deadlines(done[files["edited"]["severance"]])
    assert late[increase] == "met late on 2002-11-19"
    assert late[commitment] == "not delivered by 2002-11-22"
    # as of 2002-10-15, amended through 2002-11-11: No. 10's requirements open, No. 11's not counted
    base = _deadlines(done[files["edited"]["base"]])
    assert base[("2002-10-25", "Texas property: executed ")] == "open"
    assert base[("2002-10-31", "Purchase Offer for substa")] == "open"
    assert base[increase] == "not counted"


def _fees(path):
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    cols = [H.named(path, n, wb) for n in ("Fee_Scheduled", "Fee_Due", "Fee_Amount", "Fee_Status")]
    return [(H.as_date(s), H.as_date(d), a, st) for s, d, a, st in zip(*cols, strict=True)]


def test_fees_by_hand(files):
    default = _fees(files["recalc"][files["default"]])
    # No. 11 A.3: Additional Fee waived (both installments, default reading); unpaid Base Fee
    # (scheduled after 2002-11-12) and the $25,000 fee due 2002-12-31.
    assert sum(a for _, _, a, st in default if st == "due") == 125000
    assert sum(a for _, _, a, st in default if st == "waived") == 50000
    assert {(s, d) for s, d, _, st in default if st == "due"} == {
        (D(2002, 10, 1), D(2002, 10, 1)), (D(2002, 11, 15), D(2002, 12, 31)), (D(2002, 12, 16), D(2002, 12, 31)),
        (D(2002, 12, 31), D(2002, 12, 31))}
    on_time = _fees(files["recalc"][files["edited"]["on_time"]])
    # full payment 2002-12-20: the unpaid Base Fee and the amendment fee fall due that day (No. 11 A.3)
    assert {d for s, d, _, st in on_time if st == "due" and s > D(2002, 11, 12)} == {D(2002, 12, 20)}
    assert sum(a for _, _, a, st in on_time if st == "due") == 125000
    sev = _fees(files["recalc"][files["edited"]["severance"]])
    # unpaid_only: the 10-31 Additional Fee installment stays due; financing commitment on 11-25 waives
    # the 11-27 one (No. 10 A.3). waived_after: full payment 12-10 waives Base Fee installments scheduled
    # after it (12-16, 12-31); the 11-15 one falls due on 12-10.
    status = {(s, a): (d, st) for s, d, a, st in sev}
    assert status[(D(2002, 10, 31), 25000)] == (D(2002, 10, 31), "due")
    assert status[(D(2002, 11, 27), 25000)][1] == "waived"
    assert status[(D(2002, 12, 16), 30000)][1] == "waived"
    assert status[(D(2002, 12, 31), 40000)][1] == "waived"
    assert status[(D(2002, 11, 15), 15000)] == (D(2002, 12, 10), "due")
    assert status[(D(2002, 12, 31), 25000)] == (D(2002, 12, 10), "due")


def test_severance_by_hand(files):
    default = files["recalc"][files["default"]]
    # first_six: six month-ends from 2002-09-30, each 180,000 / 12 = 15,000
    dues = [H.as_date(v) for v in H.named(default, "Sev_Due")]
    assert dues[:6] == [D(2002, 9, 30), D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31), D(2003, 1, 31),
                        D(2003, 2, 28)]
    assert H.named(default, "Sev_Net")[:6] == [15000] * 6
    edited = files["recalc"][files["edited"]["severance"]]
    # last_six from 2002-10-31, 200,000 / 12 each; 23,000 received 11-15 then 5,000 on 12-20, latest first:
    # 03-31 takes 16,666.67, 02-28 takes 6,333.33 then 5,000 more.
    month = 200000 / 12
    dues = [H.as_date(v) for v in H.named(edited, "Sev_Due")]
    assert dues[:6] == [D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31), D(2003, 1, 31), D(2003, 2, 28),
                        D(2003, 3, 31)]
    nets = H.named(edited, "Sev_Net")
    assert nets[:6] == pytest.approx([month] * 4 + [month - (23000 - month) - 5000, 0])
    # late interest, after the grace: 16,000 x 18% x (12-30 - 12-10 = 20 days) / 365
    assert H.named(edited, "SevLateInterest")[0] == pytest.approx(16000 * 0.18 * 20 / 365)
    # outplacement capped at 10,000; lease transfer refused: the greater of that and the 14,000 lease
    assert H.named(edited, "SevElection")[0] == 14000


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_made_up_deal_recalculates_to_the_engine(files, program):
    """Same code, another deal: a step that lapses when delivered late, a cap excused by a delivery."""
    path, recalc = files["acme"], files["programs"][program][files["acme"]]
    H.recalculated_as_stored(path, recalc)
    cat = Catalogue(Terms(made_up()))
    events = {"audit_report": D(2021, 7, 5), "equity_raise": D(2021, 7, 20)}
    rows = H.schedule(recalc)
    for day, row in rows.items():
        assert row["BC_MaxLimit"] == cat.LSA_MAX_LIMIT(day, events), day
    # by hand from the made-up file: Amendment B from 2021-06-15 at 6,000,000; the audit report came
    # after 07-01 and that step lapses; the equity raise by 07-25 excuses the 08-01 cap of 4,000,000;
    # 5,500,000 from 09-01 in any event.
    assert rows[D(2021, 6, 14)]["BC_MaxLimit"] == 5000000
    assert rows[D(2021, 7, 5)]["BC_MaxLimit"] == 6000000
    assert rows[D(2021, 8, 1)]["BC_MaxLimit"] == 6000000
    assert rows[D(2021, 9, 1)]["BC_MaxLimit"] == 5500000


# ---------------------------------------------------------------------------------------------
# A term extension: every view builds, days past a view's term are empty and say so
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("which", ["ext", "ext_edited"])
def test_a_term_extension_recalculates_to_the_engine(files, which, program):
    """All documents counted, and the view before Amendment C typed into the file (amended through
    2021-11-01) against the file built directly for it."""
    want_path = files["ext"] if which == "ext" else files["ext_direct"]
    H.recalculated_as_stored(want_path, files["programs"][program][files[which]])


def test_a_term_extension_by_hand(files):
    every = files["recalc"][files["ext"]]
    before_c = files["recalc"][files["ext_edited"]]
    # the schedules run to the longest window: Amendment C's 2022-02-28 (2021-03-01 .. 2022-02-28: 365 days)
    dates = [H.as_date(v) for v in H.named(every, "BC_Date")]
    assert dates[0] == D(2021, 3, 1) and dates[-1] == D(2022, 2, 28) and len(dates) == 365
    assert H.as_date(H.named(every, "TermEnd")[0]) == D(2022, 2, 28)
    assert H.as_date(H.named(before_c, "TermEnd")[0]) == D(2021, 12, 31)  # before C: the old end
    rows = H.schedule(every)
    # the equity raise (07-20) excuses the 4,000,000 cap; the 5,500,000 cap of 09-01 holds on into the extension
    assert rows[D(2022, 2, 28)]["BC_MaxLimit"] == 5500000
    # capacity = min(5,500,000, 80% x 9,000,000 = 7,200,000) - 250,000 letters of credit
    assert rows[D(2022, 2, 28)]["BC_Capacity"] == 5250000
    old = H.schedule(before_c)
    assert old[D(2021, 12, 31)]["BC_MaxLimit"] == 5500000
    assert old[D(2022, 1, 1)]["BC_MaxLimit"] in ("", None)  # after the term as known before C: empty
    assert old[D(2022, 1, 1)]["BC_Capacity"] in ("", None)
    status = H.Table(before_c, "Borrowing Capacity", _header_row(before_c)).column(
        "After the term? (then the row is empty)")
    assert status[dates.index(D(2022, 1, 1))] == "after the term"
    assert status[dates.index(D(2021, 12, 31))] in ("", None)
    # Pricing: Amendment B's margin reaches back to 2021-06-01; as known before B, the term ends 2021-12-31
    table = H.Table(every, "Pricing", _header_row(every, "Pricing"))
    before_b = table.column("Margin, Revolver, before B")
    assert before_b[dates.index(D(2021, 12, 31))] == pytest.approx(0.02)
    assert before_b[dates.index(D(2022, 1, 1))] in ("", None)
    assert table.column("Margin, Revolver")[dates.index(D(2022, 1, 1))] == pytest.approx(0.03)
    status = table.column("After the term in a view? (then that view's cells are empty)")
    assert status[dates.index(D(2022, 1, 1))] == "after the term before B"
    assert status[dates.index(D(2021, 12, 31))] in ("", None)


def _header_row(path, sheet="Borrowing Capacity"):
    import openpyxl

    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    for row in ws.iter_rows(min_col=1, max_col=2):
        if "Date" in (row[0].value, row[1].value):
            return row[0].row
    raise AssertionError(f"no schedule header on {sheet}")


# ---------------------------------------------------------------------------------------------
# The made-up Amendment No. 12 (data only): the workbook recalculates to the engine in both programs
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("scenario", ["default", *A12_SCENARIOS])
def test_amendment_12_recalculates_to_the_engine(files, scenario, program):
    want = files["a12"] if scenario == "default" else files["a12_direct"][scenario]
    got_path = files["a12"] if scenario == "default" else files["a12_edited"][scenario]
    H.recalculated_as_stored(want, files["programs"][program][got_path])
    # every day of the schedule against the engine's own answers for that view
    inputs = H.make_inputs({**A12_DEFAULT, **A12_SCENARIOS.get(scenario, {})}, deal=load_deal(A12_DEAL))
    cat = Catalogue(Terms(load_deal(A12_DEAL)))
    ev, at, rules = inputs.delivered() or None, inputs.view_through, inputs.rules
    end = cat.view(amended_through=at).end
    for day, row in H.schedule(files["programs"][program][got_path]).items():
        if day > end:
            assert row["BC_MaxLimit"] in ("", None), day  # after the term as known in this view: empty
            continue
        assert row["BC_MaxLimit"] == cat.LSA_MAX_LIMIT(day, ev, at, rules), day
        assert row["BC_Availability"] == pytest.approx(cat.LSA_AVAILABILITY(
            day, inputs.receivables, inputs.outstanding, inputs.acceptances, inputs.guaranties,
            inputs.letters_of_credit, inputs.term_loan_reserve, ev, at, rules)), day


def test_amendment_12_by_hand(files):
    """Figures worked from tests/data/amendment-12.md and Amendment No. 11, read off the recalculated files."""
    rows = H.schedule(files["recalc"][files["a12"]])
    # the schedule runs 2002-10-01 .. 2003-03-31 (No. 12's end): 182 days
    assert min(rows) == D(2002, 10, 1) and max(rows) == D(2003, 3, 31) and len(rows) == 182
    assert rows[D(2002, 12, 19)]["BC_MaxLimit"] == 1750000  # No. 11 (ii)(c)
    assert rows[D(2002, 12, 20)]["BC_MaxLimit"] == 1500000  # No. 12 2.2(a)
    assert rows[D(2003, 1, 15)]["BC_MaxLimit"] == 1500000  # 2.2(b): no letter delivered
    assert rows[D(2003, 3, 1)]["BC_MaxLimit"] == 1250000  # 2.2(c): no Escrow Confirmation by 02-28
    # default inputs: receivables 2,500,000, letters of credit 100,000 (template defaults)
    # 2003-01-20: min(1,500,000, 80% x 2,500,000 = 2,000,000) - 100,000 = 1,400,000
    assert rows[D(2003, 1, 20)]["BC_Capacity"] == 1400000
    # 2002-12-19: min(1,750,000, 85% x 2,500,000 = 2,125,000) - 100,000 = 1,650,000
    assert rows[D(2002, 12, 19)]["BC_Capacity"] == 1650000
    late = H.schedule(files["recalc"][files["a12_edited"]["late_letter_lapses"]])
    assert late[D(2003, 1, 25)]["BC_MaxLimit"] == 1500000  # the late letter's step lapses under step_lapses
    assert late[D(2003, 3, 1)]["BC_MaxLimit"] == 1500000  # the Escrow Confirmation (02-25) lifts the 1.25M cap
    before = H.schedule(files["recalc"][files["a12_edited"]["before_no_12"]])
    assert before[D(2002, 12, 20)]["BC_MaxLimit"] == 1750000  # No. 11 still, in the view before No. 12
    assert before[D(2003, 1, 1)]["BC_MaxLimit"] in ("", None)  # after the term as known then (2002-12-31)
