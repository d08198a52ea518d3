"""The deadlines of Nos. 10 and 11 as a table, worked by hand (see tests/worked.py for the clauses)."""



from worked import (
    NO10,
    D,
    table_dates,
)

from udfs.catalogue.functions import (
    LSA_DEADLINES,
)


# ---------------------------------------------------------------------------
# LSA_DEADLINES
# ---------------------------------------------------------------------------
def test_deadlines_tables():
    t11 = LSA_DEADLINES()
    assert len(t11) >= 2
    dates11 = table_dates(t11[1:])
    assert D(2002, 11, 15) in dates11  # No.11 B.1(A)(i) first pair
    assert D(2002, 11, 22) in dates11  # No.11 B.1(A)(ii)(a) commitment pair
    assert D(2002, 12, 17) in dates11  # No.11 B.4 Texas auction
    t10 = LSA_DEADLINES(amended_through=NO10)
    dates10 = table_dates(t10[1:])
    assert D(2002, 10, 25) in dates10  # No.10 B.5 Texas offer / auction agreement
    assert D(2002, 10, 31) in dates10  # No.10 B.4 Purchase Offer
    assert D(2002, 11, 22) not in dates10
    assert D(2002, 12, 17) not in dates10
