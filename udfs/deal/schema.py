"""The deal format, declared once: every table's accepted keys (SCHEMA_TABLES: key -> kind, required,
meaning) and the limits a value must keep. docs/deal-format.md documents the same table, and a test keeps
the two equal (tests/deal_format/test_deal_format_doc.py); udfs.deal.checker checks a file against it."""

from __future__ import annotations

import datetime as dt
import re
from collections import namedtuple

SCHEMA_VERSION = 1
STEP_KINDS = ("level", "cap")
FEE_RULE_KINDS = ("waive_on_event", "waive_after_event", "waive", "redate", "waive_unless_delivered",
                  "waive_if_delivered")
PROVISION_KINDS = ("covenant", "release", "reporting", "consent", "other")

# Limits: a deal file is a few hundred lines; anything far beyond these is a mistake or an attack.
MAX_TEXT = 32_767  # Excel's cell limit: longer text would be cut in the workbook
MAX_NAME = 64
MAX_AMOUNT = 1e15  # dollars
MAX_LIST = 10_000
MAX_SHORT_NAME = 60  # deal.short_name goes into every printed page's footer and, if need be, header (255 a piece)
MAX_FEES = 250  # the fee chart has one series a fee and one for waivers: a chart holds 255 series
FIRST_DATE, LAST_DATE = dt.date(1900, 3, 1), dt.date(2999, 12, 31)  # Excel's serials are sound from 1900-03-01
# Characters that have no place in a deal's text and break a workbook's XML or act on a terminal: C0
# controls except tab and newline, DEL, C1 controls, the bidirectional embeddings, overrides and isolates
# (they reorder the text shown after them), the non-characters U+FFFE/U+FFFF and lone surrogates.
BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
# Names other parts refer to: ids, events, facilities, terms, plans, interpretations.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")  # events and facilities are typed by users: lower case
CHOICE_PATTERN = re.compile(r"[^\s,;=]+")  # a choice is typed as --rule NAME or name=choice

BOUNDS = ("term_loan_reserve",)  # what else may bound a term's value (`bounded_by`)


class F(namedtuple("F", "kind required doc readable choices low high",
                   defaults=(False, "", False, (), None, None))):
    """One accepted key: its kind, whether it must be given, what it means (for the documentation);
    `readable`: may be a reading map {interpretation = "x", choice = value, ...}; `choices`: the texts
    accepted, for a kind "word"; `low`, `high`: bounds of a number (`high`, for a text: its most characters)."""

    __slots__ = ()


R = True  # required, for short lines below

