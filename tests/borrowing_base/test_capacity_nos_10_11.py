"""Borrowing Capacity and Availability under Nos. 10 and 11 (No. 10 B.1; No. 11 B.1, B.5), worked by hand
(see tests/worked.py for the clauses)."""



from worked import (
    BOTH,
    FIRST,
    LATE18_C,
    money,
)

from udfs.catalogue.functions import (
    LSA_AVAILABILITY,
    LSA_CAPACITY,
)


# ---------------------------------------------------------------------------
# LSA_CAPACITY
# ---------------------------------------------------------------------------
def test_capacity_receivables_bound():
    # No.10 B.1: min(1,750,000, 0.85*1,000,000=850,000) - 0 = 850,000
    assert LSA_CAPACITY("2002-10-15", 1_000_000) == money(850_000)


def test_capacity_limit_bound_with_deductions():
    # No.10 B.1: min(1,750,000, 0.85*3,000,000=2,550,000)=1,750,000
    #   - (100,000 acceptances + 50,000 guaranties + 25,000 LCs = 175,000) = 1,575,000
    assert LSA_CAPACITY("2002-10-15", 3_000_000, acceptances=100_000, guaranties=50_000,
                        letters_of_credit=25_000) == money(1_575_000)
    # capacity_floor=floor_zero changes nothing when positive
    assert LSA_CAPACITY("2002-10-15", 3_000_000, acceptances=100_000, guaranties=50_000,
                        letters_of_credit=25_000, rules="capacity_floor=floor_zero") == money(1_575_000)


def test_capacity_with_increase_event():
    # No.11 B.1(A)(i): 2,300,000 on 11-15; min(2.3M, 2.55M) - 175,000 = 2,125,000
    assert LSA_CAPACITY("2002-11-15", 3_000_000, acceptances=100_000, guaranties=50_000,
                        letters_of_credit=25_000, events=FIRST) == money(2_125_000)


def test_capacity_no11_receivables_bound():
    # No.11 base 2.0M; 0.85*2,000,000 = 1,700,000 < 2.0M; minus LC 200,000 = 1,500,000
    assert LSA_CAPACITY("2002-11-12", 2_000_000, letters_of_credit=200_000) == money(1_500_000)


def test_capacity_after_final_step():
    # No.11 (ii)(c): 1,750,000 on 12-10 even with every item delivered
    assert LSA_CAPACITY("2002-12-10", 3_000_000, events=BOTH) == money(1_750_000)


def test_capacity_amended_through_no10():
    # No.10 only: 1,750,000 flat; 0.85*3M = 2.55M -> 1,750,000
    assert LSA_CAPACITY("2002-11-20", 3_000_000, events=BOTH,
                        amended_through="2002-11-11") == money(1_750_000)


def test_capacity_late_increase_rules():
    # pair on 11-18 + commitment pair: on_delivery 2.3M, by_step_date 2.0M; 0.85*3M = 2.55M
    assert LSA_CAPACITY("2002-11-18", 3_000_000, events=LATE18_C) == money(2_300_000)
    assert LSA_CAPACITY("2002-11-18", 3_000_000, events=LATE18_C,
                        rules="by_step_date") == money(2_000_000)


def test_capacity_floor_both_ways():
    # 0.85*100,000 = 85,000 < 1.75M; minus LC 100,000 = -15,000
    assert LSA_CAPACITY("2002-10-15", 100_000, letters_of_credit=100_000) == money(-15_000)
    assert LSA_CAPACITY("2002-10-15", 100_000, letters_of_credit=100_000,
                        rules="capacity_floor=negative_allowed") == money(-15_000)
    assert LSA_CAPACITY("2002-10-15", 100_000, letters_of_credit=100_000,
                        rules="capacity_floor=floor_zero") == money(0)
    # 12-10: 1,750,000 - (1,000,000 + 500,000 + 400,000 = 1,900,000) = -150,000 ; zero floor -> 0
    assert LSA_CAPACITY("2002-12-10", 3_000_000, acceptances=1_000_000, guaranties=500_000,
                        letters_of_credit=400_000) == money(-150_000)
    assert LSA_CAPACITY("2002-12-10", 3_000_000, acceptances=1_000_000, guaranties=500_000,
                        letters_of_credit=400_000, rules="floor_zero") == money(0)

# ---------------------------------------------------------------------------
# LSA_AVAILABILITY
# include: min(MaxLimit, 0.85R + OA) - deductions - outstanding
# exclude: capacity - outstanding
# ---------------------------------------------------------------------------
EXCL = "availability_overadvance=exclude_overadvance"


def test_availability_include_vs_exclude_receivables_bound():
    # 10-15: include min(1.75M, 850k + 400k = 1,250,000) - 50k LC - 700k = 500,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000,
                            letters_of_credit=50_000) == money(500_000)
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            rules="availability_overadvance=include_overadvance") == money(500_000)
    # exclude: min(1.75M, 850k) - 50k - 700k = 100,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            rules=EXCL) == money(100_000)


def test_availability_with_term_loan_reserve():
    # 10-15 cap 400k, reserve 250k -> OA 250k; min(1.75M, 850k+250k=1.1M) - 50k - 700k = 350,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            term_loan_reserve=250_000) == money(350_000)
    # exclude ignores overadvance: 850k - 50k - 700k = 100,000
    assert LSA_AVAILABILITY("2002-10-15", 1_000_000, 700_000, letters_of_credit=50_000,
                            term_loan_reserve=250_000, rules=EXCL) == money(100_000)


def test_availability_limit_bound():
    # include: min(1.75M, 1.7M + 400k = 2.1M) = 1.75M - 1.0M = 750,000
    assert LSA_AVAILABILITY("2002-10-15", 2_000_000, 1_000_000) == money(750_000)
    # exclude: min(1.75M, 1.7M) = 1.7M - 1.0M = 700,000
    assert LSA_AVAILABILITY("2002-10-15", 2_000_000, 1_000_000, rules=EXCL) == money(700_000)


def test_availability_overadvance_windows():
    # 10-13: OA 300k: min(1.75M, 850k + 300k) = 1,150,000 - 700k = 450,000
    assert LSA_AVAILABILITY("2002-10-13", 1_000_000, 700_000) == money(450_000)
    # 10-28: OA 0: 850k - 700k = 150,000 (both rules)
    assert LSA_AVAILABILITY("2002-10-28", 1_000_000, 700_000) == money(150_000)
    assert LSA_AVAILABILITY("2002-10-28", 1_000_000, 700_000, rules=EXCL) == money(150_000)


def test_availability_under_no11():
    # 11-20: No.11 -> OA 0 even with a reserve; 850k - 700k = 150,000
    assert LSA_AVAILABILITY("2002-11-20", 1_000_000, 700_000,
                            term_loan_reserve=300_000) == money(150_000)
    # 11-15 with first pair: min(2.3M, 2.55M + 0) = 2.3M - 100k acceptances - 2.0M = 200,000
    assert LSA_AVAILABILITY("2002-11-15", 3_000_000, 2_000_000, acceptances=100_000,
                            events=FIRST) == money(200_000)
    assert LSA_AVAILABILITY("2002-11-15", 3_000_000, 2_000_000, acceptances=100_000,
                            events=FIRST, rules=EXCL) == money(200_000)
    # same date, No.10-only view: 1.75M flat, OA 0 after 10-28 -> 1.75M - 100k - 1.5M = 150,000
    assert LSA_AVAILABILITY("2002-11-15", 3_000_000, 1_500_000, acceptances=100_000,
                            events=FIRST, amended_through="2002-11-11") == money(150_000)
