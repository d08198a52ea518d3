"""The fees of No. 10 A.3 (Base and Additional Fee, waivers) and No. 11 A.3 (amendment fee, acceleration on
full payment), worked by hand (see tests/worked.py for the clauses)."""


import pytest
from worked import (
    NO10,
    D,
    cell_date,
    money,
)

from udfs.catalogue.functions import (
    LSA_FEE_SCHEDULE,
    LSA_FEES_DUE,
)

# ---------------------------------------------------------------------------
# Fees
# ---------------------------------------------------------------------------
FEE_HEADER = ["fee", "component", "scheduled_date", "due_date", "amount", "status", "reason",
              "citation"]


def _fee_rows(**kw):
    table = LSA_FEE_SCHEDULE(**kw)
    header = [str(h).strip().lower() for h in table[0]]
    assert header == FEE_HEADER
    rows = [dict(zip(header, r)) for r in table[1:]]
    for r in rows:
        text = f"{r['fee']} {r['component']}".lower()
        if "base" in text:
            r["_kind"] = "base"
        elif "additional fee" in text:
            r["_kind"] = "additional"
        else:
            r["_kind"] = "amendment"
        r["_sched"] = cell_date(r["scheduled_date"])
        r["_due"] = cell_date(r["due_date"])
        r["_waived"] = "waiv" in str(r["status"]).lower()
    return rows


def _row(rows, kind, sched=None):
    hits = [r for r in rows if r["_kind"] == kind and (sched is None or r["_sched"] == sched)]
    assert len(hits) == 1, (kind, sched, rows)
    return hits[0]


def _assert_payable(row, amount, due):
    assert not row["_waived"], row
    assert float(row["amount"]) == money(amount)
    assert row["_due"] == due
    assert row["citation"]


BASE_NO10 = [  # No.10 A.3 Base Fee installments
    (D(2002, 10, 1), 15_000),
    (D(2002, 11, 15), 15_000),
    (D(2002, 12, 16), 30_000),
    (D(2002, 12, 31), 40_000),
]
ADD_1031 = D(2002, 10, 31)
ADD_1127 = D(2002, 11, 27)


def test_fee_schedule_no10_no_events():
    rows = _fee_rows(amended_through=NO10)
    for sched, amt in BASE_NO10:  # No.10 A.3: due as scheduled
        _assert_payable(_row(rows, "base", sched), amt, sched)
    _assert_payable(_row(rows, "additional", ADD_1031), 25_000, ADD_1031)  # No.10 A.3
    _assert_payable(_row(rows, "additional", ADD_1127), 25_000, ADD_1127)
    assert not [r for r in rows if r["_kind"] == "amendment"]  # No.11 fee not in view
    # total payable 15+15+30+40+25+25 = 150,000
    assert sum(float(r["amount"]) for r in rows if not r["_waived"]) == money(150_000)


@pytest.mark.parametrize(
    "event,when,waived_1031,waived_1127",
    [
        # No.10 A.3 proviso: Additional Fee installments on/after receipt are waived,
        # if received by 10-31 or 11-27
        ("purchase_offer", D(2002, 10, 20), True, True),    # both on/after 10-20
        ("purchase_offer", D(2002, 10, 31), True, True),    # 10-31 is "on" receipt date
        ("purchase_offer", D(2002, 11, 1), False, True),    # 10-31 before receipt
        ("purchase_offer", D(2002, 11, 27), False, True),   # 11-27 on receipt, within deadline
        ("purchase_offer", D(2002, 11, 28), False, False),  # after 11-27 deadline, nothing later
        ("financing_commitment", D(2002, 11, 1), False, True),  # (ii) same treatment
        ("financing_commitment", D(2002, 10, 20), True, True),
    ],
)
def test_fee_schedule_no10_purchase_offer(event, when, waived_1031, waived_1127):
    rows = _fee_rows(events={event: when}, amended_through=NO10)
    r1 = _row(rows, "additional", ADD_1031)
    r2 = _row(rows, "additional", ADD_1127)
    assert r1["_waived"] is waived_1031
    assert r2["_waived"] is waived_1127
    if not waived_1031:
        _assert_payable(r1, 25_000, ADD_1031)
    if not waived_1127:
        _assert_payable(r2, 25_000, ADD_1127)
    for sched, amt in BASE_NO10:  # Base Fee untouched by the proviso
        _assert_payable(_row(rows, "base", sched), amt, sched)


