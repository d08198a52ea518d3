"""Inputs a lender might type into the workbook, each worked by hand in the recalculation tests: shared by
tests/lender_workbook/test_workbook_lo.py and test_fee_severance_tabs.py (not a test file)."""

ON_TIME = {  # every condition met in time (No. 11 B.1(A)(i) and (ii)(a); No. 10 A.3)
    "events": {"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-15",
               "keltic_commitment": "2002-11-20", "updated_confirmation": "2002-11-21",
               "purchase_offer": "2002-10-20", "full_payment": "2002-12-20"},
}
BASE = {  # another borrowing base, the view before No. 11 was signed, a prime override
    "receivables": 1500000, "acceptances": 50000, "guaranties": 20000, "letters_of_credit": 30000,
    "outstanding": 900000, "term_loan_reserve": 350000, "prime_override": 0.05, "amended_through": "2002-11-11",
    "as_of": "2002-10-15", "balances": {"advances": 1000000, "term_loan": 2000000},
}
SEVERANCE = {  # another severance rule, other readings, late deliveries
    "annual_salary": 200000,
    "offsets": [{"date": "2002-11-15", "amount": 20000}, {"date": "2002-12-20", "amount": 5000},
                {"date": "2002-11-15", "amount": 3000}],
    "rules": {"severance_installments": "last_six", "offset_order": "latest_first",
              "late_interest_start": "after_grace", "additional_fee_waiver": "unpaid_only",
              "day_count": "actual/365", "capacity_floor": "floor_zero",
              "availability_overadvance": "exclude_overadvance", "base_fee_on_full_payment": "waived_after"},
    "events": {"keltic_due_diligence": "2002-11-18", "third_party_confirmation": "2002-11-19",
               "financing_commitment": "2002-11-25", "full_payment": "2002-12-10"},
    "late_due": "2002-11-30", "late_paid": "2002-12-30", "late_amount": 16000, "letters_of_credit": 2000000,
    "election": "outplacement", "outplacement_cost": 12000, "lease_cost": 14000, "transfer_accepted": False,
}
LAPSE = {  # the strict reading of the $2.3M step, with the same late deliveries
    "rules": {"max_limit_late_increase": "by_step_date"},
    "events": {"keltic_due_diligence": "2002-11-18", "third_party_confirmation": "2002-11-19"},
}
