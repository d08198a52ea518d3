"""The engine's working for fees (each rule's state per installment) and severance (each offset's
allocation), and compensation received outside the severance letter's offset period.

Expected figures are worked by hand from Amendments No. 10 and No. 11 (A.3) and the severance
letter of 2002-06-06 (2(b): six months' salary in six month-end installments from 2002-09-30,
compensation received from the letter's date to 2003-03-31 offset against them).
"""

from __future__ import annotations

import datetime as dt

import pytest

import udfs.xlfuncs as X
from udfs.catalogue.functions import SEV_PAYMENT, SEV_SCHEDULE
from udfs.engine import fees as fees_mod
from udfs.engine.rules import resolve
from udfs.engine.terms import Terms, View
from udfs.loading import default_deal

D = dt.date
DEAL = default_deal()
ALL = {d.id for d in DEAL.documents}
NO11 = "Amendment No. 11"


def _view(events=None, rules=None, through=None):
    return View(DEAL, through, tuple(sorted((events or {}).items())), resolve(DEAL, rules))


def _working(events=None, rules=None, through=None):
    return fees_mod.fee_working(_view(events, rules, through))


def _trace(working, component, scheduled):
    hits = [t for t in working.traces if t.installment.component_label == component and t.installment.date == scheduled]
    assert len(hits) == 1
    return hits[0]


def test_rules_in_document_order_with_their_state():
    w = _working()
    assert [(r.number, r.rule.kind, r.document) for r in w.rules] == [
        (1, "waive_on_event", "Amendment No. 10"), (2, "waive_after_event", "Amendment No. 10"),
        (3, "waive", NO11), (4, "redate", NO11)]
    # nothing delivered: neither No. 10 proviso is in force; No. 11's rules are
    assert [r.active for r in w.rules] == [False, False, True, True]
    assert w.rules[3].due == D(2002, 12, 31)
    # before No. 11 was signed only No. 10's rules are in view
    before = _working(through=D(2002, 11, 11))  # Amendment No. 10 and the severance letter
    assert [r.visible for r in before.rules] == [True, True, False, False]


def test_default_states_rule_by_rule():
    w = _working()
    # No. 11 A.3 waives the Additional Fee (both installments under the default reading) by rule 3
    extra = _trace(w, "Additional Fee", D(2002, 10, 31))
    assert [s.touched for s in extra.steps] == [False, False, True, False]
    assert extra.steps[1].status == "due" and extra.steps[2].status == "waived"
    assert extra.steps[3].reason == f"waived by {NO11}" and extra.steps[3].waived_by == "amendment-11"
    # unpaid Base Fee (scheduled after 2002-11-12) moved to 2002-12-31 by rule 4
    base = _trace(w, "Base Fee", D(2002, 11, 15))
    assert [(s.touched, s.moved) for s in base.steps] == [(False, False)] * 3 + [(True, True)]
    assert (base.steps[2].due, base.steps[3].due) == (D(2002, 11, 15), D(2002, 12, 31))
    assert base.line.reason == f"moved to 2002-12-31 by {NO11}"
    # already due 2002-12-31: touched by rule 4, not moved, no reason
    last = _trace(w, "Base Fee", D(2002, 12, 31))
    assert (last.steps[3].touched, last.steps[3].moved, last.line.reason) == (True, False, "")
    # the execution installment (2002-10-01) is before No. 11: no rule touches it
    first = _trace(w, "Base Fee", D(2002, 10, 1))
    assert not any(s.touched for s in first.steps) and first.line.status == "due"


def test_full_payment_both_readings():
    events = {"full_payment": D(2002, 12, 1)}
    # waived_after: No. 10's waiver of the Base Fee scheduled after full payment survives
    w = _working(events, "base_fee_on_full_payment=waived_after")
    late = _trace(w, "Base Fee", D(2002, 12, 16))
    assert late.steps[1].reason == "scheduled after the Full Payment of the Indebtedness on 2002-12-01"
    assert late.line.status == "waived" and not late.steps[3].touched
    mid = _trace(w, "Base Fee", D(2002, 11, 15))
    assert (mid.line.status, mid.line.due) == ("due", D(2002, 12, 1))
    assert mid.line.reason == f"due on the Full Payment of the Indebtedness (2002-12-01) under {NO11}"
    # accelerated (default): No. 11 un-waives it and makes it due on full payment
    w = _working(events)
    late = _trace(w, "Base Fee", D(2002, 12, 16))
    assert late.steps[1].status == "waived"
    assert (late.steps[3].touched, late.steps[3].unwaived, late.steps[3].moved) == (True, True, True)
    assert (late.line.status, late.line.due) == ("due", D(2002, 12, 1))
    assert late.line.reason == (f"earlier waiver superseded by {NO11}; "
                                f"due on the Full Payment of the Indebtedness (2002-12-01) under {NO11}")


