"""Installments a rule generates, and dates that recur: one general piece per kind of clause.

A fee component lists its installments, or declares the rule that makes them (FeeSource):

- recurring: `amount` on each date of a calendar `recurrence` (RFC 5545, through dateutil's rrule) from
  `start` through `until`, or through the term's end in each view when `until` is left out;
- percent_of: `rate` x the value of a term on the date `on`, in the view (given the events), due on `due`
  (default: `on`);
- tiered: due on the date of `event`, at the amount of the first tier whose `through` is on or after
  that date (`otherwise` after the last); if the event has not happened, due on the term's last day in
  the view, at `otherwise`.

At load, each source becomes its candidate installments (every occurrence up to the latest date any view
can reach, one line for the others); in a view, `resolve` gives each its date, amount and whether it
counts (a recurrence past the term's end does not). A recurring deadline uses the same calendar.
"""

from __future__ import annotations

import datetime as dt

MAX_OCCURRENCES = 10_000  # a recurrence is a few dozen dates; far more is a mistake
SOURCE_KINDS = ("recurring", "percent_of", "tiered")


def rrule_args(rec: dict) -> dict:
    """A checked `recurrence` table as dateutil.rrule arguments (the keys are RFC 5545's, in lower case).
    dateutil is imported here: only reading a deal file generates dates, not answering."""
    from dateutil import rrule as rr

    args = {"freq": {"weekly": rr.WEEKLY, "monthly": rr.MONTHLY, "yearly": rr.YEARLY}[rec["freq"]],
            "interval": rec.get("interval", 1)}
    if "bymonthday" in rec:
        args["bymonthday"] = rec["bymonthday"]
    if "byweekday" in rec:
        args["byweekday"] = getattr(rr, rec["byweekday"])
    if "bymonth" in rec:
        args["bymonth"] = rec["bymonth"]
    return args


def occurrences(rec: dict, start: dt.date, until: dt.date) -> list[dt.date]:
    """The dates of the recurrence from `start` through `until`, both included (`start` counts only if it
    fits the rule, as in dateutil). More than MAX_OCCURRENCES raises ValueError."""
    from dateutil.rrule import rrule

    if until < start:
        return []
    rule = rrule(dtstart=dt.datetime.combine(start, dt.time()), until=dt.datetime.combine(until, dt.time()),
                 **rrule_args(rec))
    out = []
    for moment in rule:
        out.append(moment.date())
        if len(out) > MAX_OCCURRENCES:
            raise ValueError(f"gives more than {MAX_OCCURRENCES:,} dates")
    return out


def describe_recurrence(rec: dict) -> str:
    """The recurrence in words, for readers ("monthly on day -1" reads "monthly, on the last day")."""
    every = {"weekly": "week", "monthly": "month", "yearly": "year"}[rec["freq"]]
    n = rec.get("interval", 1)
    words = f"every {every}" if n == 1 else f"every {n} {every}s"
    if "bymonth" in rec:
        words += f", in month {rec['bymonth']}"
    if "bymonthday" in rec:
        day = rec["bymonthday"]
        words += (", on the last day" if day == -1 else f", on day {day}" if day > 0
                  else f", on the day {-day} from the month's end")
    if "byweekday" in rec:
        words += ", on " + {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
                            "SA": "Saturday", "SU": "Sunday"}[rec["byweekday"]]
    return words


def horizon(deal_terms: dict) -> dt.date:
    """The latest day any view's term can reach: the latest date any version or step of the Initial Term's
    end gives (an event can only end a term earlier). Recurrences that run to the term's end stop here."""
    dates = []
    for version in deal_terms.get("initial_term_end", ()):
        dates += [v for v in (version.value, *(s.value for s in version.steps)) if isinstance(v, dt.date)]
    return max(dates)


def candidates(source, horizon_day: dt.date) -> list[tuple[dt.date | None, float | None, str]]:
    """A source's installments as (date, amount, citation), known at load: every occurrence of a recurrence
    through `until` or the horizon; the one line of the others (its date and amount None where the view
    decides them)."""
    p = source.params
    if source.kind == "recurring":
        last = p.get("until", horizon_day)
        return [(day, p["amount"], source.citation) for day in occurrences(p["recurrence"], p["start"], last)]
    if source.kind == "percent_of":
        return [(p.get("due", p["on"]), None, source.citation)]
    return [(None, None, source.citation)]


def resolve(inst, view) -> tuple[dt.date, float, bool]:
    """An installment in a view: its scheduled date, its amount, and whether the view counts it (a
    recurrence that runs to the term's end counts only the dates on or before the view's end)."""
    source = inst.source
    if source is None:
        return inst.date, inst.amount, True
    p = source.params
    if source.kind == "recurring":
        return inst.date, inst.amount, "until" in p or inst.date <= view.end
    if source.kind == "percent_of":
        return inst.date, p["rate"] * term_value(view, p["term"], p["on"], inst.key), True
    day = view.events.get(p["event"])
    if day is None or (day > view.end and p.get("after_term") == "term_end"):  # due on the term's last day
        return view.end, p["otherwise"], True
    return day, tier_amount(p, day), True


def tier_amount(params: dict, day: dt.date) -> float:
    """The amount of the first tier whose `through` is on or after `day`; `otherwise` after the last."""
    for tier in params["tiers"]:
        if day <= tier["through"]:
            return tier["amount"]
    return params["otherwise"]


def term_value(view, term: str, day: dt.date, key: str) -> float:
    from udfs.deal.errors import NA, TermsError

    value = view.term(term).at(day.toordinal())
    if value is None:
        raise TermsError("fees", f"{key}: percent_of: {term} has no value on {day.isoformat()} {view.label}", NA)
    return value
