"""The pricing blocks in the portable workbook, recalculated by LibreOffice and Gnumeric.

The deal of tests/pricing/test_pricing_blocks.py (the embedded one plus a made-up No. 12: a 4.75% floor and a
10% cap on prime from 2002-12-20, a 2% Default Rate from the day of a Default Notice, the Advances'
margin 6.5% from a Collateral Shortfall Notice). Each scenario is built directly with its inputs and,
as a lender would, typed into the file built with no event given; both programs must recalculate every
formula to the engine's stored value, and the Pricing tab's interest day by day must equal the engine's
LSA_INTEREST for that view. Hand-worked figures are read off the recalculated files.
"""

from __future__ import annotations

import datetime as dt

import pytest
import workbook_helpers as H  # noqa: N812
from pricing_deals import limit_cap_deal, pricing_deal

from udfs.catalogue.functions import Catalogue
from udfs.engine.terms import Terms

pytestmark = H.RECALCULATING
PROGRAMS = H.PROGRAMS
D = dt.date
BALANCES = {"advances": 1000000, "term_loan": 2000000}
SCENARIOS = {
    # both notices given: the Default Rate from 12-24, the 6.5% margin from 12-27
    "notices": {"as_of": "2002-12-28", "balances": BALANCES,
                "events": {"default_notice": "2002-12-24", "shortfall_notice": "2002-12-27"}},
    # a notice dated before No. 12 (in force from its start), a prime above the cap, the other day count
    "early_notice_high_prime": {"as_of": "2002-12-28", "balances": BALANCES, "prime_override": 0.12,
                                "events": {"default_notice": "2002-12-10"}, "rules": {"day_count": "actual/365"}},
    # the view before No. 12 was signed: no floor, cap or Default Rate whatever is given
    "before_no_12": {"as_of": "2002-12-18", "amended_through": "2002-12-19", "balances": BALANCES,
                     "events": {"default_notice": "2002-12-10"}},
}
ABSENT = {"as_of": "2002-12-28", "balances": BALANCES}  # no notice given
CAPPED = {"as_of": "2002-12-28", "balances": BALANCES, "events": {"default_notice": "2002-12-24"}}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("pricing_lo")
    deal = pricing_deal()
    absent = H.build_file(root / "absent.xlsx", ABSENT, deal=deal)
    direct, edited = {}, {}
    for name, overrides in SCENARIOS.items():
        direct[name] = H.build_file(root / f"direct_{name}.xlsx", overrides, deal=deal)
        edited[name] = root / f"edited_{name}.xlsx"
        H.set_inputs(absent, edited[name], H.changes_for(overrides, deal=deal))
    # a cap on the Maximum Limit from the Default Notice (test_pricing_blocks.LIMIT_CAP), typed in on 12-24
    capped = H.build_file(root / "capped.xlsx", ABSENT, deal=limit_cap_deal())
    capped_direct = H.build_file(root / "capped_direct.xlsx", CAPPED, deal=limit_cap_deal())
    capped_edited = root / "capped_edited.xlsx"
    H.set_inputs(capped, capped_edited, H.changes_for(CAPPED, deal=limit_cap_deal()))
    every = [absent, *edited.values(), capped_edited]
    recalc = {"libreoffice": H.recalculate(every, root / "recalc"),
              "gnumeric": H.recalculate_gnumeric(every, root / "gnumeric")}
    return {"absent": absent, "direct": direct, "edited": edited, "programs": recalc,
            "capped_direct": capped_direct, "capped_edited": capped_edited}


def _pricing(path) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    dates = [H.as_date(v) for v in H.named(path, "PR_Date", wb)]
    cols = {fac: H.named(path, f"PR_Interest_{fac}", wb) for fac in BALANCES}
    return {d: {fac: cols[fac][i] for fac in cols} for i, d in enumerate(dates)}


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("scenario", ["absent", *SCENARIOS])
def test_recalculates_to_the_engine(files, scenario, program):
    want = files["absent"] if scenario == "absent" else files["direct"][scenario]
    got_path = files["programs"][program][files["absent"] if scenario == "absent" else files["edited"][scenario]]
    H.recalculated_as_stored(want, got_path)
    # the Pricing tab's interest, every day, against the engine's LSA_INTEREST in that view
    deal = pricing_deal()
    inputs = H.make_inputs(SCENARIOS.get(scenario, ABSENT), deal=deal)
    cat = Catalogue(Terms(deal))
    ev, at, rules = inputs.delivered() or None, inputs.amended_through, inputs.rules
    for day, row in _pricing(got_path).items():
        for fac, balance in BALANCES.items():
            want_day = cat.LSA_INTEREST(day, day + dt.timedelta(days=1), balance, fac, inputs.prime_override,
                                        None, at, rules, ev)
            assert row[fac] == pytest.approx(want_day, abs=1e-9), (day, fac)


def test_by_hand(files):
    """Daily interest = balance x rate / days a year, the rate worked from the clauses (module docstring)."""
    notices = _pricing(files["programs"]["libreoffice"][files["edited"]["notices"]])
    adv, tl = BALANCES["advances"], BALANCES["term_loan"]
    assert notices[D(2002, 12, 19)]["advances"] == pytest.approx(adv * 0.1025 / 360)  # 4.25% + 6.0%
    assert notices[D(2002, 12, 20)]["advances"] == pytest.approx(adv * 0.1075 / 360)  # floor 4.75% + 6.0%
    assert notices[D(2002, 12, 23)]["advances"] == pytest.approx(adv * 0.1075 / 360)  # the day before the notice
    assert notices[D(2002, 12, 24)]["advances"] == pytest.approx(adv * 0.1275 / 360)  # + 2.0% that day
    assert notices[D(2002, 12, 27)]["advances"] == pytest.approx(adv * 0.1325 / 360)  # margin 6.5%
    assert notices[D(2002, 12, 27)]["term_loan"] == pytest.approx(tl * 0.1275 / 360)
    absent = _pricing(files["programs"]["gnumeric"][files["absent"]])
    assert absent[D(2002, 12, 27)]["advances"] == pytest.approx(adv * 0.1075 / 360)  # no notice: no add-on
    high = _pricing(files["programs"]["libreoffice"][files["edited"]["early_notice_high_prime"]])
    assert high[D(2002, 12, 19)]["advances"] == pytest.approx(adv * 0.18 / 365)  # 12% + 6.0%, before No. 12
    assert high[D(2002, 12, 20)]["advances"] == pytest.approx(adv * 0.18 / 365)  # min(12%, 10%) + 6.0% + 2.0%
    before = _pricing(files["programs"]["gnumeric"][files["edited"]["before_no_12"]])
    assert before[D(2002, 12, 24)]["advances"] == pytest.approx(adv * 0.1025 / 360)  # No. 11 only


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_cap_on_an_event_recalculates(files, program):
    """The Maximum Limit's cap from the Default Notice (test_pricing_blocks.LIMIT_CAP): typed in on 12-24,
    both programs give the engine's values; by hand, $1,750,000 on 12-23 and $1,000,000 from 12-24."""
    want = files["capped_direct"]
    got_path = files["programs"][program][files["capped_edited"]]
    H.recalculated_as_stored(want, got_path)
    import openpyxl

    wb = openpyxl.load_workbook(got_path, data_only=True)
    days = [H.as_date(v) for v in H.named(got_path, "BC_Date", wb)]
    limits = dict(zip(days, H.named(got_path, "BC_MaxLimit", wb), strict=True))
    assert limits[D(2002, 12, 23)] == 1750000 and limits[D(2002, 12, 24)] == 1000000
