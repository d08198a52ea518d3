"""The severance letter of 2002-06-06, Sev 2(b): installments under each reading, offsets, payments and late
interest, worked by hand (see tests/worked.py)."""


import pytest
from worked import (
    SAL,
    D,
    cell_date,
    money,
    numbers,
)

from udfs.catalogue.functions import (
    SEV_LATE_INTEREST,
    SEV_PAYMENT,
    SEV_SCHEDULE,
)

# ---------------------------------------------------------------------------
# Severance (Sev 2(b)); salary 120,000 -> monthly 10,000; six months = 60,000
# ---------------------------------------------------------------------------
FIRST_SIX = [D(2002, 9, 30), D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31),
             D(2003, 1, 31), D(2003, 2, 28)]
LAST_SIX = [D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31), D(2003, 1, 31),
            D(2003, 2, 28), D(2003, 3, 31)]
SEVEN = [D(2002, 9, 30)] + LAST_SIX
SEVENTH = 8571.428571  # 60,000 / 7


def _assert_schedule(table, expected, absent=()):
    assert len(table) >= 2
    body = table[1:]
    for when, net in expected:
        hits = [r for r in body if any(cell_date(c) == when for c in r)
                and any(n == money(net) for n in numbers(r))]
        assert hits, (when, net, table)
    for when in absent:
        assert not [r for r in body if any(cell_date(c) == when for c in r)], (when, table)


def test_sev_schedule_each_rule():
    # first_six: 09-30..02-28, 6 x 120,000/12 = 10,000
    _assert_schedule(SEV_SCHEDULE(SAL), [(d, 10_000) for d in FIRST_SIX], absent=[D(2003, 3, 31)])
    _assert_schedule(SEV_SCHEDULE(SAL, rule="first_six"), [(d, 10_000) for d in FIRST_SIX])
    # last_six: 10-31..03-31, 6 x 10,000
    _assert_schedule(SEV_SCHEDULE(SAL, rule="last_six"), [(d, 10_000) for d in LAST_SIX],
                     absent=[D(2002, 9, 30)])
    # seven_parts: 7 month-ends, each 120,000/2/7 = 8,571.43
    _assert_schedule(SEV_SCHEDULE(SAL, rule="severance_installments=seven_parts"),
                     [(d, SEVENTH) for d in SEVEN])


def test_sev_schedule_with_offset():
    # 15,000 received 11-10, earliest_first: 11-30 -> 0, 12-31 -> 10,000 - 5,000 = 5,000
    _assert_schedule(SEV_SCHEDULE(SAL, offsets={D(2002, 11, 10): 15_000}),
                     [(D(2002, 10, 31), 10_000), (D(2002, 11, 30), 0),
                      (D(2002, 12, 31), 5_000), (D(2003, 1, 31), 10_000)])
    # latest_first: 02-28 -> 0, 01-31 -> 5,000, 11-30 untouched
    _assert_schedule(SEV_SCHEDULE(SAL, offsets={D(2002, 11, 10): 15_000}, rule="latest_first"),
                     [(D(2002, 11, 30), 10_000), (D(2002, 12, 31), 10_000),
                      (D(2003, 1, 31), 5_000), (D(2003, 2, 28), 0)])


