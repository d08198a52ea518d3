"""Reading a deal file (TOML) into the deal's checked, immutable records (udfs.deal.records).

A deal file that does not describe a deal is refused with the file, the field and the reason
(DealFileError), before any question is answered from it. Every table's accepted keys are declared
once, in SCHEMA_TABLES below (key -> kind, required, meaning): a key not declared there is refused with the
closest known key, so a typo never silently drops a term. docs/deal-format.md documents the same
table, and a test keeps the two equal. Only a deal read for the first time comes here: udfs.loading.deal_file
keeps what was read in a cache (udfs.deal.cache).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
import re
import tomllib
from collections import namedtuple

from udfs.deal import fee_sources
from udfs.deal.errors import DealFileError
from udfs.deal.records import BORROWING_BASE_DEFAULT as BORROWING_BASE
from udfs.deal.records import (
    DEDUCTION_INPUTS,
    ENGINE_READINGS,
    FIRST_COMPONENT,
    MAX_FILE_BYTES,
    TERM_KINDS,
    BorrowingBase,
    Component,
    Deadline,
    Deal,
    Document,
    FeeRule,
    FeeSource,
    Installment,
    Interpretation,
    Provision,
    Reserve,
    Severance,
    SeverancePlan,
    Step,
    Version,
    kinds_of_terms,
)

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
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
# Names other parts refer to: ids, events, facilities, terms, plans, interpretations.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")  # events and facilities are typed by users: lower case
_CHOICE = re.compile(r"[^\s,;=]+")  # a choice is typed as --rule NAME or name=choice

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
_DEADLINE_ENDINGS = {"replaced_by": "replaced", "deleted_by": "deleted", "mooted_by": "made moot"}


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return "a date-time"
    return {int: "an integer", float: "a number", str: "text", list: "a list", dict: "a table",
            dt.date: "a date", dt.time: "a time"}.get(type(value), type(value).__name__)


def _show(value) -> str:
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else repr(value)  # as written in TOML
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    """Checks raw TOML against SCHEMA_TABLES; every failure names the file, the field and the reason."""

    def __init__(self, path: str):
        self.path = path
        self.maps: list[tuple[str, F, dict]] = []  # reading maps, checked once interpretations are read

    def fail(self, where: str, reason: str):
        raise DealFileError(self.path, where, reason)

    # -- tables ------------------------------------------------------------------------------
    def table(self, raw, section: str, where: str, *, kind_params: str | None = None) -> dict:
        """A table checked against its section: no unknown key, every required key, each value's kind."""
        if not isinstance(raw, dict):
            self.fail(where, f"expected a table, found {_type_name(raw)}")
        fields = dict(SCHEMA_TABLES[section])
        if kind_params is not None:
            fields.update(SCHEMA_TABLES.get(f"{section} {kind_params}", {}))
        for key in raw:
            if key not in fields:
                self.unknown_key(where, key, fields, kind_params)
        out = {}
        for key, spec in fields.items():
            value = raw.get(key)
            if value is None:
                if spec.required:
                    self.fail(self.join(where, key), f"missing ({spec.doc})")
                continue
            out[key] = self.value(value, spec, self.join(where, key))
        return out

    def unknown_key(self, where: str, key: str, fields: dict, kind_params: str | None):
        self.name_text(key, self.join(where, key))
        close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
        other_kinds = [k.split(" ", 1)[1] for k in SCHEMA_TABLES if k.startswith("fee_rules[] ")
                       and key in SCHEMA_TABLES[k]]
        if kind_params is not None and other_kinds:
            self.fail(self.join(where, key), f"unknown key for a {kind_params} rule (it belongs to "
                      f"{' or '.join(other_kinds)})")
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(fields)}"
        self.fail(self.join(where, key), f"unknown key{hint}")

    @staticmethod
    def join(where: str, key) -> str:
        if isinstance(key, int):
            return f"{where}[{key}]"
        if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", key):
            key = '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'  # quoted as TOML would
        return f"{where}.{key}" if where else key

    def tables(self, raw, section: str, where: str, *, nonempty=False) -> list[tuple[str, dict, dict]]:
        """A list of tables: (where, checked, raw) for each."""
        items = self.items(raw, where, nonempty=nonempty)
        return [(self.join(where, i), self.table(item, section, self.join(where, i)), item)
                for i, item in enumerate(items)]

    def items(self, raw, where: str, *, nonempty=False) -> list:
        if not isinstance(raw, list):
            self.fail(where, f"expected a list, found {_type_name(raw)}")
        if nonempty and not raw:
            self.fail(where, "must not be empty")
        if len(raw) > MAX_LIST:
            self.fail(where, f"has {len(raw)} entries; at most {MAX_LIST:,}")
        return raw

    def named(self, raw, where: str, pattern=_NAME) -> dict:
        """A table of name -> value whose names other parts refer to."""
        if not isinstance(raw, dict):
            self.fail(where, f"expected a table, found {_type_name(raw)}")
        for key in raw:
            self.name(key, self.join(where, key), pattern)
        return raw

    # -- values ------------------------------------------------------------------------------
    def value(self, value, spec: F, where: str):
        if spec.readable and isinstance(value, dict):
            self.maps.append((where, spec, value))
            return value
        return self.plain(value, spec, where)

    def plain(self, value, spec: F, where: str):
        kind = spec.kind
        if kind in ("table", "tables"):  # checked by the caller, section by section
            expected = dict if kind == "table" else list
            if not isinstance(value, expected):
                self.fail(where, f"expected {'a table' if kind == 'table' else 'a list of tables'}, "
                          f"found {_type_name(value)}")
            return value
        if kind == "text":
            return self.text(value, where, spec.high or MAX_TEXT)
        if kind == "id":
            return self.name(value, where, _ID)
        if kind == "word":
            self.text(value, where)
            if value not in spec.choices:
                close = difflib.get_close_matches(value, spec.choices, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(where, f"{_show(value)} is not one of {', '.join(spec.choices)}{hint}")
            return value
        if kind == "date":
            return self.date(value, where)
        if kind == "bool":
            if not isinstance(value, bool):
                self.fail(where, f"expected true or false (without quotes), found {_show(value)}")
            return value
        if kind == "int":
            number = self.integer(value, where, spec.low, spec.high)
            if spec.choices and number not in spec.choices:
                self.fail(where, f"{number} is not one of {', '.join(map(str, spec.choices))}")
            return number
        if kind == "amount":
            return self.number(value, where, 0.0, spec.high if spec.high is not None else MAX_AMOUNT)
        if kind == "fraction":
            return self.fraction(value, where)
        if kind == "number_or_date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return self.date(value, where)
            return self.number(value, where, 0.0, MAX_AMOUNT)
        if kind == "texts":
            texts = tuple(self.text(v, self.join(where, i)) for i, v in enumerate(self.items(value, where)))
            self.once(texts, where)
            return texts
        if kind == "names":
            names = tuple(self.name(v, self.join(where, i), _ID if "/" not in str(v) else None)
                          for i, v in enumerate(self.items(value, where, nonempty=True)))
            self.once(names, where)
            return names
        if kind == "dates":
            dates = [self.date(v, self.join(where, i)) for i, v in enumerate(self.items(value, where, nonempty=True))]
            for i in range(1, len(dates)):
                if dates[i] <= dates[i - 1]:
                    self.fail(self.join(where, i), f"{dates[i]} is not after {dates[i - 1]}: dates must increase")
            return tuple(dates)
        if kind == "rate_rows":
            return self.rate_rows(value, where)
        raise AssertionError(kind)  # a kind the schema names but the reader lacks

    def once(self, entries, where: str, what: str = "") -> None:
        """No entry listed twice (entries compared by their TOML value)."""
        seen: dict[str, int] = {}
        for i, entry in enumerate(entries):
            key = repr(entry)
            if key in seen:
                self.fail(self.join(where, i), what.format(first=seen[key]) or f"{_show(entry)} is listed twice")
            seen[key] = i

    def text(self, value, where: str, most: int = MAX_TEXT) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected text, found {_type_name(value)} {_show(value)}")
        if not value.strip():
            self.fail(where, "must not be empty")
        size = len(value) if len(value) <= most // 2 else len(value.encode("utf-16-le")) // 2  # as a cell counts
        if size > most:
            why = "a spreadsheet cell's limit" if most == MAX_TEXT else "it is printed in page headers and footers"
            counted = "" if size == len(value) else " (as a spreadsheet counts them: UTF-16 units)"
            self.fail(where, f"is {size:,} characters long; at most {most:,} ({why}){counted}")
        bad = _BAD_CHARS.search(value)
        if bad:
            self.fail(where, f"contains the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}")
        return value

    def name_text(self, value, where: str):
        if isinstance(value, str) and (len(value) > MAX_NAME or _BAD_CHARS.search(value)):
            self.fail(where, f"{_show(value)} is not a usable name (at most {MAX_NAME} printable characters)")

    def name(self, value, where: str, pattern=_ID) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected a name, found {_type_name(value)} {_show(value)}")
        self.name_text(value, where)
        if pattern is not None and not pattern.fullmatch(value):
            allowed = ("lower-case letters, digits and '_', starting with a letter" if pattern is _NAME
                       else "letters, digits, '_', '.' and '-', starting with a letter or digit")
            self.fail(where, f"{_show(value)} is not a name: use {allowed}")
        if pattern is _ID and ".." in value:
            self.fail(where, f"{_show(value)} is not a name: '..' is not allowed")
        return value

    def date(self, value, where: str) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.fail(where, f"expected a date like 2002-11-15 (without quotes), found {_type_name(value)} "
                      f"{_show(value)}")
        if not FIRST_DATE <= value <= LAST_DATE:
            self.fail(where, f"{value} is outside {FIRST_DATE} to {LAST_DATE}")
        return value

    def integer(self, value, where: str, low, high) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"expected a whole number, found {_type_name(value)} {_show(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            if low == high:
                self.fail(where, f"must be {low:g}, found {_show(value)}")
            self.fail(where, f"must be from {low:g} to {high:g}, found {_show(value)}")
        return value

    def number(self, value, where: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"expected a number, found {_type_name(value)} {_show(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(where, f"must be a finite number, found {value!r}")
        if value < low:
            self.fail(where, f"must be at least {low:g}, found {_show(value)}")
        if value > high:  # compared before float(): an integer beyond a float's range is refused here
            self.fail(where, f"must be at most {high:g}, found {_show(value)}")
        return float(value)

    def fraction(self, value, where: str) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 1:
            self.fail(where, f"{_show(value)} is not a fraction from 0 to 1 (write 85% as 0.85)")
        return self.number(value, where, 0.0, 1.0)

    def rate_rows(self, value, where: str) -> tuple:
        rows, last = [], None
        for i, row in enumerate(self.items(value, where, nonempty=True)):
            rwhere = self.join(where, i)
            if not isinstance(row, list) or len(row) != 2:
                self.fail(rwhere, f"expected [date, rate], found {_show(row)}")
            day, rate = self.date(row[0], rwhere), self.fraction(row[1], rwhere)
            if last is not None and day <= last:
                self.fail(rwhere, "dates must increase")
            rows.append((day, rate))
            last = day
        return tuple(rows)

    def refs(self, names: tuple, where: str, known, what: str):
        for i, name in enumerate(names):
            self.ref(name, self.join(where, i), known, what)

    def ref(self, name, where: str, known, what: str):
        if name not in known:
            close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else (f"; known: {', '.join(map(str, known))}"
                                                                  if known else f"; the deal has no {what}s")
            self.fail(where, f"unknown {what} {_show(name)}{hint}")


# ------------------------------------------------------------------------------------- sections


def _read_documents(reader: _Reader, raw) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for where, item, _ in reader.tables(raw, "documents[]", "documents", nonempty=True):
        if item["id"] in docs:
            reader.fail(f"{where}.id", f"{item['id']!r} is used twice")
        docs[item["id"]] = Document(
            id=item["id"], short=item["short"], title=item["title"], date=item["date"],
            terms_known=item.get("terms_known", True), is_lsa=item.get("lsa", True), citation=item["citation"],
            changes=item.get("changes", ()),
        )
    if not any(d.has_terms for d in docs.values()):
        reader.fail("documents", "no document of the agreement (lsa) has terms_known = true")
    return docs


def _read_facilities(reader: _Reader, raw) -> dict:
    """Facilities by name; no name or alias (as a user types it) may point at two facilities."""
    facilities = {}
    owner: dict[str, str] = {}  # a name as typed (lower case, '_' as space) -> its facility
    for name, info in reader.named(raw, "facilities").items():
        where = f"facilities.{name}"
        item = reader.table(info, "facilities.NAME", where)
        aliases = item.get("aliases", ())
        for i, spoken in enumerate([name.replace("_", " ")] + [" ".join(a.lower().replace("_", " ").split())
                                                                for a in aliases]):
            if owner.setdefault(spoken, name) != name:
                field = where if i == 0 else f"{where}.aliases[{i - 1}]"
                reader.fail(field, f"{spoken!r} also names facility {owner[spoken]!r}")
        facilities[name] = info
    return facilities


def _check_docref(reader: _Reader, doc_id: str, where: str, docs: dict) -> Document:
    """A document that sets something: it must exist and its terms must be known."""
    reader.ref(doc_id, where, docs, "document")
    doc = docs[doc_id]
    if not doc.terms_known:
        reader.fail(where, f"{doc_id!r} has terms_known = false: it cannot set terms")
    return doc


def _read_terms(reader: _Reader, raw, docs: dict, events: dict, kinds: dict) -> dict:
    terms = {}
    for name, raw_versions in reader.named(raw, "terms").items():
        if name not in kinds:
            close = difflib.get_close_matches(name, list(kinds), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            reader.fail(f"terms.{name}", f"no part of the deal uses a term {name!r} (terms the engine asks for: "
                        f"{', '.join(TERM_KINDS)}; rates named in pricing){hint}")
        terms[name] = _read_versions(reader, name, raw_versions, docs, events, kinds[name])
    for required in TERM_KINDS:
        if required not in terms:
            reader.fail(f"terms.{required}", f"missing term ({TERM_KINDS[required]})")
    return terms


def _term_value(reader: _Reader, value, where: str, kind: str):
    if kind == "date":
        if not isinstance(value, dt.date):
            reader.fail(where, f"expected a date, found {_type_name(value)} {_show(value)}")
        return value
    if isinstance(value, dt.date):
        reader.fail(where, f"expected {'a fraction' if kind == 'fraction' else 'an amount'}, found a date")
    if kind == "fraction" and value > 1:
        reader.fail(where, f"{value:g} is not a fraction from 0 to 1 (write 85% as 0.85)")
    return value


def _read_versions(reader: _Reader, name: str, raw_versions, docs: dict, events: dict, kind: str):
    versions = []
    seen = set()
    for where, item, raw in reader.tables(raw_versions, "terms.NAME[]", f"terms.{name}", nonempty=True):
        doc = _check_docref(reader, item["document"], f"{where}.document", docs)
        if not doc.is_lsa:
            reader.fail(f"{where}.document", f"{doc.id!r} is not part of the agreement (lsa = false)")
        start, end = item["from"], item.get("to")
        if (doc.id, start) in seen:
            reader.fail(where, f"a second version from {doc.id!r} starting {start}")
        seen.add((doc.id, start))
        if end is not None and end < start:
            reader.fail(f"{where}.to", f"{end} is before 'from' {start}")
        if item.get("bounded_by") and name != "overadvance_limit":
            reader.fail(f"{where}.bounded_by", "only overadvance_limit can be bounded by the term loan reserve")
        value = _term_value(reader, item["value"], f"{where}.value", kind)
        steps = []
        for swhere, step, _ in reader.tables(raw.get("steps", []), "terms.NAME[].steps[]", f"{where}.steps"):
            steps.append(_read_step(reader, step, swhere, start, end, events, kind))
            dated = [s for s in steps if s.date is not None]  # steps dated by an event have no order to keep
            if steps[-1].date is None:
                if any(s.on_event == steps[-1].on_event and s.kind == steps[-1].kind for s in steps[:-1]):
                    reader.fail(f"{swhere}.on_event", f"two {steps[-1].kind} steps on {steps[-1].on_event}")
                continue
            if len(dated) > 1 and dated[-1].date < dated[-2].date:
                reader.fail(f"{swhere}.date", f"{dated[-1].date} is before the step above ({dated[-2].date}): "
                            "list steps in date order")
            if any(s.date == steps[-1].date and s.kind == steps[-1].kind for s in dated[:-1]):
                reader.fail(f"{swhere}.date", f"two {steps[-1].kind} steps on {steps[-1].date}")
        versions.append(Version(document=doc.id, start=start, end=end, value=value, citation=item["citation"],
                                steps=tuple(steps), bounded_by=item.get("bounded_by")))
    return tuple(sorted(versions, key=lambda v: docs[v.document].date))


def _read_step(reader: _Reader, step: dict, where: str, start, end, events: dict, kind: str) -> Step:
    date, on_event = step.get("date"), step.get("on_event")
    if (date is None) == (on_event is None):
        reader.fail(where if date is None else f"{where}.on_event",
                    "give the day the step takes effect: either `date` or `on_event` (an event), exactly one")
    if on_event is not None:
        reader.ref(on_event, f"{where}.on_event", events, "event")
        if "requires" in step or "late_delivery" in step:
            key = "requires" if "requires" in step else "late_delivery"
            reader.fail(f"{where}.{key}", "a step dated by an event (on_event) takes effect when it happens: "
                        "no 'requires' or 'late_delivery'")
    elif date < start or (end is not None and date > end):
        reader.fail(f"{where}.date", f"{date} is outside its version's dates ({start} to {end or 'open'})")
    for key in ("requires", "unless"):
        reader.refs(step.get(key, ()), f"{where}.{key}", events, "event")
    level_only, cap_only = ("requires", "late_delivery"), ("unless", "unless_by")
    wrong = [k for k in (cap_only if step["kind"] == "level" else level_only) if k in step]
    if wrong:
        reader.fail(f"{where}.{wrong[0]}", f"a {step['kind']} step takes no {wrong[0]!r} "
                    f"({'level' if wrong[0] in level_only else 'cap'} steps only)")
    if "late_delivery" in step and "requires" not in step:
        reader.fail(f"{where}.late_delivery", "only a step that requires events can be delivered late")
    if ("unless" in step) != ("unless_by" in step):
        missing = "unless_by" if "unless" in step else "unless"
        reader.fail(f"{where}.{missing}", "a step with 'unless' needs 'unless_by', and the other way round")
    if step.get("unless_by") is not None and date is not None and step["unless_by"] > date:
        reader.fail(f"{where}.unless_by", f"{step['unless_by']} is after the step's date {date}")
    if "value" not in step:
        if not (on_event is not None and kind == "date" and step["kind"] == "cap"):
            reader.fail(f"{where}.value", "missing (only a cap step of a date term dated by an event may leave it "
                        "out: the event's date is then the ceiling)")
        value = None
    else:
        value = _term_value(reader, step["value"], f"{where}.value", kind)
    return Step(kind=step["kind"], date=date, value=value,
                citation=step["citation"], requires=step.get("requires", ()),
                late_delivery=step.get("late_delivery", "effective_on_delivery"),
                unless=step.get("unless", ()), unless_by=step.get("unless_by"), on_event=on_event)


# Inputs the borrowing base reads besides its components' figures: a component may not take their names.
_OTHER_INPUTS = (*DEDUCTION_INPUTS, "outstanding", "term_loan_reserve")


def _read_borrowing_base(reader: _Reader, raw, kinds: dict) -> BorrowingBase:
    """Components and reserves; records the kind of each term they name in `kinds` (rates are fractions,
    sublimits and reserves amounts); a term named twice must be of one kind."""
    section = reader.table(raw["borrowing_base"], "borrowing_base", "borrowing_base")
    components, reserves = [], []

    def kind_of(term, where, kind):
        reader.name(term, where, _NAME)
        if kinds.get(term, kind) != kind:
            article = {"fraction": "a", "amount": "an", "date": "a"}
            reader.fail(where, f"{term!r} is {article.get(kinds[term], 'a')} {kinds[term]} term; here it must be "
                        f"{article[kind]} {kind}")
        kinds[term] = kind

    for where, item, _ in reader.tables(section["components"], "borrowing_base.components[]",
                                        "borrowing_base.components", nonempty=True):
        reader.name(item["id"], f"{where}.id", _NAME)
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


def _term_field(raw, term: str) -> str:
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


def _read_pricing(reader: _Reader, raw, facilities: dict) -> dict:
    pricing = reader.table(raw, "pricing", "pricing")
    margins = reader.named(pricing.get("margin_terms", {}), "pricing.margin_terms")
    for facility, term in margins.items():
        where = f"pricing.margin_terms.{facility}"
        reader.ref(facility, where, facilities, "facility")
        reader.name(term, where, _NAME)
        if term in TERM_KINDS:
            reader.fail(where, f"{term!r} is not a margin")
    roles = {term: f"margin_terms.{facility}" for facility, term in margins.items()}
    for key in ("index_floor_term", "index_cap_term"):
        if key in pricing:
            where = f"pricing.{key}"
            reader.name(pricing[key], where, _NAME)
            _pricing_role(reader, pricing[key], where, roles, margins)
    add_ons = reader.named(pricing.get("add_on_terms", {}), "pricing.add_on_terms")
    for facility, names in add_ons.items():
        where = f"pricing.add_on_terms.{facility}"
        reader.ref(facility, where, margins, "facility with a margin")
        for i, term in enumerate(reader.plain(names, F("names"), where)):
            reader.name(term, reader.join(where, i), _NAME)
            _pricing_role(reader, term, reader.join(where, i), roles, margins, shared="add_on_terms.")
    if margins:
        missing = [f for f in facilities if f not in margins]
        if missing:
            reader.fail("pricing.margin_terms", f"no margin for facility {missing[0]!r}")
        if "day_count" not in pricing:
            reader.fail("pricing.day_count", "missing (360 or 365), needed with margin_terms")
    return raw


def _pricing_role(reader: _Reader, term: str, where: str, roles: dict, margins: dict, shared: str = ""):
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


def _read_prime(reader: _Reader, raw) -> dict:
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


def _read_recurrence(reader: _Reader, raw, where: str) -> dict:
    rec = reader.table(raw, "recurrence", where)
    if rec.get("bymonthday") == 0:
        reader.fail(f"{where}.bymonthday", "0 is not a day of the month: use 1 to 31, or -1 for the last day")
    if "bymonthday" in rec and "byweekday" in rec:
        reader.fail(f"{where}.byweekday", "give bymonthday or byweekday, not both")
    if rec["freq"] == "weekly" and ("bymonthday" in rec or "bymonth" in rec):
        reader.fail(where, "a weekly recurrence takes byweekday, not bymonthday or bymonth")
    if rec["freq"] == "yearly" and "bymonthday" in rec and "bymonth" not in rec:
        reader.fail(f"{where}.bymonth", "missing: a yearly recurrence on a day of the month needs the month")
    return rec


def _recurring_dates(reader: _Reader, rec: dict, start, until, where: str) -> list:
    try:
        dates = fee_sources.occurrences(rec, start, until)
    except ValueError as exc:
        reader.fail(where, f"from {start} to {until} {exc}")
    if not dates:
        reader.fail(where, f"gives no date from {start} to {until}")
    return dates


def _read_source(reader: _Reader, comp: dict, cwhere: str, events: dict, terms: dict, kinds: dict):
    """A component's generating rule (FeeSource), checked: one of the source kinds, or None."""
    given = [k for k in ("installments", *fee_sources.SOURCE_KINDS) if k in comp]
    if not given:
        reader.fail(cwhere, "needs installments, or one of recurring, percent_of, tiered")
    if len(given) > 1:
        reader.fail(f"{cwhere}.{given[1]}", f"give one of installments, recurring, percent_of, tiered; {given[0]} "
                    "is already given")
    kind = given[0]
    if kind == "installments":
        return None
    where = f"{cwhere}.{kind}"
    params = reader.table(comp[kind], f"fees[].components[].{kind}", where)
    if kind == "recurring":
        params["recurrence"] = _read_recurrence(reader, params["recurrence"], f"{where}.recurrence")
        if "until" in params and params["until"] < params["start"]:
            reader.fail(f"{where}.until", f"{params['until']} is before start {params['start']}")
    elif kind == "percent_of":
        reader.ref(params["term"], f"{where}.term", terms, "term")
        if kinds.get(params["term"]) != "amount":
            reader.fail(f"{where}.term", f"{params['term']!r} is not an amount (a fee is a share of an amount)")
        if params.get("due", params["on"]) < params["on"]:
            reader.fail(f"{where}.due", f"{params['due']} is before `on` ({params['on']})")
    else:
        reader.ref(params["event"], f"{where}.event", events, "event")
        tiers, last = [], None
        for twhere, tier, _ in reader.tables(params["tiers"], "fees[].components[].tiered.tiers[]",
                                             f"{where}.tiers", nonempty=True):
            if last is not None and tier["through"] <= last:
                reader.fail(f"{twhere}.through", f"{tier['through']} is not after the tier above ({last})")
            last = tier["through"]
            tiers.append(tier)
        params["tiers"] = tuple(tiers)
    return FeeSource(kind, params, params["citation"])


def _read_fees(reader: _Reader, raw, docs: dict, events: dict | None = None, terms: dict | None = None,
               kinds: dict | None = None):
    events, terms, kinds = events or {}, terms or {}, kinds or {}
    installments, fees, fee_ids = [], [], set()
    if isinstance(raw, list) and len(raw) > MAX_FEES:
        reader.fail("fees", f"has {len(raw)} fees; at most {MAX_FEES} (the workbook's fee chart has a series a fee, "
                    "and a chart holds 255)")
    for where, fee, _ in reader.tables(raw, "fees[]", "fees"):
        if fee["id"] in fee_ids:
            reader.fail(f"{where}.id", f"{fee['id']!r} is used twice")
        fee_ids.add(fee["id"])
        doc = _check_docref(reader, fee["document"], f"{where}.document", docs)
        components, fee_total = set(), 0.0
        for cwhere, comp, _ in reader.tables(fee["components"], "fees[].components[]", f"{where}.components",
                                             nonempty=True):
            if comp["id"] in components:
                reader.fail(f"{cwhere}.id", f"{comp['id']!r} is used twice in this fee")
            components.add(comp["id"])
            total, last = 0.0, None
            source = _read_source(reader, comp, cwhere, events, terms, kinds)
            if source is not None:
                if "total" in comp or "total" in fee:
                    reader.fail(f"{cwhere}.total" if "total" in comp else f"{where}.total",
                                "a generated component's total depends on the view: leave total out")
                if source.kind == "recurring":  # refused by name before any date is generated
                    p = source.params
                    _recurring_dates(reader, p["recurrence"], p["start"],
                                     p.get("until", fee_sources.horizon(terms)), f"{cwhere}.recurring")
                made = fee_sources.candidates(source, fee_sources.horizon(terms))
                for day, amount, citation in made:
                    installments.append(Installment(
                        fee=fee["id"], component=comp["id"], key=f"{fee['id']}/{comp['id']}",
                        fee_label=fee["label"], component_label=comp["label"], document=doc.id, date=day,
                        amount=amount, citation=citation, source=source))
                continue
            for iwhere, inst, _ in reader.tables(comp["installments"], "fees[].components[].installments[]",
                                                 f"{cwhere}.installments", nonempty=True):
                if last is not None and inst["date"] <= last:
                    reader.fail(f"{iwhere}.date", f"{inst['date']} is not after the installment above ({last}): "
                                "one installment a date, in date order")
                last = inst["date"]
                total += inst["amount"]
                installments.append(Installment(
                    fee=fee["id"], component=comp["id"], key=f"{fee['id']}/{comp['id']}", fee_label=fee["label"],
                    component_label=comp["label"], document=doc.id, date=inst["date"], amount=inst["amount"],
                    citation=inst["citation"]))
            if "total" in comp and abs(total - comp["total"]) > 0.005:
                reader.fail(f"{cwhere}.total", f"installments add up to {total:,.2f}, not {comp['total']:,.2f}")
            fee_total += total
        if "total" in fee and abs(fee_total - fee["total"]) > 0.005:
            reader.fail(f"{where}.total", f"installments add up to {fee_total:,.2f}, not {fee['total']:,.2f}")
        fees.append(fee)
    return installments, fees


def _read_fee_rules(reader: _Reader, raw, docs: dict, events: dict, keys: set) -> list[FeeRule]:
    rules = []
    reader.once(reader.items(raw, "fee_rules"), "fee_rules", "the same rule as fee_rules[{first}]")
    for i, item in enumerate(raw):
        where = f"fee_rules[{i}]"
        if isinstance(item, dict) and item.get("kind") is not None:  # the kind decides which keys belong
            reader.plain(item["kind"], SCHEMA_TABLES["fee_rules[]"]["kind"], f"{where}.kind")
        kind = item.get("kind") if isinstance(item, dict) else None  # not a table: refused by reader.table
        rule = reader.table(item, "fee_rules[]", where, kind_params=kind)
        _check_docref(reader, rule["document"], f"{where}.document", docs)
        reader.refs(rule["components"], f"{where}.components", keys, "fee component (fee/component)")
        if "events" in rule:
            reader.refs(rule["events"], f"{where}.events", events, "event")
        for key in ("event", "or_event"):
            if key in rule:
                reader.ref(rule[key], f"{where}.{key}", events, "event")
        if "due_on" in rule and ("due_from" in rule or "due_to" in rule):
            reader.fail(f"{where}.due_on", "give due_on, or due_from and due_to, not both")
        if rule.get("due_to", dt.date.max) < rule.get("due_from", dt.date.min):
            reader.fail(f"{where}.due_to", f"{rule['due_to']} is before due_from {rule['due_from']}")
        params = {k: v for k, v in item.items() if k not in ("kind", "document", "components", "citation")}
        rules.append(FeeRule(rule["kind"], rule["document"], rule["components"], rule["citation"], params))
    return rules


def _read_deadlines(reader: _Reader, raw, docs: dict, events: dict, terms: dict | None = None) -> list[Deadline]:
    deadlines, ids = [], set()
    for where, item, _ in reader.tables(raw, "deadlines[]", "deadlines"):
        if item["id"] in ids:
            reader.fail(f"{where}.id", f"{item['id']!r} is used twice")
        ids.add(item["id"])
        doc = _check_docref(reader, item["document"], f"{where}.document", docs)
        endings = [key for key in _DEADLINE_ENDINGS if key in item]
        if len(endings) > 1:
            reader.fail(f"{where}.{endings[1]}", f"a requirement ends once; {endings[0]} is already given")
        ending = endings[0] if endings else None
        if ending:
            later = _check_docref(reader, item[ending], f"{where}.{ending}", docs)
            if later.date <= doc.date:
                reader.fail(f"{where}.{ending}", f"{later.id!r} ({later.date}) is not later than {doc.id!r} "
                            f"({doc.date})")
            if "change_citation" not in item:
                reader.fail(f"{where}.change_citation", f"missing: the clause of {later.id!r} that ended it")
        elif "change_citation" in item:
            reader.fail(f"{where}.change_citation", "given, but no replaced_by, deleted_by or mooted_by")
        reader.refs(item.get("met_by", ()), f"{where}.met_by", events, "event")
        if "met_when" in item and not item.get("met_by"):
            reader.fail(f"{where}.met_when", "given, but no met_by events")
        entry = Deadline(
            id=item["id"], date=item["date"], item=item["item"], section=item.get("section", ""),
            document=doc.id, citation=item["citation"], ended_by=item[ending] if ending else None,
            ended_how=_DEADLINE_ENDINGS.get(ending, ""), change_citation=item.get("change_citation", ""),
            met_by=tuple(item.get("met_by", ())), met_when=item.get("met_when", "all"))
        if "until" in item and "recurrence" not in item:
            reader.fail(f"{where}.until", "given, but no recurrence")
        if "recurrence" not in item:
            deadlines.append(entry)
            continue
        if item.get("met_by"):  # an event has one date: it cannot meet each occurrence
            reader.fail(f"{where}.met_by", "a recurring deadline is a date only: an event has one date, not one "
                        "an occurrence")
        rec = _read_recurrence(reader, item["recurrence"], f"{where}.recurrence")
        last = item.get("until", fee_sources.horizon(terms))
        if last < item["date"]:
            reader.fail(f"{where}.until", f"{last} is before the first date {item['date']}")
        dates = _recurring_dates(reader, rec, item["date"], last, f"{where}.recurrence")
        deadlines += [entry._replace(date=day, recurrence=rec, until=item.get("until"), occurrence=n)
                      for n, day in enumerate(dates, start=1)]
    return deadlines


def _read_provisions(reader: _Reader, raw, docs: dict) -> tuple[Provision, ...]:
    provisions, ids = [], set()
    for where, item, _ in reader.tables(raw, "provisions[]", "provisions"):
        if item["id"] in ids:
            reader.fail(f"{where}.id", f"{item['id']!r} is used twice")
        ids.add(item["id"])
        _check_docref(reader, item["document"], f"{where}.document", docs)
        provisions.append(Provision(item["id"], item["document"], item["title"], item["text"], item["citation"],
                                    item.get("kind", "other")))
    return tuple(provisions)


def _read_severance(reader: _Reader, raw, docs: dict) -> Severance:
    where = "severance"
    sev = reader.table(raw, "severance", where)
    if "document" in sev:
        _check_docref(reader, sev["document"], f"{where}.document", docs)
    if sev["months_of_salary"] <= 0:
        reader.fail(f"{where}.months_of_salary", "must be more than 0")
    for early, late in (("offset_from", "offset_through"), ("letter_date", "offset_through"),
                        ("letter_date", "salary_through")):
        if sev[late] < sev[early]:
            reader.fail(f"{where}.{late}", f"{sev[late]} is before {early} {sev[early]}")
    period = Severance(**{**sev, "plans": {}})
    plans = {}
    for name, plan_raw in reader.named(sev["plans"], f"{where}.plans").items():
        pwhere = f"{where}.plans.{name}"
        plan = reader.table(plan_raw, "severance.plans.NAME", pwhere)
        if len(plan["dates"]) != plan["parts"]:
            reader.fail(f"{pwhere}.dates", f"{len(plan['dates'])} dates for {plan['parts']} parts")
        for i, day in enumerate(plan["dates"]):
            if not period.in_payment_period(day):
                reader.fail(f"{pwhere}.dates[{i}]", f"{day} is outside the payment period {period.payment_period}")
        plans[name] = SeverancePlan(name, plan["parts"], tuple(plan["dates"]))
    if not plans:
        reader.fail(f"{where}.plans", "at least one installment plan is needed")
    if not isinstance(sev["plan"], dict):  # a reading map's plans: _check_plan_choices, after the maps
        reader.ref(sev["plan"], f"{where}.plan", plans, "plan")
    return period._replace(plans=plans)


def _check_plan_choices(reader: _Reader, severance: Severance):
    """Each choice of a reading map for the plan names a plan (checked once the maps are)."""
    if isinstance(severance.plan, dict):
        for choice, plan in severance.plan.items():
            if choice != "interpretation":
                reader.ref(plan, f"severance.plan.{choice}", severance.plans, "plan")


def _read_interpretations(reader: _Reader, raw) -> tuple[Interpretation, ...]:
    result, names, seen_choices = [], {}, {}
    for where, item, _ in reader.tables(raw, "interpretations[]", "interpretations"):
        name = item["name"]
        if name in names:
            reader.fail(f"{where}.name", f"{name!r} is defined twice")
        # the workbook names cells after it (Switch_<name>, '-' as '_'), and spreadsheet names ignore case
        alike = name.lower().replace("-", "_")
        other = next((n for n in names if n.lower().replace("-", "_") == alike), None)
        if other is not None:
            reader.fail(f"{where}.name", f"{name!r} is too like {other!r}: names must differ in more than case "
                        "or '-' for '_'")
        names[name] = where
        choices = item.get("choices", {})
        for choice, text in choices.items():
            cwhere = f"{where}.choices.{choice}"
            reader.name_text(choice, cwhere)
            if not _CHOICE.fullmatch(choice):
                reader.fail(cwhere, f"{choice!r} is not a choice name (no spaces, ',', ';' or '=')")
            reader.text(text, cwhere)
            if choice.lower() in seen_choices:
                reader.fail(cwhere, f"choice name also used by {seen_choices[choice.lower()]!r}")
            seen_choices[choice.lower()] = name
        if choices and item["default"] not in choices:
            reader.fail(f"{where}.default", f"{item['default']!r} is not one of its choices {list(choices)}")
        if choices and "how_to_vary" in item:
            reader.fail(f"{where}.how_to_vary", "only for a reading without choices (the choices are the way)")
        if not choices and "how_to_vary" not in item:
            reader.fail(f"{where}.how_to_vary", "missing: a reading without choices says what a user can do")
        engine = ENGINE_READINGS.get(name)
        if engine is not None and set(choices) != set(engine):
            reader.fail(f"{where}.choices", f"the engine reads {name!r} with the choices {', '.join(engine)}")
        result.append(Interpretation(
            name=name, default=item["default"], citation=item["citation"], question=item["question"],
            rationale=item["rationale"], choices=dict(choices), how_to_vary=item.get("how_to_vary", ""),
            title=item.get("title", "")))
    return tuple(result)


def _check_reading_maps(reader: _Reader, interps: dict):
    """Every {interpretation = ...} value names a switchable reading and gives a value for each choice."""
    for where, spec, node in reader.maps:
        name = node.get("interpretation")
        if not isinstance(name, str):
            reader.fail(f"{where}.interpretation", "missing: a reading map names its interpretation, "
                        "{interpretation = \"name\", choice = value, ...}")
        interp = interps.get(name)
        if interp is None or not interp.choices:
            switchable = [n for n, i in interps.items() if i.choices]
            if interp is not None:
                reader.fail(f"{where}.interpretation", f"{name!r} has no choices, so it cannot switch a value")
            reader.ref(name, f"{where}.interpretation", switchable, "switchable interpretation")
        for key in node:
            if key != "interpretation" and key not in interp.choices:
                reader.fail(reader.join(where, key), f"{key!r} is not a choice of {name!r}: "
                            f"{', '.join(interp.choices)}")
        missing = [c for c in interp.choices if c not in node]
        if missing:
            reader.fail(where, f"no value for choice(s) {sorted(missing)} of {name!r}")
        for choice in interp.choices:
            reader.plain(node[choice], spec, reader.join(where, choice))


# ------------------------------------------------------------------------------------- lines


_HEADER = re.compile(r"(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'("(?:[^"\\]|\\.)*"|[A-Za-z0-9_\-]+)\s*=')


def _header_parts(name: str) -> list[str]:
    return [p.strip().strip('"') for p in re.findall(r'"[^"]*"|[^.]+', name)]


def field_lines(text: str) -> dict[str, int]:
    """Best effort: the line where each table, array entry and key starts, by field path.

    Follows [table] and [[array]] headers (counting entries), `key =` lines, and the entries of a
    list written one per line; enough to point an error at its line in a deal file as people write it.
    """
    lines: dict[str, int] = {}
    counters: dict[str, int] = {}
    current, open_list, entry = "", None, 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if open_list is not None:
            if stripped.startswith(("{", "[", '"')) or re.match(r"\d", stripped):
                lines.setdefault(f"{open_list}[{entry}]", number)
                entry += 1
            if stripped.startswith("]"):
                open_list = None
            continue
        header = _HEADER.match(stripped)
        if header and not _KEY.match(stripped):
            path = ""
            parts = _header_parts(header.group(2))
            for i, part in enumerate(parts):
                path = _Reader.join(path, part)
                if i == len(parts) - 1 and header.group(1) == "[[":
                    lines.setdefault(path, number)
                    counters[path] = counters.get(path, -1) + 1
                    path = f"{path}[{counters[path]}]"
                elif path in counters:
                    path = f"{path}[{counters[path]}]"
            lines.setdefault(path, number)
            current = path
            continue
        key = _KEY.match(stripped)
        if key:
            name = key.group(1).strip('"')
            path = _Reader.join(current, name)
            lines.setdefault(path, number)
            rest = stripped[key.end():].split("#")[0].strip()
            if rest.startswith("[") and rest.count("[") > rest.count("]"):
                open_list, entry = path, 0
    return lines


def line_of(lines: dict[str, int], field: str) -> int | None:
    """The line of a field, or of the nearest enclosing one that has a line."""
    while field:
        if field in lines:
            return lines[field]
        cut = max(field.rfind("."), field.rfind("["))
        if cut <= 0:
            return None
        field = field[:cut]
    return None


# ------------------------------------------------------------------------------------- reading


def parse_toml(data: bytes, fail, what: str = "a deal file is a few hundred lines") -> dict:
    """TOML from a file's bytes, for deal files and inputs files alike: a size cap, UTF-8, the TOML error's
    line, nesting and integers too long to convert refused by `fail(where, reason)`, which raises."""
    if len(data) > MAX_FILE_BYTES:
        fail("(file)", f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        fail("(file)", f"not UTF-8 text (byte {exc.start + 1}, line {line}: {exc.reason})")
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.fullmatch(r"(.*) \(at (line \d+, column \d+|end of document)\)", str(exc))
        where = f" at {found.group(2)}" if found else ""
        fail("(file)", f"not valid TOML{where}: {found.group(1) if found else exc}")
    except RecursionError:
        fail("(file)", "nested too deeply (lists or tables inside each other)")
    except ValueError as exc:  # Python refuses to convert an integer of more than 4,300 digits
        fail("(file)", f"a number too long to read: {str(exc).split(':')[0]}")


def _parse_toml(reader: _Reader, data: bytes) -> dict:
    return parse_toml(data, reader.fail)


def read(data: bytes, path: str) -> Deal:
    """The deal a file describes, or a DealFileError naming the field, why, and its line in the file."""
    reader = _Reader(path)
    raw = _parse_toml(reader, data)
    try:
        return _read_deal(reader, raw, data, path)
    except DealFileError as exc:
        raise located(exc, data, path) from None


def located(exc: DealFileError, data: bytes, path: str) -> DealFileError:
    """The refusal with its field's line in the file, where the field has one (also for the proof that
    follows reading: udfs.loading.deal_file)."""
    line = line_of(field_lines(data.decode("utf-8")), exc.field)
    return exc if line is None else DealFileError(path, exc.field, f"{exc.reason} (line {line})")


def _read_deal(reader: _Reader, raw: dict, data: bytes, path: str) -> Deal:
    top = reader.table(raw, "file", "")
    deal = reader.table(raw["deal"], "deal", "deal")
    if "short_name" not in deal and len(deal["name"]) > MAX_SHORT_NAME:
        reader.fail("deal.short_name", f"missing: the name is {len(deal['name']):,} characters long, and page "
                    f"footers need a short name of at most {MAX_SHORT_NAME}")
    window = reader.table(raw["window"], "window", "window")
    interpretations = _read_interpretations(reader, raw.get("interpretations", []))
    docs = _read_documents(reader, raw["documents"])
    events = {}
    labels: dict[str, str] = {}
    for name, info in reader.named(raw.get("events", {}), "events").items():
        reader.table(info, "events.NAME", f"events.{name}")
        if info["label"] in labels:  # the workbook finds an event by its label: two alike would be one
            other = labels[info["label"]]
            reader.fail(f"events.{name}.label", f"{info['label']!r} is also the label of events.{other}")
        labels[info["label"]] = name
        events[name] = info
    facilities = _read_facilities(reader, raw.get("facilities", {}))
    parties = tuple(reader.tables(raw.get("parties", []), "parties[]", "parties"))
    reader.once([item for _, _, item in parties], "parties", "the same party as parties[{first}]")
    pricing = _read_pricing(reader, raw["pricing"], facilities) if "pricing" in top else {}
    kinds = kinds_of_terms(pricing)
    borrowing_base = _read_borrowing_base(reader, raw, kinds) if "borrowing_base" in top else BORROWING_BASE
    terms = _read_terms(reader, raw["terms"], docs, events, kinds)
    for term in borrowing_base.terms:
        reader.ref(term, _term_field(raw, term), terms, "term")
    for facility, term in pricing.get("margin_terms", {}).items():
        reader.ref(term, f"pricing.margin_terms.{facility}", terms, "term")
    for key in ("index_floor_term", "index_cap_term"):
        if key in pricing:
            reader.ref(pricing[key], f"pricing.{key}", terms, "term")
    for facility, names in pricing.get("add_on_terms", {}).items():
        reader.refs(names, f"pricing.add_on_terms.{facility}", terms, "term")
    for term, label in reader.named(raw.get("term_labels", {}), "term_labels").items():
        reader.ref(term, f"term_labels.{term}", terms, "term")
        reader.text(label, f"term_labels.{term}")
    prime = _read_prime(reader, raw["prime"]) if "prime" in top else {}
    if pricing.get("margin_terms") and not prime:
        reader.fail("prime", "missing: margins are added to the prime rate, so the deal needs a prime table")
    installments, fees = _read_fees(reader, raw.get("fees", []), docs, events, terms, kinds)
    fee_rules = _read_fee_rules(reader, raw.get("fee_rules", []), docs, events, {i.key for i in installments})
    deadlines = _read_deadlines(reader, raw.get("deadlines", []), docs, events, terms)
    provisions = _read_provisions(reader, raw.get("provisions", []), docs)
    severance = _read_severance(reader, raw["severance"], docs) if "severance" in top else None
    _check_reading_maps(reader, {i.name: i for i in interpretations})
    if severance is not None:
        _check_plan_choices(reader, severance)

    result = Deal(
        path=path, content_hash=hashlib.sha256(data).hexdigest(), raw=raw,
        id=deal["id"], name=deal["name"], short_name=deal.get("short_name", deal["name"]), version=deal["version"],
        window_start=window["start"], window_start_citation=window.get("start_citation", ""),
        documents=tuple(sorted(docs.values(), key=lambda d: d.date)),
        parties=tuple(item for _, _, item in parties), events=events, facilities=facilities,
        terms=terms, pricing=pricing, prime=prime, installments=tuple(installments), fees=tuple(fees),
        fee_rules=tuple(fee_rules), deadlines=tuple(sorted(deadlines, key=lambda d: (d.date, d.id))),
        severance=severance, interpretations=interpretations, borrowing_base=borrowing_base,
        provisions=provisions,
    )
    return result