@pytest.mark.parametrize(
    "when,expected_unpaid_only_1031_waived",
    [
        (None, False),             # nothing delivered: No.10 leaves 10-31 due; unpaid_only keeps it
        (D(2002, 10, 20), True),   # No.10 proviso already waived 10-31
        (D(2002, 11, 1), False),
        (D(2002, 11, 27), False),
        (D(2002, 11, 28), False),
    ],
)
def test_fee_schedule_default_view_additional_fee(when, expected_unpaid_only_1031_waived):
    events = {"purchase_offer": when} if when else None
    # No.11 A.3 (additional_fee_waiver=all): both installments waived
    rows = _fee_rows(events=events)
    assert _row(rows, "additional", ADD_1031)["_waived"]
    assert _row(rows, "additional", ADD_1127)["_waived"]
    rows = _fee_rows(events=events, rules="additional_fee_waiver=all")
    assert _row(rows, "additional", ADD_1031)["_waived"]
    assert _row(rows, "additional", ADD_1127)["_waived"]
    # unpaid_only: 11-27 always waived by No.11; 10-31 only if No.10's proviso waived it
    rows = _fee_rows(events=events, rules="unpaid_only")
    assert _row(rows, "additional", ADD_1127)["_waived"]
    r = _row(rows, "additional", ADD_1031)
    assert r["_waived"] is expected_unpaid_only_1031_waived
    if not expected_unpaid_only_1031_waived:
        _assert_payable(r, 25_000, ADD_1031)


def test_fee_schedule_no11_amendment_fee():
    # No.11 A.3: $25,000 due 12-31 absent earlier full payment
    _assert_payable(_row(_fee_rows(), "amendment"), 25_000, D(2002, 12, 31))
    # full payment 12-01 -> due 12-01 (either base-fee rule)
    for rules in (None, "base_fee_on_full_payment=accelerated", "waived_after"):
        rows = _fee_rows(events={"full_payment": D(2002, 12, 1)}, rules=rules)
        _assert_payable(_row(rows, "amendment"), 25_000, D(2002, 12, 1))
    # full payment 12-10 -> due 12-10
    rows = _fee_rows(events={"full_payment": "2002-12-10"})
    _assert_payable(_row(rows, "amendment"), 25_000, D(2002, 12, 10))


def test_fee_schedule_default_full_payment_accelerated():
    # No.11 A.3 accelerated: every Base Fee dollar (100,000) stays payable, none due after 12-01
    rows = _fee_rows(events={"full_payment": D(2002, 12, 1)})
    base = [r for r in rows if r["_kind"] == "base"]
    assert sum(float(r["amount"]) for r in base if not r["_waived"]) == money(100_000)
    assert all(r["_due"] <= D(2002, 12, 1) for r in base if not r["_waived"])
    _assert_payable(_row(rows, "base", D(2002, 10, 1)), 15_000, D(2002, 10, 1))


def test_fee_schedule_default_full_payment_waived_after():
    # No.10 A.3 survives: base installments scheduled 12-16 (30k) and 12-31 (40k) waived
    rows = _fee_rows(events={"full_payment": D(2002, 12, 1)},
                     rules="base_fee_on_full_payment=waived_after")
    assert _row(rows, "base", D(2002, 12, 16))["_waived"]
    assert _row(rows, "base", D(2002, 12, 31))["_waived"]
    assert not _row(rows, "base", D(2002, 11, 15))["_waived"]
    base = [r for r in rows if r["_kind"] == "base"]
    # payable base: 15,000 (10-01) + 15,000 (11-15) = 30,000
    assert sum(float(r["amount"]) for r in base if not r["_waived"]) == money(30_000)


def test_fee_schedule_no10_full_payment():
    # No.10 A.3 full-payment waiver, full payment 12-01: 12-16 and 12-31 base waived
    rows = _fee_rows(events={"full_payment": D(2002, 12, 1)}, amended_through=NO10)
    assert _row(rows, "base", D(2002, 12, 16))["_waived"]
    assert _row(rows, "base", D(2002, 12, 31))["_waived"]
    _assert_payable(_row(rows, "base", D(2002, 10, 1)), 15_000, D(2002, 10, 1))
    _assert_payable(_row(rows, "base", D(2002, 11, 15)), 15_000, D(2002, 11, 15))
    _assert_payable(_row(rows, "additional", ADD_1031), 25_000, ADD_1031)
    _assert_payable(_row(rows, "additional", ADD_1127), 25_000, ADD_1127)  # before 12-01