SEV_PAYMENT_CASES = [
    # (date, salary, offsets, rule, expected)
    # ---- no offsets ----
    ("2002-09-30", SAL, None, None, 10_000),           # first_six: 120,000/12
    ("2002-10-31", SAL, None, None, 10_000),
    ("2002-11-30", SAL, None, None, 10_000),           # calendar month-end (a Saturday)
    ("2003-02-28", SAL, None, None, 10_000),           # sixth installment
    ("2003-03-31", SAL, None, None, 0),                # not in first_six
    ("2002-10-15", SAL, None, None, 0),                # not an installment date
    ("2002-11-29", SAL, None, None, 0),
    ("2002-08-31", SAL, None, None, 0),
    ("2002-09-30", 90_000, None, None, 7_500),         # 90,000/12
    ("2002-09-30", SAL, None, "last_six", 0),          # last_six starts 10-31
    ("2002-10-31", SAL, None, "last_six", 10_000),
    ("2003-03-31", SAL, None, "last_six", 10_000),
    ("2003-03-31", SAL, None, "severance_installments=last_six", 10_000),
    ("2002-09-30", SAL, None, "seven_parts", SEVENTH),  # 60,000/7
    ("2002-11-30", SAL, None, "seven_parts", SEVENTH),
    ("2003-03-31", SAL, None, "seven_parts", SEVENTH),
    ("2002-10-15", SAL, None, "seven_parts", 0),
    # ---- 15,000 received 11-10 (larger than one installment), first_six ----
    ("2002-10-31", SAL, {D(2002, 11, 10): 15_000}, None, 10_000),   # before receipt: untouched
    ("2002-11-30", SAL, {D(2002, 11, 10): 15_000}, None, 0),        # earliest: 10,000 used
    ("2002-12-31", SAL, {D(2002, 11, 10): 15_000}, None, 5_000),    # remaining 5,000
    ("2003-01-31", SAL, {D(2002, 11, 10): 15_000}, None, 10_000),
    ("2003-02-28", SAL, {D(2002, 11, 10): 15_000}, "offset_order=earliest_first", 10_000),
    ("2002-11-30", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 10_000),
    ("2002-12-31", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 10_000),
    ("2003-01-31", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 5_000),   # remaining 5,000
    ("2003-02-28", SAL, {D(2002, 11, 10): 15_000}, "latest_first", 0),       # latest first
    # pairs form with text date, same result
    ("2002-12-31", SAL, [("2002-11-10", 15_000)], None, 5_000),
    # ---- 5,000 received 08-15 (before 09-30) ----
    ("2002-09-30", SAL, {D(2002, 8, 15): 5_000}, None, 5_000),              # earliest installment
    ("2002-10-31", SAL, {D(2002, 8, 15): 5_000}, None, 10_000),
    ("2003-02-28", SAL, {D(2002, 8, 15): 5_000}, None, 10_000),
    ("2002-09-30", SAL, {D(2002, 8, 15): 5_000}, "latest_first", 10_000),
    ("2003-02-28", SAL, {D(2002, 8, 15): 5_000}, "latest_first", 5_000),    # last of first_six
    ("2002-10-31", SAL, {D(2002, 8, 15): 5_000}, "last_six", 5_000),        # first of last_six
    ("2003-03-31", SAL, {D(2002, 8, 15): 5_000}, "last_six,latest_first", 5_000),
    # ---- 3,000 received on an installment date (10-31): that installment is eligible ----
    ("2002-10-31", SAL, {D(2002, 10, 31): 3_000}, None, 7_000),
    ("2002-10-31", SAL, {D(2002, 10, 31): 3_000}, "latest_first", 10_000),
    ("2003-02-28", SAL, {D(2002, 10, 31): 3_000}, "latest_first", 7_000),
    # ---- 25,000 received 2003-01-15: only 01-31 and 02-28 eligible, 5,000 unused ----
    ("2002-12-31", SAL, {D(2003, 1, 15): 25_000}, None, 10_000),
    ("2003-01-31", SAL, {D(2003, 1, 15): 25_000}, None, 0),
    ("2003-02-28", SAL, {D(2003, 1, 15): 25_000}, None, 0),
    ("2002-12-31", SAL, {D(2003, 1, 15): 25_000}, "latest_first", 10_000),
    # ---- two offsets: 5,000 on 10-05 and 12,000 on 11-10 ----
    ("2002-10-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, None, 5_000),
    ("2002-11-30", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, None, 0),
    ("2002-12-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, None, 8_000),
    # latest_first: 02-28 absorbs 10,000, 01-31 absorbs 7,000 -> 3,000
    ("2003-02-28", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, "latest_first", 0),
    ("2003-01-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, "latest_first", 3_000),
    ("2002-10-31", SAL, {D(2002, 10, 5): 5_000, D(2002, 11, 10): 12_000}, "latest_first", 10_000),
    # ---- seven_parts with the 15,000 offset on 11-10 ----
    # earliest: 11-30 -> 0 (8,571.43 used), 12-31 -> 2 x 60,000/7 - 15,000 = 15,000/7 = 2,142.86
    ("2002-11-30", SAL, {D(2002, 11, 10): 15_000}, "seven_parts", 0),
    ("2002-12-31", SAL, {D(2002, 11, 10): 15_000}, "seven_parts", 2142.857143),
    ("2002-10-31", SAL, {D(2002, 11, 10): 15_000}, "seven_parts", SEVENTH),
    ("2003-03-31", SAL, {D(2002, 11, 10): 15_000}, "seven_parts,latest_first", 0),
    ("2003-02-28", SAL, {D(2002, 11, 10): 15_000}, "seven_parts,latest_first", 2142.857143),
]


@pytest.mark.parametrize(
    "date,salary,offsets,rule,expected",
    SEV_PAYMENT_CASES,
    ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in SEV_PAYMENT_CASES],
)
def test_sev_payment(date, salary, offsets, rule, expected):
    assert SEV_PAYMENT(date, salary, offsets=offsets, rule=rule) == money(expected)


SEV_LATE_CASES = [
    # (due, paid, amount, rule, expected); 18%/yr simple, actual/365; 10,000 x 18% = 1,800/yr
    ("2002-10-31", "2002-10-31", 10_000, None, 0),              # on time
    ("2002-10-31", "2002-11-05", 10_000, None, 0),              # 5 days: within grace
    ("2002-10-31", "2002-11-10", 10_000, None, 0),              # day 10: within ten days
    ("2002-10-31", "2002-11-10", 10_000, "after_grace", 0),
    ("2002-10-31", "2002-11-11", 10_000, None, 54.246575),      # day 11: 1,800 x 11/365
    ("2002-10-31", "2002-11-11", 10_000, "late_interest_start=from_due_date", 54.246575),
    ("2002-10-31", "2002-11-11", 10_000, "after_grace", 4.931507),   # 1,800 x 1/365
    ("2002-10-31", "2002-11-30", 10_000, None, 147.945205),     # 30 days: 1,800 x 30/365
    ("2002-10-31", "2002-11-30", 10_000, "after_grace", 98.630137),  # 20 days: 1,800 x 20/365
    ("2002-12-31", "2003-01-30", 10_000, None, 147.945205),     # 30 days across year end
    ("2002-12-31", "2003-01-30", 10_000, "late_interest_start=after_grace", 98.630137),
    ("2002-10-31", "2002-11-30", 5_000, None, 73.972603),       # 900 x 30/365
]


@pytest.mark.parametrize(
    "due,paid,amount,rule,expected",
    SEV_LATE_CASES,
    ids=[f"{c[0]}->{c[1]}|{c[2]}|{c[3]}" for c in SEV_LATE_CASES],
)
def test_sev_late_interest(due, paid, amount, rule, expected):
    assert SEV_LATE_INTEREST(due, paid, amount, rule=rule) == money(expected)
