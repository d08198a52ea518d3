"""Reading a deal file (TOML) into checked, immutable records.

A deal file that does not describe a deal is refused with the file, the field and the reason
(DealFileError), before any question is answered from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DealFileError

SCHEMA = 1
STEP_KINDS = ("level", "cap")
FEE_RULE_KINDS = ("waive_on_event", "waive_after_event", "waive", "redate")


@dataclass(frozen=True)
class Document:
    id: str
    short: str
    title: str
    date: dt.date
    terms_known: bool
    is_lsa: bool
    citation: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    kind: str  # "level" or "cap"
    date: dt.date
    value: Any
    citation: str
    requires: tuple[str, ...] = ()
    late_delivery: Any = "effective_on_delivery"  # or "lapse"; may be a choice map
    unless: tuple[str, ...] = ()
    unless_by: dt.date | None = None


@dataclass(frozen=True)
class Version:
    document: str
    start: dt.date
    end: dt.date | None
    value: Any
    citation: str
    steps: tuple[Step, ...] = ()
    bounded_by: str | None = None


@dataclass(frozen=True)
class Installment:
    fee: str
    component: str
    key: str  # "fee/component"
    fee_label: str
    component_label: str
    document: str
    date: dt.date
    amount: float
    citation: str


@dataclass(frozen=True)
class FeeRule:
    kind: str
    document: str
    components: tuple[str, ...]
    citation: str
    params: dict = field(default_factory=dict)


# How a later document can end a deadline: the key in the deal file and the word shown.
_DEADLINE_ENDINGS = {"replaced_by": "replaced", "deleted_by": "deleted", "mooted_by": "made moot"}


@dataclass(frozen=True)
class Deadline:
    id: str
    date: dt.date
    item: str
    section: str
    document: str
    citation: str
    ended_by: str | None   # the document that replaced, deleted or mooted the requirement
    ended_how: str         # "replaced", "deleted" or "made moot"
    change_citation: str


@dataclass(frozen=True)
class Interpretation:
    name: str
    default: str
    citation: str
    question: str
    rationale: str
    choices: dict  # choice name -> description; empty for a recorded reading without a switch
    how_to_vary: str = ""


@dataclass(frozen=True)
class Deal:
    path: str
    content_hash: str
    raw: dict
    id: str
    name: str
    short_name: str
    version: str
    window_start: dt.date
    window_start_citation: str
    documents: tuple[Document, ...]
    parties: tuple[dict, ...]
    events: dict  # name -> {label, citation}
    facilities: dict  # name -> {label, aliases}
    terms: dict  # term name -> tuple[Version, ...]
    pricing: dict
    prime: dict
    installments: tuple[Installment, ...]
    fees: tuple[dict, ...]
    fee_rules: tuple[FeeRule, ...]
    deadlines: tuple[Deadline, ...]
    severance: dict | None
    interpretations: tuple[Interpretation, ...]

    def document(self, doc_id: str) -> Document:
        return self._documents_by_id[doc_id]

    @cached_property
    def _documents_by_id(self) -> dict:
        return {d.id: d for d in self.documents}

    def interpretation(self, name: str) -> Interpretation:
        for interp in self.interpretations:
            if interp.name == name:
                return interp
        raise KeyError(name)


class _Reader:
    """Typed access to the raw TOML with errors that name the field."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, reason: str):
        raise DealFileError(self.path, where, reason)

    def table(self, parent: dict, key: str, where: str, *, required=True) -> dict:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{where}{key}", "missing table")
            return {}
        if not isinstance(value, dict):
            self.fail(f"{where}{key}", f"expected a table, found {type(value).__name__}")
        return value

    def array(self, parent: dict, key: str, where: str, *, required=True) -> list:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{where}{key}", "missing list")
            return []
        if not isinstance(value, list):
            self.fail(f"{where}{key}", f"expected a list, found {type(value).__name__}")
        return value

    def text(self, parent: dict, key: str, where: str, *, required=True, default="") -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{where}{key}", "missing text")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{where}{key}", f"expected non-empty text, found {value!r}")
        return value

    def date(self, parent: dict, key: str, where: str, *, required=True) -> dt.date | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{where}{key}", "missing date")
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.fail(f"{where}{key}", f"expected a date like 2002-11-15, found {value!r}")
        return value

    def number(self, parent: dict, key: str, where: str, *, minimum=0.0) -> float:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"{where}{key}", f"expected a number, found {value!r}")
        if value < minimum:
            self.fail(f"{where}{key}", f"must be at least {minimum}, found {value!r}")
        return float(value)

    def names(self, parent: dict, key: str, where: str, known: dict, what: str) -> tuple[str, ...]:
        values = self.array(parent, key, where, required=False)
        for i, name in enumerate(values):
            if name not in known:
                self.fail(f"{where}{key}[{i}]", f"unknown {what} {name!r}; known: {', '.join(known)}")
        return tuple(values)