FEES_DUE_CASES = [
    # (start, end, events, amended_through, rules, expected)   -- both ends included
    # ---- No.10 only, no events ----
    ("2002-10-01", "2002-10-01", None, NO10, None, 15_000),   # base on execution
    ("2002-10-02", "2002-10-30", None, NO10, None, 0),
    ("2002-10-01", "2002-10-31", None, NO10, None, 40_000),   # 15k base + 25k additional
    ("2002-11-01", "2002-11-30", None, NO10, None, 40_000),   # 15k (11-15) + 25k (11-27)
    ("2002-11-15", "2002-11-15", None, NO10, None, 15_000),
    ("2002-11-16", "2002-11-26", None, NO10, None, 0),
    ("2002-11-27", "2002-11-27", None, NO10, None, 25_000),
    ("2002-12-01", "2002-12-31", None, NO10, None, 70_000),   # 30k + 40k
    ("2002-10-01", "2002-12-31", None, NO10, None, 150_000),  # whole Extension Fee
    # ---- No.10 only, purchase offer / financing commitment ----
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 10, 20)}, NO10, None, 100_000),  # 150-50
    ("2002-10-31", "2002-10-31", {"purchase_offer": D(2002, 10, 20)}, NO10, None, 0),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 1)}, NO10, None, 125_000),  # 150-25
    ("2002-10-31", "2002-10-31", {"purchase_offer": D(2002, 11, 1)}, NO10, None, 25_000),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 27)}, NO10, None, 125_000),
    ("2002-11-27", "2002-11-27", {"purchase_offer": D(2002, 11, 27)}, NO10, None, 0),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 28)}, NO10, None, 150_000),
    ("2002-11-27", "2002-11-27", {"purchase_offer": D(2002, 11, 28)}, NO10, None, 25_000),
    ("2002-10-01", "2002-12-31", {"financing_commitment": D(2002, 11, 1)}, NO10, None, 125_000),
    # ---- No.10 only, full payment ----
    # 12-01: waive 12-16 (30k) + 12-31 (40k): 150 - 70 = 80,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, NO10, None, 80_000),
    ("2002-12-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, NO10, None, 0),
    # 11-13: waive 11-15, 11-27, 12-16, 12-31 -> 15k + 25k = 40,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 11, 13)}, NO10, None, 40_000),
    # ---- default view (No.11), no events ----
    # 10-01 15k; 10-31 additional waived (No.11 A.3, all)
    ("2002-10-01", "2002-10-31", None, None, None, 15_000),
    ("2002-10-31", "2002-10-31", None, None, None, 0),
    ("2002-10-31", "2002-10-31", None, None, "additional_fee_waiver=all", 0),
    ("2002-10-01", "2002-10-31", None, None, "unpaid_only", 40_000),  # 10-31 not waived
    ("2002-10-31", "2002-10-31", None, None, "additional_fee_waiver=unpaid_only", 25_000),
    ("2002-11-27", "2002-11-27", None, None, None, 0),            # waived either way
    ("2002-11-27", "2002-11-27", None, None, "unpaid_only", 0),
    # 11-12..12-31: base 15+30+40 = 85k + 25k amendment fee = 110,000
    ("2002-11-12", "2002-12-31", None, None, None, 110_000),
    ("2002-11-12", "2002-12-31", None, None, "unpaid_only", 110_000),
    # whole term: 100k base + 25k amendment fee = 125,000 (+25k 10-31 under unpaid_only)
    ("2002-10-01", "2002-12-31", None, None, None, 125_000),
    ("2002-10-01", "2002-12-31", None, None, "unpaid_only", 150_000),
    # ---- default view, purchase offer ----
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 10, 20)}, None, None, 15_000),
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 10, 20)}, None, "unpaid_only", 15_000),
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 11, 1)}, None, None, 15_000),
    ("2002-10-01", "2002-10-31", {"purchase_offer": D(2002, 11, 1)}, None, "unpaid_only", 40_000),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 28)}, None, None, 125_000),
    ("2002-10-01", "2002-12-31", {"purchase_offer": D(2002, 11, 28)}, None, "unpaid_only", 150_000),
    # ---- default view, full payment 12-01 ----
    # accelerated: all base still payable, none after 12-01; 100k + 25k = 125,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, None, 125_000),
    ("2002-11-12", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, None, 110_000),
    ("2002-12-02", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, None, 0),
    # waived_after: 12-16 and 12-31 base waived; 15k + 15k + 25k = 55,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, "waived_after", 55_000),
    ("2002-11-12", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, "waived_after", 40_000),
    ("2002-12-02", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None, "waived_after", 0),
    # both alternatives at once: 55k + 25k (10-31 kept) = 80,000
    ("2002-10-01", "2002-12-31", {"full_payment": D(2002, 12, 1)}, None,
     "unpaid_only,waived_after", 80_000),
    # ---- default view, full payment 11-13 (before every unpaid base installment) ----
    # accelerated: 15+30+40 = 85k base + 25k amendment fee all on 11-13 = 110,000
    ("2002-11-13", "2002-11-13", {"full_payment": D(2002, 11, 13)}, None, None, 110_000),
    ("2002-11-14", "2002-12-31", {"full_payment": D(2002, 11, 13)}, None, None, 0),
    # waived_after: 11-15, 12-16, 12-31 base waived; only 25k amendment fee on 11-13
    ("2002-11-13", "2002-11-13", {"full_payment": D(2002, 11, 13)}, None,
     "base_fee_on_full_payment=waived_after", 25_000),
    ("2002-11-14", "2002-12-31", {"full_payment": D(2002, 11, 13)}, None, "waived_after", 0),
]


@pytest.mark.parametrize(
    "start,end,events,amended_through,rules,expected",
    FEES_DUE_CASES,
    ids=[f"{c[0]}..{c[1]}|{c[2]}|{c[3]}|{c[4]}" for c in FEES_DUE_CASES],
)
def test_fees_due(start, end, events, amended_through, rules, expected):
    got = LSA_FEES_DUE(start, end, events=events, amended_through=amended_through, rules=rules)
    assert got == money(expected)
