"""Interpretation switches: which reading of an ambiguous clause is in force.

A caller names alternatives as "choice", "interpretation=choice", or a comma-separated list
of those; whatever is not named keeps its default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from udfs.deal.errors import TermsError
from udfs.deal.records import Deal


class Rules:
    """The chosen reading for every switchable interpretation of a deal."""

    __slots__ = ("chosen", "key", "asked")

    def __init__(self, chosen: dict[str, str], asked: frozenset = frozenset()):
        self.chosen = chosen
        self.key = tuple(sorted(chosen.items()))
        self.asked = asked  # the interpretations the caller chose (the others are at their defaults)

    def choice(self, name: str) -> str:
        return self.chosen[name]

    def pick(self, value):
        """Resolve a value that may depend on a reading: {interpretation = x, choice = value}."""
        if isinstance(value, dict) and "interpretation" in value:
            return value[self.chosen[value["interpretation"]]]
        return value


def defaults(deal: Deal) -> dict[str, str]:
    return {i.name: i.default for i in deal.interpretations if i.choices}


def _tokens(value, argument: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t for t in (p.strip() for p in value.replace(";", ",").split(",")) if t]
    if isinstance(value, Mapping):
        return [f"{k}={v}" for k, v in value.items() if v not in (None, "")]
    if isinstance(value, Iterable):
        tokens = []
        for item in value:
            if isinstance(item, (list, tuple)):  # a row of a range
                tokens.extend(_tokens(list(item), argument))
            elif item is not None:
                tokens.extend(_tokens(str(item), argument))
        return tokens
    raise TermsError(argument, f"{value!r} is not a rule name")


def default_rules(deal: Deal) -> Rules:
    """Every switchable reading at its default, made once per deal. Kept on the deal itself (its own
    __dict__): a cache keyed by id(deal) outlives the deal and answers for the next one at that id."""
    made = deal.__dict__.get("default_rules")
    if made is None:
        made = deal.__dict__["default_rules"] = Rules(defaults(deal))
    return made


def resolve(deal: Deal, value, argument: str = "rules") -> Rules:
    """Rules from caller input, checked against the deal's interpretations."""
    if value is None:
        return default_rules(deal)
    chosen = defaults(deal)
    by_choice = {c.lower(): (i.name, c) for i in deal.interpretations for c in i.choices}
    switchable = {i.name: i for i in deal.interpretations if i.choices}
    asked: dict[str, str] = {}  # interpretation -> the token that chose it: two different choices conflict
    for token in _tokens(value, argument):
        if "=" in token:
            name, _, choice = (p.strip() for p in token.partition("="))
            interp = switchable.get(name.lower())
            if interp is None:
                raise TermsError(argument, f"unknown interpretation {name!r}; known: {', '.join(switchable)}")
            match = {c.lower(): c for c in interp.choices}.get(choice.lower())
            if match is None:
                raise TermsError(argument, f"{choice!r} is not a choice of {name!r}: {', '.join(interp.choices)}")
            _choose(chosen, asked, interp.name, match, token, argument)
        else:
            found = by_choice.get(token.lower())
            if found is None:
                known = ", ".join(c for _, c in by_choice.values())
                raise TermsError(argument, f"unknown rule {token!r}; choose from {known}")
            _choose(chosen, asked, found[0], found[1], token, argument)
    return Rules(chosen, frozenset(asked))


def _choose(chosen: dict, asked: dict, name: str, choice: str, token: str, argument: str):
    earlier = asked.get(name)
    if earlier is not None and chosen[name] != choice:
        raise TermsError(argument, f"{earlier!r} and {token!r} both choose {name}; give one")
    asked[name] = token
    chosen[name] = choice


# The parts of a deal's data whose {interpretation = ...} maps a question can depend on: a term by name,
# the fees and fee rules, the severance letter, the pricing table (day count).
AREAS = ("fees", "severance", "pricing")


def readings_in(deal: Deal, visible, parts) -> list[str]:
    """The switchable readings the data of `parts` depends on: every {interpretation = ...} map found in
    them, counting only items of documents in `visible` (a reading of a document not counted is not in
    force). A part is a term's name (all its versions), a (term, version index) pair (the version in force
    on a day), or one of AREAS. In the deal's order of interpretations."""
    raw = deal.raw
    items: list = []
    for part in parts:
        if part == "fees":
            items += list(raw.get("fees", ())) + list(raw.get("fee_rules", ()))
        elif part in ("severance", "pricing"):
            items += [raw[part]] if part in raw else []
        elif isinstance(part, tuple):
            term, index = part
            items.append(raw.get("terms", {}).get(term, ())[index])
        else:
            items += list(raw.get("terms", {}).get(part, ()))
    found: set[str] = set()
    for item in items:
        if isinstance(item, Mapping) and item.get("document", None) not in (None, *visible):
            continue
        found.update(_maps(item))
    return [i.name for i in deal.interpretations if i.choices and i.name in found]


def _maps(value):
    """The interpretation names of the reading maps inside a value."""
    if isinstance(value, Mapping):
        if "interpretation" in value:
            yield value["interpretation"]
        for inner in value.values():
            yield from _maps(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _maps(inner)
