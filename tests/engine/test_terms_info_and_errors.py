"""TERMS_INFO's readings and the catalogue's errors (code and argument named), for the embedded deal."""


import pytest
from worked import (
    SAL,
    D,
    assert_terms_error,
)

from udfs.catalogue.functions import (
    LSA_AMENDMENT,
    LSA_AVAILABILITY,
    LSA_CAPACITY,
    LSA_FEES_DUE,
    LSA_INTEREST,
    LSA_MARGIN,
    LSA_MAX_LIMIT,
    LSA_OVERADVANCE_LIMIT,
    LSA_PRIME,
    LSA_RATE,
    SEV_LATE_INTEREST,
    SEV_PAYMENT,
    SEV_SCHEDULE,
    TERMS_INFO,
)

# ---------------------------------------------------------------------------
# TERMS_INFO
# ---------------------------------------------------------------------------
DEFAULTS = {
    "severance_installments": "first_six",
    "late_interest_start": "from_due_date",
    "offset_order": "earliest_first",
    "additional_fee_waiver": "all",
    "max_limit_late_increase": "on_delivery",
    "day_count": "actual/360",
    "base_fee_on_full_payment": "accelerated",
    "capacity_floor": "negative_allowed",
    "availability_overadvance": "include_overadvance",
}


def _info(rules=None):
    table = TERMS_INFO(rules=rules)
    out = {}
    for row in table[1:]:
        out[str(row[0]).strip().lower()] = str(row[1]).strip().lower()
    return out


def _value(info, key):
    hits = [v for k, v in info.items() if key in k]
    assert len(hits) == 1, (key, info)
    return hits[0]


def test_terms_info_defaults():
    info = _info()
    for key, choice in DEFAULTS.items():
        assert _value(info, key).startswith(choice), (key, info)


def test_terms_info_reflects_switch():
    info = _info("last_six")
    assert _value(info, "severance_installments").startswith("last_six")
    assert _value(info, "offset_order").startswith("earliest_first")  # untouched
    info = _info("offset_order=latest_first,after_grace")
    assert _value(info, "offset_order").startswith("latest_first")
    assert _value(info, "late_interest_start").startswith("after_grace")
    info = _info({"additional_fee_waiver": "unpaid_only", "capacity_floor": "floor_zero"})
    assert _value(info, "additional_fee_waiver").startswith("unpaid_only")
    assert _value(info, "capacity_floor").startswith("floor_zero")
    info = _info(["by_step_date", "waived_after", "availability_overadvance=exclude_overadvance"])
    assert _value(info, "max_limit_late_increase").startswith("by_step_date")
    assert _value(info, "base_fee_on_full_payment").startswith("waived_after")
    assert _value(info, "availability_overadvance").startswith("exclude_overadvance")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------