def _step_value(reader: _Reader, raw: dict, where: str):
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float, dt.date)):
        reader.fail(f"{where}value", f"expected a number or a date, found {value!r}")
    if isinstance(value, (int, float)) and value < 0:
        reader.fail(f"{where}value", f"must not be negative, found {value!r}")
    return float(value) if isinstance(value, (int, float)) else value


def _read_versions(reader: _Reader, name: str, raw_versions, docs: dict, events: dict) -> tuple[Version, ...]:
    if not isinstance(raw_versions, list) or not raw_versions:
        reader.fail(f"terms.{name}", "expected a non-empty list of versions ([[terms.NAME]])")
    versions = []
    for i, raw in enumerate(raw_versions):
        where = f"terms.{name}[{i}]."
        doc = reader.text(raw, "document", where)
        if doc not in docs:
            reader.fail(f"{where}document", f"unknown document {doc!r}")
        start = reader.date(raw, "from", where)
        end = reader.date(raw, "to", where, required=False)
        if end is not None and end < start:
            reader.fail(f"{where}to", f"{end} is before 'from' {start}")
        steps = []
        for j, raw_step in enumerate(reader.array(raw, "steps", where, required=False)):
            swhere = f"{where}steps[{j}]."
            kind = reader.text(raw_step, "kind", swhere)
            if kind not in STEP_KINDS:
                reader.fail(f"{swhere}kind", f"{kind!r} is not one of {', '.join(STEP_KINDS)}")
            date = reader.date(raw_step, "date", swhere)
            if date < start or (end is not None and date > end):
                reader.fail(f"{swhere}date", f"{date} is outside its version's dates")
            unless_by = reader.date(raw_step, "unless_by", swhere, required=False)
            unless = reader.names(raw_step, "unless", swhere, events, "event")
            if unless and unless_by is None:
                reader.fail(f"{swhere}unless_by", "a step with 'unless' needs 'unless_by'")
            steps.append(Step(
                kind=kind, date=date, value=_step_value(reader, raw_step, swhere),
                citation=reader.text(raw_step, "citation", swhere),
                requires=reader.names(raw_step, "requires", swhere, events, "event"),
                late_delivery=raw_step.get("late_delivery", "effective_on_delivery"),
                unless=unless, unless_by=unless_by,
            ))
        versions.append(Version(
            document=doc, start=start, end=end, value=_step_value(reader, raw, where),
            citation=reader.text(raw, "citation", where),
            steps=tuple(sorted(steps, key=lambda s: s.date)),
            bounded_by=raw.get("bounded_by"),
        ))
    return tuple(sorted(versions, key=lambda v: docs[v.document].date))


def _read_interpretations(reader: _Reader, raw: dict) -> tuple[Interpretation, ...]:
    result, seen_choices = [], {}
    for i, item in enumerate(reader.array(raw, "interpretations", "", required=False)):
        where = f"interpretations[{i}]."
        name = reader.text(item, "name", where)
        choices = item.get("choices", {})
        if not isinstance(choices, dict):
            reader.fail(f"{where}choices", "expected a table of choice = description")
        default = reader.text(item, "default", where)
        if choices and default not in choices:
            reader.fail(f"{where}default", f"{default!r} is not one of its choices {list(choices)}")
        for choice in choices:
            if choice in seen_choices:
                reader.fail(f"{where}choices.{choice}", f"choice name also used by {seen_choices[choice]!r}")
            seen_choices[choice] = name
        result.append(Interpretation(
            name=name, default=default, citation=reader.text(item, "citation", where),
            question=reader.text(item, "question", where), rationale=reader.text(item, "rationale", where),
            choices=dict(choices), how_to_vary=item.get("how_to_vary", ""),
        ))
    names = [r.name for r in result]
    for name in names:
        if names.count(name) > 1:
            reader.fail("interpretations", f"{name!r} is defined twice")
    return tuple(result)


def _check_choice_maps(reader: _Reader, node, where: str, interps: dict):
    """Every {interpretation = ...} value must name a switchable interpretation and cover its choices."""
    if isinstance(node, dict):
        if "interpretation" in node:
            name = node["interpretation"]
            interp = interps.get(name)
            if interp is None or not interp.choices:
                reader.fail(f"{where}.interpretation", f"unknown or unswitchable interpretation {name!r}")
            missing = set(interp.choices) - set(node)
            if missing:
                reader.fail(where, f"no value for choice(s) {sorted(missing)} of {name!r}")
            return
        for key, child in node.items():
            if key != "interpretations":
                _check_choice_maps(reader, child, f"{where}.{key}" if where else key, interps)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _check_choice_maps(reader, child, f"{where}[{i}]", interps)