def test_fee_lines_are_the_working_final_state():
    for events in ({}, {"full_payment": D(2002, 12, 1)}, {"purchase_offer": D(2002, 10, 20)}):
        w = _working(events)
        assert fees_mod.fee_lines(_view(events)) == sorted(
            (t.line for t in w.traces if t.in_view), key=lambda ln: (ln.due, ln.scheduled, ln.key))


# -- severance: 120,000 a year, six months = 60,000, 10,000 an installment -------------------------

SAL = 120_000


def _rows(table):
    return [r for r in table[1:] if r[0] != "unapplied"], [r for r in table[1:] if r[0] == "unapplied"]


def test_compensation_outside_the_period_offsets_nothing_and_says_why():
    table = SEV_SCHEDULE(SAL, {"2002-05-01": 1_000, "2003-04-01": 2_000, "2002-11-10": 15_000})
    rows, unapplied = _rows(table)
    # 15,000 received 11-10 takes 11-30 (10,000) and 5,000 of 12-31; the rest reduce nothing
    assert [r[4] for r in rows] == [10_000, 10_000, 0, 5_000, 10_000, 10_000]
    assert [(r[3], r[6].split(" (")[0]) for r in unapplied] == [
        (1_000, "received 2002-05-01: before the offset period"),
        (2_000, "received 2003-04-01: after the offset period")]


def test_the_period_includes_its_first_and_last_day():
    # received on the letter's date: reduces the first installment (2002-09-30)
    rows, unapplied = _rows(SEV_SCHEDULE(SAL, {"2002-06-06": 4_000}))
    assert rows[0][4] == 6_000 and unapplied == []
    # received 2003-03-31: last_six pays that day and is reduced; first_six has nothing left to reduce
    rows, unapplied = _rows(SEV_SCHEDULE(SAL, {"2003-03-31": 2_500}, "last_six"))
    assert rows[-1][4] == 7_500 and unapplied == []
    rows, unapplied = _rows(SEV_SCHEDULE(SAL, {"2003-03-31": 2_500}))
    assert sum(r[4] for r in rows) == 60_000
    assert unapplied[0][3] == 2_500 and "no installment due on or after it" in unapplied[0][6]


def test_payment_and_excel_range_with_an_outside_row_are_not_errors():
    offsets = {"2002-05-01": 1_000, "2002-11-10": 15_000}
    assert SEV_PAYMENT("2002-11-30", SAL, offsets) == 0
    assert SEV_PAYMENT("2002-12-31", SAL, offsets) == 5_000
    table = X.SEV_SCHEDULE(SAL, [[D(2002, 5, 1), 1_000], [D(2002, 11, 10), 15_000], [None, None]])
    assert isinstance(table, list) and table[0][0] == "installment"
    assert [row[4] for row in table[1:7]] == [10_000, 10_000, 0, 5_000, 10_000, 10_000]


def test_allocation_working_and_plan_in_force():
    result = Terms(DEAL).severance_schedule(SAL, ((D(2002, 11, 10), 15_000.0), (D(2003, 4, 1), 2_000.0)),
                                            resolve(DEAL, "latest_first"))
    first, outside = result.allocations
    # latest first: 2003-02-28 then 2003-01-31 (5,000)
    assert first.taken == (0, 0, 0, 0, 5_000, 10_000) and first.unapplied == 0 and first.why == ""
    assert outside.taken == (0,) * 6 and outside.unapplied == 2_000 and outside.why == "after_period"
    assert result.in_force.name == "first_six" and result.in_force.parts == 6
    assert "2002-09-30 to 2003-02-28" in result.in_force.words
    assert Terms(DEAL).severance_schedule(SAL, (), resolve(DEAL, "seven_parts")).in_force.parts == 7


@pytest.mark.parametrize("rule", [None, "last_six", "seven_parts,latest_first"])
def test_allocations_add_up_to_the_installments(rule):
    offsets = ((D(2002, 6, 1), 500.0), (D(2002, 10, 15), 12_000.0), (D(2003, 3, 1), 30_000.0))
    result = Terms(DEAL).severance_schedule(SAL, offsets, resolve(DEAL, rule))
    for n, inst in enumerate(result.installments):
        assert inst.offset == pytest.approx(sum(a.taken[n] for a in result.allocations))
    assert result.unapplied_offset == pytest.approx(sum(a.unapplied for a in result.allocations))
