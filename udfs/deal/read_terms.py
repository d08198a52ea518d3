"""Reading the deal's documents, facilities and effective-dated terms (versions and their steps)."""

from __future__ import annotations

import datetime as dt
import difflib

from udfs.deal.checker import Reader, show, type_name
from udfs.deal.records import TERM_KINDS, Document, Step, Version


def read_documents(reader: Reader, raw) -> dict[str, Document]:
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


def read_facilities(reader: Reader, raw) -> dict:
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


def check_docref(reader: Reader, doc_id: str, where: str, docs: dict) -> Document:
    """A document that sets something: it must exist and its terms must be known."""
    reader.ref(doc_id, where, docs, "document")
    doc = docs[doc_id]
    if not doc.terms_known:
        reader.fail(where, f"{doc_id!r} has terms_known = false: it cannot set terms")
    return doc


def read_terms(reader: Reader, raw, docs: dict, events: dict, kinds: dict) -> dict:
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


def _term_value(reader: Reader, value, where: str, kind: str):
    if kind == "date":
        if not isinstance(value, dt.date):
            reader.fail(where, f"expected a date, found {type_name(value)} {show(value)}")
        return value
    if isinstance(value, dt.date):
        reader.fail(where, f"expected {'a fraction' if kind == 'fraction' else 'an amount'}, found a date")
    if kind == "fraction" and value > 1:
        reader.fail(where, f"{value:g} is not a fraction from 0 to 1 (write 85% as 0.85)")
    return value


def _read_versions(reader: Reader, name: str, raw_versions, docs: dict, events: dict, kind: str):
    versions = []
    seen = set()
    for where, item, raw in reader.tables(raw_versions, "terms.NAME[]", f"terms.{name}", nonempty=True):
        doc = check_docref(reader, item["document"], f"{where}.document", docs)
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


def _read_step(reader: Reader, step: dict, where: str, start, end, events: dict, kind: str) -> Step:
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