def parse_deal(data: bytes, path: str) -> Deal:
    reader = _Reader(path)
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        reader.fail("(file)", f"not UTF-8 text ({exc.reason})")
    except tomllib.TOMLDecodeError as exc:
        reader.fail("(file)", f"not valid TOML: {exc}")
    if raw.get("schema") != SCHEMA:
        reader.fail("schema", f"expected {SCHEMA}, found {raw.get('schema')!r}")
    deal = reader.table(raw, "deal", "")
    window = reader.table(raw, "window", "")

    docs = {}
    for i, item in enumerate(reader.array(raw, "documents", "")):
        where = f"documents[{i}]."
        doc = Document(
            id=reader.text(item, "id", where), short=reader.text(item, "short", where),
            title=reader.text(item, "title", where), date=reader.date(item, "date", where),
            terms_known=bool(item.get("terms_known", True)), is_lsa=bool(item.get("lsa", True)),
            citation=reader.text(item, "citation", where),
            changes=tuple(reader.array(item, "changes", where, required=False)),
        )
        if doc.id in docs:
            reader.fail(f"{where}id", f"{doc.id!r} is used twice")
        docs[doc.id] = doc

    events = reader.table(raw, "events", "", required=False)
    for name, info in events.items():
        reader.text(info if isinstance(info, dict) else {}, "label", f"events.{name}.")
    facilities = reader.table(raw, "facilities", "", required=False)
    for name, info in facilities.items():
        if not isinstance(info, dict):
            reader.fail(f"facilities.{name}", "expected a table with label and aliases")
        reader.text(info, "label", f"facilities.{name}.")

    terms_raw = reader.table(raw, "terms", "")
    terms = {name: _read_versions(reader, name, versions, docs, events) for name, versions in terms_raw.items()}
    for required_term in ("max_limit", "advance_rate", "overadvance_limit", "initial_term_end"):
        if required_term not in terms:
            reader.fail(f"terms.{required_term}", "missing term")
    for i, version in enumerate(terms["initial_term_end"]):
        if not isinstance(version.value, dt.date):
            reader.fail(f"terms.initial_term_end[{i}].value", "expected a date")

    pricing = reader.table(raw, "pricing", "", required=False)
    for facility, term in pricing.get("margin_terms", {}).items():
        if facility not in facilities:
            reader.fail(f"pricing.margin_terms.{facility}", "unknown facility")
        if term not in terms:
            reader.fail(f"pricing.margin_terms.{facility}", f"unknown term {term!r}")

    prime = reader.table(raw, "prime", "", required=False)
    if prime:
        reader.date(prime, "valid_from", "prime.")
        reader.date(prime, "valid_through", "prime.")
        rows = reader.array(prime, "rates", "prime.")
        last = None
        for i, row in enumerate(rows):
            if (not isinstance(row, list) or len(row) != 2 or not isinstance(row[0], dt.date)
                    or isinstance(row[1], bool) or not isinstance(row[1], (int, float))):
                reader.fail(f"prime.rates[{i}]", f"expected [date, rate], found {row!r}")
            if last is not None and row[0] <= last:
                reader.fail(f"prime.rates[{i}]", "dates must increase")
            if not 0 <= row[1] < 1:
                reader.fail(f"prime.rates[{i}]", f"rate {row[1]!r} is not a fraction (0.0425 = 4.25%)")
            last = row[0]

    installments, fees = [], []
    for i, fee in enumerate(reader.array(raw, "fees", "", required=False)):
        where = f"fees[{i}]."
        fee_id, doc = reader.text(fee, "id", where), reader.text(fee, "document", where)
        if doc not in docs:
            reader.fail(f"{where}document", f"unknown document {doc!r}")
        fees.append(fee)
        for j, comp in enumerate(reader.array(fee, "components", where)):
            cwhere = f"{where}components[{j}]."
            comp_id = reader.text(comp, "id", cwhere)
            total = 0.0
            for k, inst in enumerate(reader.array(comp, "installments", cwhere)):
                iwhere = f"{cwhere}installments[{k}]."
                amount = reader.number(inst, "amount", iwhere)
                total += amount
                installments.append(Installment(
                    fee=fee_id, component=comp_id, key=f"{fee_id}/{comp_id}",
                    fee_label=reader.text(fee, "label", where), component_label=reader.text(comp, "label", cwhere),
                    document=doc, date=reader.date(inst, "date", iwhere), amount=amount,
                    citation=reader.text(inst, "citation", iwhere),
                ))
            if "total" in comp and abs(total - reader.number(comp, "total", cwhere)) > 0.005:
                reader.fail(f"{cwhere}total", f"installments add up to {total:,.2f}, not {comp['total']:,.2f}")
    keys = {inst.key for inst in installments}

    fee_rules = []
    for i, rule in enumerate(reader.array(raw, "fee_rules", "", required=False)):
        where = f"fee_rules[{i}]."
        kind = reader.text(rule, "kind", where)
        if kind not in FEE_RULE_KINDS:
            reader.fail(f"{where}kind", f"{kind!r} is not one of {', '.join(FEE_RULE_KINDS)}")
        doc = reader.text(rule, "document", where)
        if doc not in docs:
            reader.fail(f"{where}document", f"unknown document {doc!r}")
        components = tuple(reader.array(rule, "components", where))
        for j, key in enumerate(components):
            if key not in keys:
                reader.fail(f"{where}components[{j}]", f"unknown fee component {key!r}")
        for ev_key in ("event", "or_event"):
            if ev_key in rule and rule[ev_key] not in events:
                reader.fail(f"{where}{ev_key}", f"unknown event {rule[ev_key]!r}")
        reader.names(rule, "events", where, events, "event")
        params = {k: v for k, v in rule.items() if k not in ("kind", "document", "components", "citation")}
        fee_rules.append(FeeRule(kind, doc, components, reader.text(rule, "citation", where), params))

    deadlines = []
    for i, item in enumerate(reader.array(raw, "deadlines", "", required=False)):
        where = f"deadlines[{i}]."
        for ref in ("document", *_DEADLINE_ENDINGS):
            if item.get(ref) is not None and item[ref] not in docs:
                reader.fail(f"{where}{ref}", f"unknown document {item[ref]!r}")
        endings = [key for key in _DEADLINE_ENDINGS if item.get(key) is not None]
        if len(endings) > 1:
            reader.fail(f"{where}{endings[1]}", f"a requirement ends once; {endings[0]} is already given")
        ending = endings[0] if endings else None
        deadlines.append(Deadline(
            id=reader.text(item, "id", where), date=reader.date(item, "date", where),
            item=reader.text(item, "item", where), section=reader.text(item, "section", where, required=False),
            document=reader.text(item, "document", where), citation=reader.text(item, "citation", where),
            ended_by=item[ending] if ending else None, ended_how=_DEADLINE_ENDINGS.get(ending, ""),
            change_citation=item.get("change_citation", ""),
        ))

    severance = raw.get("severance")
    if severance is not None:
        _check_severance(reader, severance)

    interpretations = _read_interpretations(reader, raw)
    _check_choice_maps(reader, raw, "", {i.name: i for i in interpretations})

    return Deal(
        path=path, content_hash=hashlib.sha256(data).hexdigest(), raw=raw,
        id=reader.text(deal, "id", "deal."), name=reader.text(deal, "name", "deal."),
        short_name=deal.get("short_name", deal.get("name", "")), version=reader.text(deal, "version", "deal."),
        window_start=reader.date(window, "start", "window."),
        window_start_citation=window.get("start_citation", ""),
        documents=tuple(sorted(docs.values(), key=lambda d: d.date)),
        parties=tuple(raw.get("parties", ())), events=events, facilities=facilities,
        terms=terms, pricing=pricing, prime=prime, installments=tuple(installments), fees=tuple(fees),
        fee_rules=tuple(fee_rules), deadlines=tuple(sorted(deadlines, key=lambda d: (d.date, d.id))),
        severance=severance, interpretations=interpretations,
    )


