"""Turning caller input into dates, amounts, events and offsets, or a clear TermsError."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping

from udfs.deal.errors import TermsError

# Date text in two forms only, nothing completed or guessed: ISO and US month/day/year.
DATE_FORMS = "YYYY-MM-DD or M/D/YYYY"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
# A plain number: digits with thousands separators only every three places, an optional decimal
# part and exponent, an optional leading sign or $.
_NUMBER = re.compile(r"[+-]?\$?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+|(?<=\d)\.?)(?:[eE][+-]?\d+)?", re.ASCII)
MAX_AMOUNT = 1e15  # no amount or rate in a credit agreement comes near: larger is a typo or garbage


def as_date(value, argument: str) -> dt.date:
    """A date from a date, a datetime or text; anything else is refused by name."""
    if type(value) is dt.date:  # fast path: the common case in column work
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return _date_text(value, argument)
    if value is None:
        raise TermsError(argument, "a date is required")
    raise TermsError(argument, f"{value!r} is not a date (got {type(value).__name__})")


def _date_text(value: str, argument: str) -> dt.date:
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _US_DATE.fullmatch(text)
        if not match:
            raise TermsError(argument, f"{value!r} is not a date (use {DATE_FORMS})")
        month, day, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise TermsError(argument, f"{value!r} is not a date: no such day") from None


def as_optional_date(value, argument: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_date(value, argument)


def as_amount(value, argument: str, *, default: float | None = None) -> float:
    """A finite, non-negative number of dollars (or a rate)."""
    if value is None:
        if default is None:
            raise TermsError(argument, "an amount is required")
        return default
    if type(value) is float or type(value) is int:  # fast path
        number = value
    elif isinstance(value, bool):
        raise TermsError(argument, f"{value!r} is not an amount")
    elif isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text and default is not None:
            return default
        if not _NUMBER.fullmatch(text):
            raise TermsError(argument, f"{value!r} is not a number (plain digits, e.g. 1234567.5 or 1,234,567.50)")
        number = float(text.replace(",", "").replace("$", ""))
        if abs(number) >= MAX_AMOUNT:  # typed text: a bound, so "1e308" is a typo, not a balance
            raise TermsError(argument, f"{value!r} is too large; amounts must be under 1e15")
    else:
        try:
            number = float(value)  # numpy scalars, Decimal
        except (TypeError, ValueError):
            raise TermsError(argument, f"{value!r} is not a number") from None
    if number != number or number in (math.inf, -math.inf):
        raise TermsError(argument, f"{value!r} is not a finite number")
    if number < 0:
        raise TermsError(argument, f"{value!r} is negative; amounts must be zero or more")
    return float(number)


_TRUE_WORDS = {"true", "yes", "1"}
_FALSE_WORDS = {"false", "no", "0"}


def as_flag(value, argument: str) -> bool:
    """TRUE or FALSE from a boolean, 1 or 0, or the text a terminal or a cell sends ("FALSE", "yes")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise TermsError(argument, f"{value!r} is not TRUE or FALSE")


def _pairs(value, argument: str) -> list[tuple]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (str, bytes)):
        raise TermsError(argument, f"{value!r} is not a list of pairs")
    pairs = []
    if not isinstance(value, Iterable):
        raise TermsError(argument, f"{value!r} is not a list of pairs")
    for row in value:
        if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
            raise TermsError(argument, f"{row!r} is not a pair")
        row = list(row)
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue  # blank row
        if len(row) != 2:
            raise TermsError(argument, f"{row!r} has {len(row)} values; expected 2")
        pairs.append((row[0], row[1]))
    return pairs


