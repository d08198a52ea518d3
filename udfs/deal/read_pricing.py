"""Reading the borrowing base (components and reserves), the pricing (each facility's margin, the floor,
the cap, add-ons) and the prime rate table."""

from __future__ import annotations

from udfs.deal.checker import Reader
from udfs.deal.records import BORROWING_BASE_DEFAULT as BORROWING_BASE
from udfs.deal.records import DEDUCTION_INPUTS, FIRST_COMPONENT, TERM_KINDS, BorrowingBase, Component, Reserve
from udfs.deal.schema import NAME_PATTERN, F

# Inputs the borrowing base reads besides its components' figures: a component may not take their names.
_OTHER_INPUTS = (*DEDUCTION_INPUTS, "outstanding", "term_loan_reserve")


def read_borrowing_base(reader: Reader, raw, kinds: dict) -> BorrowingBase:
    """Components and reserves; records the kind of each term they name in `kinds` (rates are fractions,
    sublimits and reserves amounts); a term named twice must be of one kind."""
    section = reader.table(raw["borrowing_base"], "borrowing_base", "borrowing_base")
    components, reserves = [], []

    def kind_of(term, where, kind):
        reader.name(term, where, NAME_PATTERN)
        if kinds.get(term, kind) != kind:
            article = {"fraction": "a", "amount": "an", "date": "a"}
            reader.fail(where, f"{term!r} is {article.get(kinds[term], 'a')} {kinds[term]} term; here it must be "
                        f"{article[kind]} {kind}")
        kinds[term] = kind

    for where, item, _ in reader.tables(section["components"], "borrowing_base.components[]",
                                        "borrowing_base.components", nonempty=True):
        reader.name(item["id"], f"{where}.id", NAME_PATTERN)
        if not components and item["id"] != FIRST_COMPONENT:
            reader.fail(f"{where}.id", f"the first component is the one the receivables argument gives: its id must "
                        f"be {FIRST_COMPONENT!r}")
        if item["id"] in _OTHER_INPUTS or any(c.id == item["id"] for c in components):
            reader.fail(f"{where}.id", f"{item['id']!r} is already the name of an input")
        kind_of(item["rate_term"], f"{where}.rate_term", "fraction")
        if "sublimit_term" in item:
            kind_of(item["sublimit_term"], f"{where}.sublimit_term", "amount")
        components.append(Component(item["id"], item["label"], item["rate_term"], item.get("sublimit_term"),
                                    item["citation"]))
    for where, item, _ in reader.tables(section.get("reserves", []), "borrowing_base.reserves[]",
                                        "borrowing_base.reserves"):
        kind_of(item["term"], f"{where}.term", "amount")
        if any(r.term == item["term"] for r in reserves):
            reader.fail(f"{where}.term", f"{item['term']!r} is already a reserve")
        reserves.append(Reserve(item["term"], item["label"], item["citation"]))
    if components[0].rate_term != BORROWING_BASE.components[0].rate_term:
        reader.fail("borrowing_base.components[0].rate_term", f"receivables are lent against at "
                    f"{BORROWING_BASE.components[0].rate_term!r} (the term the engine asks for)")
    return BorrowingBase(tuple(components), tuple(reserves), section.get("citation", ""))


def term_field(raw, term: str) -> str:
    """Where a borrowing-base term is named, for an error about it."""
    section = raw.get("borrowing_base", {})
    for i, c in enumerate(section.get("components", [])):
        for key in ("rate_term", "sublimit_term"):
            if c.get(key) == term:
                return f"borrowing_base.components[{i}].{key}"
    for i, r in enumerate(section.get("reserves", [])):
        if r.get("term") == term:
            return f"borrowing_base.reserves[{i}].term"
    return "borrowing_base"


def read_pricing(reader: Reader, raw, facilities: dict) -> dict:
    pricing = reader.table(raw, "pricing", "pricing")
    margins = reader.named(pricing.get("margin_terms", {}), "pricing.margin_terms")
    for facility, term in margins.items():
        where = f"pricing.margin_terms.{facility}"
        reader.ref(facility, where, facilities, "facility")
        reader.name(term, where, NAME_PATTERN)
        if term in TERM_KINDS:
            reader.fail(where, f"{term!r} is not a margin")
    roles = {term: f"margin_terms.{facility}" for facility, term in margins.items()}
    for key in ("index_floor_term", "index_cap_term"):
        if key in pricing:
            where = f"pricing.{key}"
            reader.name(pricing[key], where, NAME_PATTERN)
            _pricing_role(reader, pricing[key], where, roles, margins)
    add_ons = reader.named(pricing.get("add_on_terms", {}), "pricing.add_on_terms")
    for facility, names in add_ons.items():
        where = f"pricing.add_on_terms.{facility}"
        reader.ref(facility, where, margins, "facility with a margin")
        for i, term in enumerate(reader.plain(names, F("names"), where)):
            reader.name(term, reader.join(where, i), NAME_PATTERN)
            _pricing_role(reader, term, reader.join(where, i), roles, margins, shared="add_on_terms.")
    if margins:
        missing = [f for f in facilities if f not in margins]
        if missing:
            reader.fail("pricing.margin_terms", f"no margin for facility {missing[0]!r}")
        if "day_count" not in pricing:
            reader.fail("pricing.day_count", "missing (360 or 365), needed with margin_terms")
    return raw


def _pricing_role(reader: Reader, term: str, where: str, roles: dict, margins: dict, shared: str = ""):
    """A pricing term has one role: a margin, the floor, the cap or an add-on (one add-on may serve several
    facilities); a term the engine asks for by name is none of them."""
    if not margins:
        reader.fail(where, "a floor, cap or add-on needs pricing.margin_terms")
    if term in TERM_KINDS:
        reader.fail(where, f"{term!r} is a term the engine reads for itself, not a rate")
    role = where.removeprefix("pricing.").split("[")[0]
    other = roles.setdefault(term, role)
    if other != role and not (shared and other.startswith(shared)):
        reader.fail(where, f"{term!r} is already pricing.{other}")


def read_prime(reader: Reader, raw) -> dict:
    prime = reader.table(raw, "prime", "prime")
    if prime["valid_through"] < prime["valid_from"]:
        reader.fail("prime.valid_through", f"{prime['valid_through']} is before valid_from {prime['valid_from']}")
    first = prime["rates"][0][0]
    if first > prime["valid_from"]:
        reader.fail("prime.rates[0]", f"the first rate starts {first}, after valid_from {prime['valid_from']}")
    for i, (day, _) in enumerate(prime["rates"]):
        if day > prime["valid_through"]:
            reader.fail(f"prime.rates[{i}]", f"{day} is after valid_through {prime['valid_through']}")
    return {**raw, "rates": [list(r) for r in prime["rates"]]}