def _check_severance(reader: _Reader, sev: dict):
    where = "severance."
    for key in ("letter_date", "offset_from", "offset_through"):
        reader.date(sev, key, where)
    for key in ("months_of_salary", "late_rate", "late_grace_days", "late_basis_days"):
        reader.number(sev, key, where)
    plans = reader.table(sev, "plans", where)
    if not plans:
        reader.fail(f"{where}plans", "at least one installment plan is needed")
    for name, plan in plans.items():
        pwhere = f"{where}plans.{name}."
        dates = reader.array(plan, "dates", pwhere)
        parts = reader.number(plan, "parts", pwhere, minimum=1)
        if len(dates) != parts or not all(isinstance(d, dt.date) for d in dates) or dates != sorted(dates):
            reader.fail(f"{pwhere}dates", f"expected {parts:g} increasing dates")


def load_deal(path: str | Path) -> Deal:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DealFileError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None
    return parse_deal(data, str(path))


DEFAULT_DEAL_FILE = "iec_hsbc_ge.toml"
_default = None


def default_deal() -> Deal:
    """The embedded deal, shipped in the wheel as package data of `termbook_seeds`."""
    global _default
    if _default is None:
        resource = resources.files("termbook_seeds").joinpath(DEFAULT_DEAL_FILE)
        _default = parse_deal(resource.read_bytes(), f"seeds/{DEFAULT_DEAL_FILE}")
    return _default
