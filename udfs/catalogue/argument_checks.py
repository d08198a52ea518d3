"""What the terminal, and a build's inputs file, refuse before asking the catalogue: date forms for the
deal's currency, unknown names (with the closest known one), and event dates no deal could mean."""

from __future__ import annotations

import datetime as dt

from udfs.deal.errors import TermsError
from udfs.engine.values import as_date, as_facility, did_you_mean

HORIZON_YEARS = 50  # a date of something under the deal further than this after the window start is a typo


def _currency(deal) -> str:
    return str(deal.raw.get("deal", {}).get("currency", "")).upper()


def date_form(value, where: str, deal) -> dt.date:
    """ISO for every deal; US month/day/year only for a deal in USD (elsewhere 01/02 means 1 February)."""
    if isinstance(value, str) and "/" in value and _currency(deal) != "USD":
        raise TermsError(where, f"{value!r}: month/day/year is read only for a deal in USD; use YYYY-MM-DD")
    return as_date(value, where)


def dated(where: str, value, deal, horizon_years: int) -> dt.date:
    """A date of something that happened under the deal: not before its first document, and not
    more than `horizon_years` after its window starts."""
    day = date_form(value, where, deal)
    first = min(deal.documents, key=lambda d: d.date)
    if day < first.date:
        raise TermsError(where, f"{day.isoformat()} is before {first.title} ({first.date.isoformat()}), "
                         "the deal's first document")
    start = deal.window_start
    latest = start.replace(year=start.year + horizon_years) if not (start.month == 2 and start.day == 29) \
        else start.replace(year=start.year + horizon_years, day=28)
    if day > latest:
        raise TermsError(where, f"{day.isoformat()} is more than {horizon_years} years after the deal's "
                         f"window starts ({start.isoformat()})")
    return day


def within_horizon(where: str, day, deal, horizon_years: int):
    """Any date asked about: not before 1900-03-01 (spreadsheet serials are sound from there) and not more
    than `horizon_years` after the deal's window starts (9999-12-31 as a payment date is a typo)."""
    if not isinstance(day, dt.date):
        return day
    if day < dt.date(1900, 3, 1):
        raise TermsError(where, f"{day.isoformat()} is before 1900-03-01")
    start = deal.window_start
    latest = dt.date(start.year + horizon_years, start.month, 28 if start.month == 2 else start.day)
    if day > latest:
        raise TermsError(where, f"{day.isoformat()} is more than {horizon_years} years after the deal's "
                         f"window starts ({start.isoformat()})")
    return day


def event_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def event(name: str, when, deal, horizon_years: int) -> None:
    key = event_key(name)
    if key not in deal.events:
        raise TermsError("--event", f"unknown event {name!r}{did_you_mean(key, deal.events)}; "
                         f"known: {', '.join(deal.events)}")
    dated(f"--event {key}", when, deal, horizon_years)


def facility(value: str, deal) -> None:
    """The catalogue's own resolver: the terminal accepts exactly the facilities the catalogue does."""
    as_facility(value, deal)


def rules(values, deal) -> None:
    """Every --rule names a known choice or NAME=CHOICE; conflicts are the engine's to refuse."""
    switchable = {i.name: i for i in deal.interpretations if i.choices}
    choices = [c for i in switchable.values() for c in i.choices]
    for value in values:
        for token in (t.strip() for t in str(value).replace(";", ",").split(",")):
            if not token:
                continue
            if "=" in token:
                name, _, choice = (p.strip() for p in token.partition("="))
                interp = switchable.get(name.lower())
                if interp is None:
                    raise TermsError("--rule", f"unknown reading {name!r}{did_you_mean(name, switchable)}; "
                                     f"known: {', '.join(switchable)}")
                if choice.lower() not in (c.lower() for c in interp.choices):
                    raise TermsError("--rule", f"{choice!r} is not a choice of {interp.name}"
                                     f"{did_you_mean(choice, interp.choices)}; choose from "
                                     f"{', '.join(interp.choices)}")
            elif token.lower() not in (c.lower() for c in choices):
                hint = did_you_mean(token, choices) or did_you_mean(token, switchable)
                raise TermsError("--rule", f"unknown rule {token!r}{hint}; choose from {', '.join(choices)} "
                                 "(termbook eval --help lists them by reading)")
