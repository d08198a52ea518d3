"""The made-up Amendment No. 12 of the pricing tests (tests/data/pricing_blocks.toml) joined to the embedded
deal, and its variant with a cap step on an event: shared by the engine's and the recalculation's tests."""

from __future__ import annotations

from pathlib import Path

from udfs.loading import parse_deal

ROOT = Path(__file__).parents[2]
FRAGMENT = ROOT / "tests" / "data" / "pricing_blocks.toml"
PRICING_KEYS = ('index_floor_term = "prime_floor"\nindex_cap_term = "prime_cap"\n'
                'add_on_terms = { advances = ["default_rate"], term_loan = ["default_rate"] }\n')


def pricing_deal_text(keys: str = PRICING_KEYS, fragment: str | None = None) -> str:
    """The embedded deal with No. 12's pricing keys under its [pricing] table and the fragment at the end."""
    seeds = (ROOT / "seeds" / "iec_hsbc_ge.toml").read_text()
    head, sep, tail = seeds.partition("[pricing]\n")
    assert sep
    return head + sep + keys + tail + "\n" + (FRAGMENT.read_text() if fragment is None else fragment)


def pricing_deal(keys: str = PRICING_KEYS, fragment: str | None = None):
    return parse_deal(pricing_deal_text(keys, fragment).encode(), "pricing-blocks deal")


LIMIT_CAP = """
[[terms.max_limit]]
document = "amendment-12"
from = 2002-12-20
value = 1750000
citation = "made up: No. 12 keeps the Maximum Limit at $1,750,000"
[[terms.max_limit.steps]]
kind = "cap"
on_event = "default_notice"
value = 1000000
unless = ["shortfall_notice"]
unless_by = 2002-12-22
citation = "made up: at most $1,000,000 from the Default Notice"
"""


def limit_cap_deal():
    return pricing_deal(fragment=FRAGMENT.read_text() + LIMIT_CAP)