def as_events(value, known: Mapping, argument: str = "events") -> tuple[tuple[str, dt.date], ...]:
    """Events as a sorted tuple of (name, date); names must be known, each given once."""
    if value is None:
        return ()
    events: dict[str, dt.date] = {}
    for name, when in _pairs(value, argument):
        if not isinstance(name, str) or not name.strip():
            raise TermsError(argument, f"{name!r} is not an event name")
        key = name.strip().lower().replace(" ", "_").replace("-", "_")
        if key not in known:
            raise TermsError(argument, f"unknown event {name!r}{did_you_mean(key, known)}; known: {', '.join(known)}")
        when = as_optional_date(when, f"{argument}[{key}]")
        if when is None:
            continue  # named but not delivered
        if key in events and events[key] != when:
            raise TermsError(argument, f"event {key!r} given twice with different dates")
        events[key] = when
    return tuple(sorted(events.items()))


def as_collateral(value, components, argument: str = "collateral") -> dict[str, float]:
    """Collateral figures besides receivables as {component id: amount}; a component's name is its id, given
    exactly (lower case, as the deal spells it), once."""
    if value is None:
        return {}
    known = [c.id for c in components[1:]]
    out: dict[str, float] = {}
    for name, amount in _pairs(value, argument):
        if not isinstance(name, str) or not name.strip():
            raise TermsError(argument, f"{name!r} is not a collateral component")
        key = name.strip()
        if key == components[0].id:
            raise TermsError(argument, f"{key!r} is given by its own argument, not in {argument}")
        if key not in known:
            names = ", ".join(known) if known else "none: this deal lends against receivables only"
            raise TermsError(argument, f"unknown collateral component {name!r}{did_you_mean(key, known)}; "
                             f"known: {names}")
        if key in out:
            raise TermsError(argument, f"component {key!r} given twice")
        out[key] = as_amount(amount, f"{argument}[{key}]")
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ (did you mean 'x'?)" for the closest choice, or "" when none is close."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    starting = [c for c in choices if c.lower().startswith(word.lower())] if len(word.strip("-")) >= 2 else []
    if len(starting) == 1:  # a prefix of one choice only (--am for --amended-through): that one
        return f" (did you mean {starting[0]!r}?)"
    import difflib  # only a refusal needs it

    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


def facility_spellings(deal) -> dict[str, str]:
    """Each way a user may name a facility (its name or an alias, lower case, '_' as a space, spaces
    collapsed) -> the facility. Its label is for reading, not for typing."""
    spoken: dict[str, str] = {}
    for name, info in deal.facilities.items():
        for word in (name, *info.get("aliases", ())):
            spoken.setdefault(" ".join(str(word).lower().replace("_", " ").split()), name)
    return spoken


def as_facility(value, deal, argument: str = "facility") -> str:
    """The facility a user named, by its name ('_' or a space) or an alias, in any case and spacing, as
    the reader keeps them apart (udfs.deal.read_terms); a refusal names only words this accepts.
    The one resolver: the catalogue and the terminal's pre-check both call it."""
    spoken = facility_spellings(deal)
    use = " or ".join(repr(name.replace("_", " ")) for name in deal.facilities)
    if not isinstance(value, str) or not value.strip():
        raise TermsError(argument, f"{value!r} is not a facility; use {use}")
    text = " ".join(value.lower().replace("_", " ").split())
    name = spoken.get(text)
    if name is None:
        raise TermsError(argument, f"unknown facility {value!r}{did_you_mean(text, spoken)}; use {use}")
    if name not in deal.pricing.get("margin_terms", {}):
        raise TermsError(argument, f"facility {name!r} has no margin in this deal (pricing.margin_terms)")
    return name


def as_offsets(value, argument: str = "offsets") -> tuple[tuple[dt.date, float], ...]:
    """Offsets as a date-sorted tuple of (date, amount); amounts on the same date add up."""
    if value is None:
        return ()
    totals: dict[dt.date, float] = {}
    for when, amount in _pairs(value, argument):
        day = as_date(when, f"{argument} date")
        totals[day] = totals.get(day, 0.0) + as_amount(amount, f"{argument} amount on {day}")
    return tuple(sorted(totals.items()))
