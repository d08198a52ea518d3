"""Reading a deal file (TOML) into the deal's checked, immutable records (udfs.deal.records): the entry point.

A deal file that does not describe a deal is refused with the file, the field, the reason and the field's
line (DealFileError), before any question is answered from it. The format is declared once in
udfs.deal.schema (SCHEMA_TABLES, importable from here too); udfs.deal.checker checks each table against
it; the read_* modules read the sections (terms; pricing; fees; deadlines, provisions, severance and
interpretations); udfs.deal.lines finds a field's line. Only a deal read for the first time comes here:
udfs.loading.deal_file keeps what was read in a cache (udfs.deal.cache).
"""

from __future__ import annotations

import hashlib
import re
import tomllib

from udfs.deal.checker import Reader
from udfs.deal.errors import DealFileError
from udfs.deal.lines import field_lines, line_of
from udfs.deal.read_clauses import (
    check_plan_choices,
    check_reading_maps,
    read_deadlines,
    read_interpretations,
    read_provisions,
    read_severance,
)
from udfs.deal.read_fees import read_fee_rules, read_fees
from udfs.deal.read_pricing import read_borrowing_base, read_pricing, read_prime, term_field
from udfs.deal.read_terms import read_documents, read_facilities, read_terms
from udfs.deal.records import BORROWING_BASE_DEFAULT as BORROWING_BASE
from udfs.deal.records import MAX_FILE_BYTES, Deal, kinds_of_terms
from udfs.deal.schema import MAX_SHORT_NAME, MAX_TEXT, SCHEMA_TABLES

__all__ = ["MAX_TEXT", "SCHEMA_TABLES", "located", "parse_toml", "read"]  # the format's names, kept here


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


def _parse_toml(reader: Reader, data: bytes) -> dict:
    return parse_toml(data, reader.fail)


def read(data: bytes, path: str) -> Deal:
    """The deal a file describes, or a DealFileError naming the field, why, and its line in the file."""
    reader = Reader(path)
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


def _read_deal(reader: Reader, raw: dict, data: bytes, path: str) -> Deal:
    top = reader.table(raw, "file", "")
    deal = reader.table(raw["deal"], "deal", "deal")
    if "short_name" not in deal and len(deal["name"]) > MAX_SHORT_NAME:
        reader.fail("deal.short_name", f"missing: the name is {len(deal['name']):,} characters long, and page "
                    f"footers need a short name of at most {MAX_SHORT_NAME}")
    window = reader.table(raw["window"], "window", "window")
    interpretations = read_interpretations(reader, raw.get("interpretations", []))
    docs = read_documents(reader, raw["documents"])
    events = {}
    labels: dict[str, str] = {}
    for name, info in reader.named(raw.get("events", {}), "events").items():
        reader.table(info, "events.NAME", f"events.{name}")
        if info["label"] in labels:  # the workbook finds an event by its label: two alike would be one
            other = labels[info["label"]]
            reader.fail(f"events.{name}.label", f"{info['label']!r} is also the label of events.{other}")
        labels[info["label"]] = name
        events[name] = info
    facilities = read_facilities(reader, raw.get("facilities", {}))
    parties = tuple(reader.tables(raw.get("parties", []), "parties[]", "parties"))
    reader.once([item for _, _, item in parties], "parties", "the same party as parties[{first}]")
    pricing = read_pricing(reader, raw["pricing"], facilities) if "pricing" in top else {}
    kinds = kinds_of_terms(pricing)
    borrowing_base = read_borrowing_base(reader, raw, kinds) if "borrowing_base" in top else BORROWING_BASE
    terms = read_terms(reader, raw["terms"], docs, events, kinds)
    for term in borrowing_base.terms:
        reader.ref(term, term_field(raw, term), terms, "term")
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
    prime = read_prime(reader, raw["prime"]) if "prime" in top else {}
    if pricing.get("margin_terms") and not prime:
        reader.fail("prime", "missing: margins are added to the prime rate, so the deal needs a prime table")
    installments, fees = read_fees(reader, raw.get("fees", []), docs, events, terms, kinds)
    fee_rules = read_fee_rules(reader, raw.get("fee_rules", []), docs, events, {i.key for i in installments})
    deadlines = read_deadlines(reader, raw.get("deadlines", []), docs, events, terms)
    provisions = read_provisions(reader, raw.get("provisions", []), docs)
    severance = read_severance(reader, raw["severance"], docs) if "severance" in top else None
    check_reading_maps(reader, {i.name: i for i in interpretations})
    if severance is not None:
        check_plan_choices(reader, severance)

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
