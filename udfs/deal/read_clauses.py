"""Reading deadlines, provisions, the severance letter (a Severance record) and the readings of
ambiguous clauses (interpretations, and the reading maps that name them)."""

from __future__ import annotations

from udfs.deal import fee_sources
from udfs.deal.checker import Reader
from udfs.deal.read_fees import read_recurrence, recurring_dates
from udfs.deal.read_terms import check_docref
from udfs.deal.records import ENGINE_READINGS, Deadline, Interpretation, Provision, Severance, SeverancePlan
from udfs.deal.schema import CHOICE_PATTERN, DEADLINE_ENDINGS


def read_deadlines(reader: Reader, raw, docs: dict, events: dict, terms: dict | None = None) -> list[Deadline]:
    deadlines, ids = [], set()
    for where, item, _ in reader.tables(raw, "deadlines[]", "deadlines"):
        if item["id"] in ids:
            reader.fail(f"{where}.id", f"{item['id']!r} is used twice")
        ids.add(item["id"])
        doc = check_docref(reader, item["document"], f"{where}.document", docs)
        endings = [key for key in DEADLINE_ENDINGS if key in item]
        if len(endings) > 1:
            reader.fail(f"{where}.{endings[1]}", f"a requirement ends once; {endings[0]} is already given")
        ending = endings[0] if endings else None
        if ending:
            later = check_docref(reader, item[ending], f"{where}.{ending}", docs)
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
            ended_how=DEADLINE_ENDINGS.get(ending, ""), change_citation=item.get("change_citation", ""),
            met_by=tuple(item.get("met_by", ())), met_when=item.get("met_when", "all"))
        if "until" in item and "recurrence" not in item:
            reader.fail(f"{where}.until", "given, but no recurrence")
        if "recurrence" not in item:
            deadlines.append(entry)
            continue
        if item.get("met_by"):  # an event has one date: it cannot meet each occurrence
            reader.fail(f"{where}.met_by", "a recurring deadline is a date only: an event has one date, not one "
                        "an occurrence")
        rec = read_recurrence(reader, item["recurrence"], f"{where}.recurrence")
        last = item.get("until", fee_sources.horizon(terms))
        if last < item["date"]:
            reader.fail(f"{where}.until", f"{last} is before the first date {item['date']}")
        dates = recurring_dates(reader, rec, item["date"], last, f"{where}.recurrence")
        deadlines += [entry._replace(date=day, recurrence=rec, until=item.get("until"), occurrence=n)
                      for n, day in enumerate(dates, start=1)]
    return deadlines


def read_provisions(reader: Reader, raw, docs: dict) -> tuple[Provision, ...]:
    provisions, ids = [], set()
    for where, item, _ in reader.tables(raw, "provisions[]", "provisions"):
        if item["id"] in ids:
            reader.fail(f"{where}.id", f"{item['id']!r} is used twice")
        ids.add(item["id"])
        check_docref(reader, item["document"], f"{where}.document", docs)
        provisions.append(Provision(item["id"], item["document"], item["title"], item["text"], item["citation"],
                                    item.get("kind", "other")))
    return tuple(provisions)


def read_severance(reader: Reader, raw, docs: dict) -> Severance:
    where = "severance"
    sev = reader.table(raw, "severance", where)
    if "document" in sev:
        check_docref(reader, sev["document"], f"{where}.document", docs)
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
    if not isinstance(sev["plan"], dict):  # a reading map's plans: check_plan_choices, after the maps
        reader.ref(sev["plan"], f"{where}.plan", plans, "plan")
    return period._replace(plans=plans)


def check_plan_choices(reader: Reader, severance: Severance):
    """Each choice of a reading map for the plan names a plan (checked once the maps are)."""
    if isinstance(severance.plan, dict):
        for choice, plan in severance.plan.items():
            if choice != "interpretation":
                reader.ref(plan, f"severance.plan.{choice}", severance.plans, "plan")


def read_interpretations(reader: Reader, raw) -> tuple[Interpretation, ...]:
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
            if not CHOICE_PATTERN.fullmatch(choice):
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


def check_reading_maps(reader: Reader, interps: dict):
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
