"""Records, not dicts, past the reader (issue 18): the severance letter leaves udfs.deal.reader as a
Severance record, its plans as SeverancePlan records, and the plan in force is chosen in one place
(udfs.engine.severance.plan_in_force).

Expected values are the Lovelock severance letter's (2002-06-06), as the seed encodes it: 2(b) six months
of salary, paid in installments through 2003-03-31, 18% a year after a ten-day grace; the installment
plan is a reading (severance_installments): first_six by default, the letter's stated start 2002-09-30.
"""

import datetime as dt
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from udfs.deal.reader import SCHEMA_TABLES
from udfs.deal.records import Severance, SeverancePlan
from udfs.engine import rules as rules_mod
from udfs.engine.severance import plan_in_force
from udfs.loading import default_deal

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def deal():
    return default_deal()


def test_the_loaded_severance_is_a_record_not_the_files_table(deal):
    sev = deal.severance
    assert type(sev) is Severance and not isinstance(sev, dict)
    assert all(type(p) is SeverancePlan and isinstance(p.dates, tuple) for p in sev.plans.values())
    assert (sev.letter_date, sev.offset_through) == (dt.date(2002, 6, 6), dt.date(2003, 3, 31))
    assert (sev.months_of_salary, sev.late_rate, sev.late_grace_days, sev.late_basis_days) == (6, 0.18, 10, 365)
    assert sev.plans["seven_parts"] == SeverancePlan("seven_parts", 7, (
        dt.date(2002, 9, 30), dt.date(2002, 10, 31), dt.date(2002, 11, 30), dt.date(2002, 12, 31),
        dt.date(2003, 1, 31), dt.date(2003, 2, 28), dt.date(2003, 3, 31)))
    with pytest.raises(TypeError):
        sev["letter_date"]  # a record is read by attribute: a reader of the raw table fails here


def test_the_record_has_a_field_for_every_key_the_format_accepts():
    assert set(Severance._fields) == set(SCHEMA_TABLES["severance"])
    assert set(SeverancePlan._fields) - {"name"} == set(SCHEMA_TABLES["severance.plans.NAME"])


def test_the_plan_in_force_follows_the_reading(deal):
    defaults = rules_mod.defaults(deal)
    in_force = plan_in_force(deal.severance, rules_mod.Rules(defaults))
    assert (in_force.name, in_force.parts, in_force.dates[0]) == ("first_six", 6, dt.date(2002, 9, 30))
    chosen = plan_in_force(deal.severance, rules_mod.Rules({**defaults, "severance_installments": "last_six"}))
    assert (chosen.name, chosen.dates[0], chosen.dates[-1]) == ("last_six", dt.date(2002, 10, 31),
                                                                dt.date(2003, 3, 31))


def test_the_letters_payment_period_includes_both_ends(deal):
    sev = deal.severance
    assert sev.in_payment_period(dt.date(2002, 6, 6)) and sev.in_payment_period(dt.date(2003, 3, 31))
    assert not sev.in_payment_period(dt.date(2002, 6, 5)) and not sev.in_payment_period(dt.date(2003, 4, 1))


def test_no_module_past_the_reader_picks_the_plan_itself():
    house = SimpleNamespace(**runpy.run_path(str(ROOT / "bench" / "house.py")))
    found = [place for rule, place in house.rules_outside() if rule == "the severance plan in force"]
    assert found == []
    # the sign still finds a copy, in the old spelling and the new
    pattern = next(p for rule, p, _ in house.RULE_SIGNS if rule == "the severance plan in force")

    for copy in ('dates = sev["plans"][rules.pick(sev["plan"])]["dates"]',
                 "plan = sev.plans[chosen.pick(sev.plan)]"):
        assert re.search(pattern, copy), copy