# The accepted keys of every table, by section. Kinds: text (non-empty, at most 32,767 characters, no
# control characters), id (a name other parts refer to), date, bool, int (with bounds), amount (finite,
# 0 to 1e15), fraction (0 to 1), word (one of `choices`), number_or_date, texts (list of text), names
# (list of names), and table/tables (a table, a list of tables: described by their own section).
SCHEMA_TABLES: dict[str, dict[str, F]] = {
    "file": {
        "schema": F("int", R, f"format version; must be {SCHEMA_VERSION}", low=SCHEMA_VERSION, high=SCHEMA_VERSION),
        "deal": F("table", R, "the deal's name and identity"),
        "window": F("table", R, "where the encoded terms start"),
        "facilities": F("table", False, "the loan facilities, by name"),
        "events": F("table", False, "deliveries and other dated events that terms depend on, by name"),
        "parties": F("tables", False, "who is who (shown on the workbook's cover)"),
        "documents": F("tables", R, "the agreement and every amendment or letter, known or only recited"),
        "terms": F("table", R, "effective-dated terms, by name: each a list of versions"),
        "term_labels": F("table", False, "term name -> the defined name the documents use (explanations, workbook)"),
        "borrowing_base": F("table", False, "collateral components and reserves of Borrowing Capacity (default: "
                            "receivables at advance_rate, no reserve)"),
        "pricing": F("table", False, "which term is each facility's margin, and the day count"),
        "prime": F("table", False, "the default prime rate table"),
        "fees": F("tables", False, "fees and their installments"),
        "fee_rules": F("tables", False, "rules that waive or move fee installments"),
        "deadlines": F("tables", False, "dated requirements (covenants, deliveries)"),
        "provisions": F("tables", False, "clauses recorded for readers that no question computes"),
        "severance": F("table", False, "a severance letter's payments"),
        "interpretations": F("tables", False, "readings of ambiguous clauses, switchable or recorded"),
    },
    "deal": {
        "id": F("id", R, "short name used in file names (letters, digits, '_', '.', '-')"),
        "name": F("text", R, "full name of the agreement"),
        "short_name": F("text", False, "short name for headings and page footers, at most 60 characters (default: "
                        "name, which must then be that short)", high=MAX_SHORT_NAME),
        "version": F("text", R, "version of this data file"),
        "currency": F("word", False, "currency of every amount", choices=("USD",)),
        "borrower": F("text", False, "the borrower's name"),
        "agent": F("text", False, "the agent's name"),
        "citation": F("text", False, "where the parties are named"),
    },
    "window": {
        "start": F("date", R, "first date whose terms are in the documents; the window ends at the Initial Term's "
                   "end (terms.initial_term_end)"),
        "start_citation": F("text", False, "where the start comes from"),
    },
    "facilities.NAME": {
        "label": F("text", R, "name shown to readers"),
        "aliases": F("texts", False, "other names a user may type for the facility (no two facilities share one)"),
    },
    "events.NAME": {
        "label": F("text", R, "name shown to readers"),
        "citation": F("text", False, "the clause that names the event"),
        "ends_agreement": F("bool", False, "true if the event ends the agreement (a full payment): no document in "
                            "the view may be dated after it"),
    },
    "parties[]": {
        "name": F("text", R, "legal name"),
        "short": F("text", False, "short name"),
        "role": F("text", False, "role in the deal"),
        "citation": F("text", False, "where the party is named"),
    },
    "documents[]": {
        "id": F("id", R, "name other parts refer to"),
        "short": F("text", R, "short label (e.g. No. 11)"),
        "title": F("text", R, "title shown to readers"),
        "date": F("date", R, "signing (as of) date; documents count in date order"),
        "terms_known": F("bool", False, "false if only the date is known (recited); default true"),
        "lsa": F("bool", False, "false for a document outside the loan agreement (a letter); default true"),
        "citation": F("text", R, "where the document or its date comes from"),
        "changes": F("texts", False, "what the document changed, in our own words"),
    },
    "terms.NAME[]": {
        "document": F("id", R, "the document that wrote this version (its terms must be known)"),
        "from": F("date", R, "first day this version governs (may precede the document: retroactive)"),
        "to": F("date", False, "last day it governs (default: until a later version takes over)"),
        "value": F("number_or_date", R, "the value from `from` (an amount, a fraction or a date: see the term)"),
        "citation": F("text", R, "the clause"),
        "steps": F("tables", False, "dated changes inside this version"),
        "bounded_by": F("word", False, "an input that also bounds the value", choices=BOUNDS),
    },
    "terms.NAME[].steps[]": {
        "kind": F("word", R, "level: the value becomes `value`; cap: the value is at most `value`",
                  choices=STEP_KINDS),
        "date": F("date", False, "the day the step takes effect (inside its version's dates); give `date` or "
                  "`on_event`, not both"),
        "on_event": F("id", False, "instead of `date`: the event on whose date the step takes effect (never while it "
                      "is absent; an event before the version starts: from its start; after its end: never)"),
        "value": F("number_or_date", False, "the new value or ceiling (same kind as the term); left out on a cap "
                   "step of a date term dated by an event: the event's date (a term that ends on a notice)"),
        "citation": F("text", R, "the clause"),
        "requires": F("names", False, "level steps: events that must all be delivered"),
        "late_delivery": F("word", False, "level steps with `requires`: what a delivery after `date` does",
                           readable=True, choices=("effective_on_delivery", "lapse")),
        "unless": F("names", False, "cap steps: events that, all delivered by `unless_by`, cancel the cap"),
        "unless_by": F("date", False, "cap steps with `unless`: the delivery deadline"),
    },
    "borrowing_base": {
        "citation": F("text", False, "the clause that defines the borrowing base"),
        "components": F("tables", R, "the collateral, each lent against at its own rate; the first is receivables"),
        "reserves": F("tables", False, "amounts deducted from Borrowing Capacity, each an effective-dated term"),
    },
    "borrowing_base.components[]": {
        "id": F("id", R, "the figure's name, as users type it (the first component: receivables)"),
        "label": F("text", R, "name shown to readers"),
        "rate_term": F("id", R, "the term that is its advance rate (a fraction; none on a day: counts zero)"),
        "sublimit_term": F("id", False, "the term that caps what it adds (an amount; none on a day: no cap)"),
        "citation": F("text", R, "the clause"),
    },
    "borrowing_base.reserves[]": {
        "term": F("id", R, "the term that is the reserve's amount (none on a day: zero)"),
        "label": F("text", R, "name shown to readers"),
        "citation": F("text", R, "the clause"),
    },
    "pricing": {
        "margin_terms": F("table", False, "facility name -> the term that is its margin (a fraction)"),
        "libor_option": F("text", False, "whether a LIBOR option exists (for readers)"),
        "libor_citation": F("text", False, "the clause"),
        "day_count": F("int", False, "interest day count: 360 or 365 (required with margin_terms)", readable=True,
                       choices=(360, 365)),
        "index_floor_term": F("id", False, "the term that is a floor on the index (prime) rate (a fraction); on a "
                              "day it has no value: no floor"),
        "index_cap_term": F("id", False, "the term that is a cap on the index (prime) rate (a fraction); on a day it "
                            "has no value: no cap"),
        "add_on_terms": F("table", False, "facility name -> a list of terms added to its margin (fractions, e.g. a "
                          "Default Rate); on a day one has no value: nothing added"),
    },
    "prime": {
        "source": F("text", False, "where the rates come from"),
        "citation": F("text", R, "citation shown with each rate"),
        "valid_from": F("date", R, "first day the table answers"),
        "valid_through": F("date", R, "last day the table answers"),
        "rates": F("rate_rows", R, "[[date, rate], ...]: the first day each rate applies, dates increasing"),
    },
    "fees[]": {
        "id": F("id", R, "name fee rules refer to (with a component: fee/component)"),
        "label": F("text", R, "name shown to readers"),
        "document": F("id", R, "the document that set the fee"),
        "total": F("amount", False, "if given, must equal the sum of all its installments"),
        "citation": F("text", False, "the clause"),
        "components": F("tables", R, "the parts of the fee, each with installments"),
    },
    "fees[].components[]": {
        "id": F("id", R, "name within the fee"),
        "label": F("text", R, "name shown to readers"),
        "total": F("amount", False, "if given, must equal the sum of its installments"),
        "installments": F("tables", False, "when each amount is scheduled, dates increasing (or one of the "
                          "three rules below)"),
        "recurring": F("table", False, "an amount on each date of a calendar recurrence"),
        "percent_of": F("table", False, "a rate times a term's value on a date"),
        "tiered": F("table", False, "an amount tiered by the date of an event"),
    },
    "fees[].components[].recurring": {
        "amount": F("amount", R, "the amount due on each date"),
        "start": F("date", R, "the first day a date may fall on (it counts if it fits the recurrence)"),
        "recurrence": F("table", R, "the calendar rule (see Recurrences)"),
        "until": F("date", False, "the last day a date may fall on (default: the term's end in each view)"),
        "citation": F("text", R, "the clause"),
    },
    "fees[].components[].percent_of": {
        "rate": F("fraction", R, "the share of the term's value (1% is 0.01)"),
        "term": F("id", R, "the term (an amount), e.g. max_limit"),
        "on": F("date", R, "the date the term's value is taken, in the view and given the events"),
        "due": F("date", False, "the due date (default: `on`)"),
        "citation": F("text", R, "the clause"),
    },
    "fees[].components[].tiered": {
        "event": F("id", R, "the event whose date decides the tier and is the due date"),
        "tiers": F("tables", R, "tiers in date order: the first whose `through` is on or after the event's date"),
        "otherwise": F("amount", R, "the amount after the last tier, and if the event has not happened (then due "
                       "on the term's last day in the view)"),
        "after_term": F("word", False, "an event after the term's last day: event_date (default: due on it, at its "
                        "tier) or term_end (as if it had not happened: on the last day, at `otherwise`)",
                        choices=("event_date", "term_end")),
        "citation": F("text", R, "the clause"),
    },
    "fees[].components[].tiered.tiers[]": {
        "through": F("date", R, "the last day of the tier"),
        "amount": F("amount", R, "the amount if the event falls on or before `through`"),
    },
    "recurrence": {
        "freq": F("word", R, "how often: weekly, monthly or yearly (RFC 5545 FREQ)",
                  choices=("weekly", "monthly", "yearly")),
        "interval": F("int", False, "every n-th period (default 1)", low=1, high=52),
        "bymonthday": F("int", False, "day of the month, 1 to 31, or -1 for the last, -2 the one before, ...",
                        low=-31, high=31),
        "byweekday": F("word", False, "day of the week: MO, TU, WE, TH, FR, SA or SU",
                       choices=("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
        "bymonth": F("int", False, "month of the year, 1 to 12", low=1, high=12),
    },
    "fees[].components[].installments[]": {
        "date": F("date", R, "scheduled date"),
        "amount": F("amount", R, "amount in dollars"),
        "citation": F("text", R, "the clause"),
    },
    "fee_rules[]": {
        "kind": F("word", R, "what the rule does (see the kinds below)", choices=FEE_RULE_KINDS),
        "document": F("id", R, "the document that made the rule; rules apply in document order"),
        "components": F("names", R, "the fee components it applies to, as fee/component"),
        "citation": F("text", R, "the clause"),
        "due_on": F("date", False, "only installments due on this date as earlier rules left them"),
        "due_from": F("date", False, "only installments due on or after this date as earlier rules left them"),
        "due_to": F("date", False, "only installments due on or before this date as earlier rules left them"),
    },
    "fee_rules[] waive_on_event": {
        "events": F("names", R, "events; the first one delivered counts"),
        "delivered_by": F("date", R, "a delivery after this date waives nothing"),
    },
    "fee_rules[] waive_after_event": {
        "event": F("id", R, "the event (e.g. a full payment)"),
        "before": F("date", R, "the event waives only if it falls before this date"),
    },
    "fee_rules[] waive": {
        "scope": F("word", False, "all (default) or after_document: only installments scheduled after the "
                   "rule's document", readable=True, choices=("all", "after_document")),
    },
    "fee_rules[] redate": {
        "to": F("date", R, "the new due date"),
        "or_event": F("id", False, "an event that brings the due date forward to its own date"),
        "or_term_end": F("bool", False, "true: the term's last day in the view brings the due date forward too "
                         "(a term that events end early)"),
        "voids_earlier_waivers": F("bool", False, "true: waivers by earlier documents no longer apply to these "
                                   "installments", readable=True),
    },
    "fee_rules[] waive_unless_delivered": {
        "events": F("names", R, "events that must all be delivered"),
        "delivered_by": F("date", R, "the delivery deadline: unless all are delivered by it, the installments "
                          "are waived"),
    },
    "fee_rules[] waive_if_delivered": {
        "events": F("names", R, "events that must all be delivered"),
        "delivered_by": F("date", R, "the delivery deadline: if all are delivered by it, the installments are "
                          "waived"),
    },
    "deadlines[]": {
        "id": F("id", R, "unique name"),
        "date": F("date", R, "the deadline"),
        "item": F("text", R, "what is due, in our words"),
        "section": F("text", False, "the section of the agreement"),
        "document": F("id", R, "the document that set it"),
        "citation": F("text", R, "the clause"),
        "replaced_by": F("id", False, "a later document that replaced the requirement"),
        "deleted_by": F("id", False, "a later document that deleted it"),
        "mooted_by": F("id", False, "a later document that left it nothing to decide"),
        "change_citation": F("text", False, "the clause of that later document (required with one of the three)"),
        "met_by": F("names", False, "events whose delivery satisfies the requirement (leave out: a date only)"),
        "met_when": F("word", False, "with met_by: all (default): every event delivered; any: one is enough",
                      choices=("all", "any")),
        "recurrence": F("table", False, "the deadline recurs: `date` is the first day it may fall on (see "
                        "Recurrences)"),
        "until": F("date", False, "with recurrence: the last day (default: the term's end in each view)"),
    },
    "provisions[]": {
        "id": F("id", R, "unique name"),
        "document": F("id", R, "the document that has the clause"),
        "title": F("text", R, "a short heading"),
        "text": F("text", R, "what the clause says, in our words"),
        "citation": F("text", R, "the clause"),
        "kind": F("word", False, "covenant, release, reporting, consent or other (default)", choices=PROVISION_KINDS),
    },
    "severance": {
        "document": F("id", False, "the letter among the documents"),
        "employee": F("text", False, "the employee's name"),
        "employer": F("text", False, "the employer's name"),
        "letter_date": F("date", R, "the letter's date; payments are asked about from it"),
        "salary_through": F("date", R, "salary and benefits are paid through this date"),
        "salary_through_citation": F("text", False, "the clause"),
        "months_of_salary": F("amount", R, "months of salary paid in installments (more than 0, at most 120)",
                              high=120),
        "months_citation": F("text", R, "the clause"),
        "plan": F("id", R, "the installment plan (a name in plans)", readable=True),
        "plans": F("table", R, "installment plans by name"),
        "offset_from": F("date", R, "first day outside compensation counts"),
        "offset_through": F("date", R, "last day outside compensation counts; the payment period's end"),
        "offset_citation": F("text", R, "the clause"),
        "offset_order": F("word", R, "which installments an offset reduces first", readable=True,
                          choices=("earliest_first", "latest_first")),
        "late_rate": F("fraction", R, "yearly interest on a late installment (0.18 = 18%)"),
        "late_grace_days": F("int", R, "days after the due date before interest accrues", low=0, high=366),
        "late_basis_days": F("int", R, "days in the interest year (a positive integer, at most 366)", low=1,
                             high=366),
        "late_start": F("word", R, "interest runs from the due date or the grace's end", readable=True,
                        choices=("due_date", "grace_end")),
        "late_citation": F("text", False, "the clause"),
        "insurance_through": F("date", False, "insurance paid through"),
        "insurance_citation": F("text", False, "the clause"),
        "auto_lease_through": F("date", False, "auto lease paid through"),
        "auto_lease_citation": F("text", False, "the clause"),
        "outplacement_months": F("int", False, "months of outplacement offered", low=0, high=120),
        "outplacement_cap": F("amount", R, "the most outplacement counts for"),
        "election_citation": F("text", False, "the clause"),
        "transition_support_through": F("date", False, "transition support given through"),
        "transition_citation": F("text", False, "the clause"),
        "employment_agreement_date": F("date", False, "date of the employment agreement released"),
        "release_citation": F("text", False, "the clause"),
    },
    "severance.plans.NAME": {
        "parts": F("int", R, "number of installments", low=1, high=120),
        "dates": F("dates", R, "due dates, increasing, as many as parts, within letter_date..offset_through"),
    },
    "interpretations[]": {
        "name": F("id", R, "name used in reading maps and as name=choice"),
        "title": F("text", False, "a short heading in words (default: the name in words)"),
        "default": F("text", R, "the choice in force by default (one of choices), or the recorded reading"),
        "citation": F("text", R, "the clause read"),
        "question": F("text", R, "what is ambiguous, in our words"),
        "rationale": F("text", R, "why the default reading"),
        "choices": F("table", False, "choice name -> description; leave out for a reading without a switch"),
        "how_to_vary": F("text", False, "for a reading without a switch: what a user can do instead"),
    },
}

# How a later document can end a deadline: the key in the deal file and the word shown.
DEADLINE_ENDINGS = {"replaced_by": "replaced", "deleted_by": "deleted", "mooted_by": "made moot"}