ERROR_CASES = [
    # (label, callable, code, argument)
    ("text not a date", lambda: LSA_MAX_LIMIT("not a date"), "#VALUE!", "date"),
    ("number not a date", lambda: LSA_MAX_LIMIT(37580), "#VALUE!", "date"),
    ("before range", lambda: LSA_MAX_LIMIT("2002-09-30"), "#N/A", "date"),
    ("after range", lambda: LSA_MAX_LIMIT("2003-01-01"), "#N/A", "date"),
    ("margin before range", lambda: LSA_MARGIN("2002-09-30", "advances"), "#N/A", "date"),
    ("rate after range", lambda: LSA_RATE("2003-01-01", "advances"), "#N/A", "date"),
    ("capacity after range", lambda: LSA_CAPACITY("2003-02-01", 1_000), "#N/A", "date"),
    ("overadvance before range", lambda: LSA_OVERADVANCE_LIMIT("2002-09-01"), "#N/A", "date"),
    ("amendment before range", lambda: LSA_AMENDMENT("2002-09-30"), "#N/A", "date"),
    ("interest start before range",
     lambda: LSA_INTEREST("2002-09-15", "2002-10-15", 1_000, "advances"), "#N/A", "start"),
    ("interest end far after range",
     lambda: LSA_INTEREST("2002-12-01", "2003-02-01", 1_000, "advances"), "#N/A", "end"),
    ("interest end not a date",
     lambda: LSA_INTEREST("2002-11-01", "garbage", 1_000, "advances"), "#VALUE!", "end"),
    ("fees start not a date", lambda: LSA_FEES_DUE("someday", "2002-12-31"), "#VALUE!", "start"),
    ("amended_through before No.10",
     lambda: LSA_MARGIN("2002-11-20", "advances", amended_through="2002-09-30"),
     "#N/A", "amended_through"),
    ("amended_through not a date",
     lambda: LSA_MAX_LIMIT("2002-11-20", amended_through="soon"), "#VALUE!", "amended_through"),
    ("negative receivables", lambda: LSA_CAPACITY("2002-10-15", -1), "#VALUE!", "receivables"),
    ("negative acceptances",
     lambda: LSA_CAPACITY("2002-10-15", 1_000_000, acceptances=-5), "#VALUE!", "acceptances"),
    ("negative LCs",
     lambda: LSA_CAPACITY("2002-10-15", 1_000_000, letters_of_credit=-5),
     "#VALUE!", "letters_of_credit"),
    ("negative outstanding",
     lambda: LSA_AVAILABILITY("2002-10-15", 1_000_000, -1), "#VALUE!", "outstanding"),
    ("negative reserve",
     lambda: LSA_OVERADVANCE_LIMIT("2002-10-15", term_loan_reserve=-1),
     "#VALUE!", "term_loan_reserve"),
    ("negative balance",
     lambda: LSA_INTEREST("2002-11-01", "2002-11-15", -1, "advances"), "#VALUE!", "balance"),
    ("unknown facility", lambda: LSA_MARGIN("2002-11-20", "mortgage"), "#VALUE!", "facility"),
    ("unknown facility rate", lambda: LSA_RATE("2002-11-20", "libor"), "#VALUE!", "facility"),
    ("unknown day count",
     lambda: LSA_INTEREST("2002-11-01", "2002-11-15", 1_000, "advances", day_count="30/360"),
     "#VALUE!", "day_count"),
    ("unknown event",
     lambda: LSA_MAX_LIMIT("2002-11-20", events={"keltic_signature": D(2002, 11, 14)}),
     "#VALUE!", "events"),
    ("unknown event fees",
     lambda: LSA_FEES_DUE("2002-10-01", "2002-12-31", events={"sale_closing": D(2002, 12, 1)}),
     "#VALUE!", "events"),
    ("unknown rule", lambda: LSA_MAX_LIMIT("2002-11-20", rules="bogus_rule"), "#VALUE!", "rules"),
    ("unknown rule choice",
     lambda: LSA_FEES_DUE("2002-10-01", "2002-12-31", rules="additional_fee_waiver=some"),
     "#VALUE!", "rules"),
    ("unknown rule terms info", lambda: TERMS_INFO(rules="eight_parts"), "#VALUE!", "rules"),
    ("sev date not a date", lambda: SEV_PAYMENT("someday", SAL), "#VALUE!", "date"),
    ("sev negative salary", lambda: SEV_PAYMENT("2002-09-30", -1), "#VALUE!", "annual_salary"),
    ("sev schedule negative salary", lambda: SEV_SCHEDULE(-1), "#VALUE!", "annual_salary"),
    ("sev unknown rule", lambda: SEV_PAYMENT("2002-09-30", SAL, rule="eight_parts"),
     "#VALUE!", "rule"),
    ("sev negative offset",
     lambda: SEV_PAYMENT("2002-09-30", SAL, offsets={D(2002, 9, 1): -5}), "#VALUE!", "offsets"),
    ("late negative amount",
     lambda: SEV_LATE_INTEREST("2002-10-31", "2002-11-30", -1), "#VALUE!", "amount"),
    ("late paid not a date",
     lambda: SEV_LATE_INTEREST("2002-10-31", "garbage", 1_000), "#VALUE!", "paid_date"),
    ("late unknown rule",
     lambda: SEV_LATE_INTEREST("2002-10-31", "2002-11-30", 1_000, rule="from_payday"),
     "#VALUE!", "rule"),
    ("prime not a date", lambda: LSA_PRIME("garbage"), "#VALUE!", "date"),
]


@pytest.mark.parametrize("label,fn,code,argument", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(label, fn, code, argument):
    assert_terms_error(fn, code, argument)
