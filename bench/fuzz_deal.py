"""Deal-file fuzzing: mutated copies of the embedded deal through the loader, questions and a build.

A deterministic generator (a seeded random.Random) writes mutated deal files: keys deleted,
renamed or retyped, array entries duplicated or reordered, extreme and non-finite numbers,
broken references, control characters, huge strings, garbage bytes, deep nesting. Each file
is run in-process: parse_deal, then a few catalogue questions on dates inside the view's
window, and for a sample of the files that load, a workbook build into memory.

Outcome per file:
  refused   DealFileError naming the file and a field (the wanted outcome for a bad file)
  vague     refused with an error that does not name the file and a field
  answered  loaded, every question answered with finite values, the sampled build written
  faulty    loaded, then a question on a valid date refused, or a non-finite answer: the
            loader let through a deal that cannot answer
  internal  any other exception (a crash)
A mutation marked "!" in its label (a control character, a huge text, a non-finite or negative or
absurd number, an unknown or renamed key, deep nesting) makes a file that must be refused; such a
file that loads is counted as "loaded that must be refused".

Run: python bench/fuzz_deal.py [CASES] [SEED]   (prints one summary line; -v lists the failures)
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
import random
import re
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parents[1] / "seeds" / "iec_hsbc_ge.toml"
CASES = 1200
BUILD_EVERY = 10  # build the workbook for every 10th file that loads

# ----------------------------------------------------------------------------------- TOML writer


def _key(key: str) -> str:
    return _string(key)


_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f\ud800-\udfff]')


def _escape(match) -> str:
    ch = match.group()
    if ch in '"\\':
        return "\\" + ch
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return "?"  # TOML cannot carry a lone surrogate
    return f"\\u{ord(ch):04X}"


def _string(text: str) -> str:
    return '"' + _ESCAPE.sub(_escape, text) + '"'


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def dumps(doc: dict) -> str:
    """A TOML document: one `key = inline value` line per top-level key."""
    return "\n".join(f"{_key(k)} = {_value(v)}" for k, v in doc.items()) + "\n"


# ------------------------------------------------------------------------------------ mutations

RETYPES = ["text", 7, 2.5, True, False, dt.date(2002, 11, 15), [1, 2], {"x": 1}, "", [], {}, -3]
EXTREMES = [math.nan, math.inf, -math.inf, 1e308, -1, -0.5, 10**30, 0, 85, 18, 6, 1.5, 2**63, 1e-300]
DATES = [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(9999, 12, 31), dt.date(2002, 9, 30),
         dt.date(2003, 6, 30), dt.date(2002, 12, 31), dt.date(2002, 10, 1)]
CONTROL = ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\ufffe", "\uffff", "\x0c", "\x08"]


def _paths(node, prefix=()):
    """Every (path, value) below node, depth first."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _set(doc, path, value):
    _get(doc, path[:-1])[path[-1]] = value


def _pick(rng, doc, test):
    found = [p for p, v in _paths(doc) if p and test(v)]
    return rng.choice(found) if found else None


def _is_leaf(v):
    return not isinstance(v, (dict, list))


def m_delete(rng, doc):
    path = _pick(rng, doc, lambda v: True)
    if path is None:
        return "noop"
    parent = _get(doc, path[:-1])
    del parent[path[-1]]
    return f"delete {path}"


def m_rename(rng, doc):
    path = _pick(rng, doc, lambda v: True)
    if path is None or not isinstance(path[-1], str):
        return "noop"
    parent = _get(doc, path[:-1])
    key = path[-1]
    i = rng.randrange(len(key))
    new = key[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz_") + key[i + 1:]
    if new in parent:
        return "noop"
    parent[new] = parent.pop(key)
    return f"!rename {path} -> {new}"  # an unknown key, or a name nothing refers to any more


def m_retype(rng, doc):
    path = _pick(rng, doc, lambda v: True)
    if path is None:
        return "noop"
    value = copy.deepcopy(rng.choice(RETYPES))
    _set(doc, path, value)
    return f"retype {path} = {value!r}"


def m_duplicate(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, list) and v)
    if path is None:
        return "noop"
    items = _get(doc, path)
    i = rng.randrange(len(items))
    items.insert(rng.randrange(len(items) + 1), copy.deepcopy(items[i]))
    return f"!duplicate {path}[{i}]"  # no list of a deal takes the same entry twice


def m_reorder(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, list) and len(v) > 1)
    if path is None:
        return "noop"
    rng.shuffle(_get(doc, path))
    return f"reorder {path}"


def m_extreme(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    if path is None:
        return "noop"
    value = rng.choice(EXTREMES)
    _set(doc, path, value)
    fraction = (path[:2] in (("severance", "late_rate"), ("prime", "rates"))
                or (path[0] == "terms" and path[1] in ("advance_rate", "margin_advances", "margin_term_loan")))
    bad = value in (-1, -0.5, 10**30, 2**63, 1e308) or not math.isfinite(value) or (fraction and value > 1)
    return f"{'!' if bad else ''}extreme {path} = {value!r}"


def m_date(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, dt.date))
    if path is None:
        return "noop"
    old = _get(doc, path)
    value = rng.choice(DATES + [old + dt.timedelta(days=rng.choice([-400, -40, -1, 1, 40, 400]))])
    _set(doc, path, value)
    return f"date {path} = {value}"


def m_reference(rng, doc):
    refs = ("document", "event", "or_event", "replaced_by", "deleted_by", "mooted_by", "interpretation",
            "requires", "unless", "events", "components", "bounded_by", "plan", "default")
    path = _pick(rng, doc, lambda v: isinstance(v, (str, list)))
    candidates = [p for p, v in _paths(doc) if p and any(r in p for r in refs) and isinstance(v, str)]
    if candidates:
        path = rng.choice(candidates)
    if path is None:
        return "noop"
    value = rng.choice(["no-such-thing", "amendment-12", "full_paymnt", "lsa", "amendment-1", "extension_fee",
                        "base_fee", "severance_installments", "keltic_commitment", ""])
    _set(doc, path, value)
    strict = (path[-1] in ("document", "event", "or_event", "replaced_by", "deleted_by", "mooted_by",
                           "interpretation", "bounded_by")
              or (isinstance(path[-1], int) and path[-2] in ("requires", "unless", "components", "events")
                  and path[0] in ("terms", "fee_rules"))
              or path[:2] == ("severance", "plan"))
    bad = value == "" or (strict and value in ("no-such-thing", "amendment-12", "full_paymnt"))
    return f"{'!' if bad else ''}reference {path} = {value!r}"


def m_control(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, str))
    if path is None:
        return "noop"
    old = _get(doc, path)
    i = rng.randrange(len(old) + 1)
    _set(doc, path, old[:i] + rng.choice(CONTROL) + old[i:])
    return f"!control {path}"


def m_huge_text(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, str))
    if path is None:
        return "noop"
    _set(doc, path, "x" * rng.choice([32_768, 40_000, 100_000]))
    return f"!huge text {path}"


def m_add_key(rng, doc):
    path = _pick(rng, doc, lambda v: isinstance(v, dict))
    target = _get(doc, path) if path else doc
    key = rng.choice(["extra", "valeu", "citaton", "notes", "to", "steps", "aliases"])
    if key in target:
        return "noop"
    target[key] = copy.deepcopy(rng.choice(RETYPES))
    return f"{'!' if key in ('extra', 'valeu', 'citaton', 'notes') else ''}add key {key} under {path}"


TREE_MUTATIONS = [m_delete, m_rename, m_retype, m_duplicate, m_reorder, m_extreme, m_date, m_reference,
                  m_control, m_huge_text, m_add_key]


def t_garbage(rng, text: bytes) -> bytes:
    i = rng.randrange(len(text))
    return text[:i] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12))) + text[i:]


def t_truncate(rng, text: bytes) -> bytes:
    return text[:rng.randrange(len(text))]


def t_deep(rng, text: bytes) -> bytes:
    depth = rng.choice([50, 200, 1000, 5000, 20000])  # "nested" is no key of a deal: always refused
    kind = rng.choice(["array", "table"])
    if kind == "array":
        nested = "[" * depth + "1" + "]" * depth
    else:
        nested = "{a = " * depth + "1" + "}" * depth
    return text + f"\nnested = {nested}\n".encode()


def t_bytes(rng, text: bytes) -> bytes:
    return rng.choice([b"", b"\xef\xbb\xbf" + text, b"\xff\xfe" + text, text.replace(b"\n", b"\r"),
                       bytes(rng.randrange(256) for _ in range(200)), b"\x00" * 1000])


TEXT_MUTATIONS = [t_garbage, t_truncate, t_deep, t_bytes]


def generate(cases: int = CASES, seed: int = 20021112):
    """(label, bytes) for `cases` mutated deal files, the same every run."""
    base_text = SEED_FILE.read_bytes()
    base = tomllib.loads(base_text.decode())
    assert tomllib.loads(dumps(base)) == base  # the writer round-trips the seed
    rng = random.Random(seed)
    for n in range(cases):
        if n % 12 == 11:
            mutate = rng.choice(TEXT_MUTATIONS)
            must = "!" if mutate is t_deep else ""
            yield f"{n}: {must}{mutate.__name__}", mutate(rng, base_text)
            continue
        doc = copy.deepcopy(base)
        labels = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            labels.append(rng.choice(TREE_MUTATIONS)(rng, doc))
        yield f"{n}: {'; '.join(labels)}", dumps(doc).encode()


# ------------------------------------------------------------------------------------- running


class Fault(Exception):
    """A loaded deal that cannot answer a sound question."""


def _finite(value, what):
    """Every number in an answer must be finite."""
    if isinstance(value, float) and not math.isfinite(value):
        raise Fault(f"{what} answered {value!r}")
    if isinstance(value, list):
        for v in value:
            _finite(v, what)


def ask(deal):
    """A few sound questions on dates inside the deal's window; TermsError here is the deal's fault."""
    from udfs.engine.errors import TermsError
    from udfs.engine.rules import resolve
    from udfs.engine.terms import Terms
    from udfs.functions import Catalogue

    terms = Terms(deal)
    cat = Catalogue(terms)

    def q(name, *args, **kwargs):
        try:
            value = getattr(cat, name)(*args, **kwargs)
        except TermsError as exc:
            raise Fault(f"{name}{args}: {exc}") from None
        _finite(value, name)
        return value

    try:
        view = terms.view(None, (), resolve(deal, None))
    except TermsError as exc:
        raise Fault(f"default view: {exc}") from None
    lo, hi = view.lo, view.hi
    days = sorted({lo, hi, (lo + hi) // 2})
    facilities = list(deal.pricing.get("margin_terms", {})) if isinstance(deal.pricing, dict) else []
    last_doc = max(d.date for d in deal.documents)
    at = dt.date.fromordinal(max(hi, last_doc.toordinal()))
    all_events = [[name, at] for name in deal.events]
    for ordinal in days:
        day = dt.date.fromordinal(ordinal)
        q("LSA_MAX_LIMIT", day)
        q("LSA_CAPACITY", day, 1_000_000.0, 50_000.0)
        if ordinal < hi:  # events delivered on the window's last day
            q("LSA_MAX_LIMIT", day, events=all_events)
        for facility in facilities:
            if deal.prime:
                q("LSA_RATE", day, facility)
    for doc in deal.documents:  # each view amended through a document with terms
        if doc.has_terms:
            try:
                early = terms.view(doc.date, (), resolve(deal, None))
            except TermsError as exc:
                raise Fault(f"view through {doc.id}: {exc}") from None
            for ordinal in sorted({early.lo, early.hi}):
                day = dt.date.fromordinal(ordinal)
                q("LSA_CAPACITY", day, 1_000_000.0, 50_000.0, amended_through=doc.date)
                q("LSA_AVAILABILITY", day, 1_000_000.0, 100_000.0, amended_through=doc.date)
                q("LSA_OVERADVANCE_LIMIT", day, 200_000.0, amended_through=doc.date)
    q("LSA_FEES_DUE", dt.date.fromordinal(lo), dt.date.fromordinal(hi))
    q("LSA_FEE_SCHEDULE")
    q("LSA_FEE_SCHEDULE", events=all_events)
    q("TERMS_INFO")
    if deal.severance is not None:
        sev = deal.severance
        q("SEV_SCHEDULE", 120_000.0, [[sev["offset_from"], 5_000.0]])


def build(deal):
    from workbook import inputs as inputs_mod
    from workbook.build import build as build_workbook
    from workbook.build import load_template

    template = load_template()
    values = inputs_mod.defaults(deal, template)
    build_workbook(deal, values, io.BytesIO(), "portable", template)


def run_case(label: str, data: bytes, build_it: bool) -> tuple[str, str]:
    from udfs.engine.deal import parse_deal
    from udfs.engine.errors import DealFileError, TermsError

    path = "fuzz/case.toml"
    try:
        deal = parse_deal(data, path)
    except DealFileError as exc:
        clear = str(exc).startswith(f"{path}: ") and exc.field and exc.reason
        return ("refused" if clear else "vague"), str(exc)
    except TermsError as exc:
        return "vague", str(exc)
    except Exception as exc:  # noqa: BLE001 - a crash is what we count
        return "internal", f"load: {type(exc).__name__}: {exc}"
    try:
        ask(deal)
        if build_it:
            build(deal)
    except Fault as exc:
        return "faulty", str(exc)
    except TermsError as exc:
        return "faulty", f"build: {exc}"
    except Exception as exc:  # noqa: BLE001
        return "internal", f"{type(exc).__name__}: {exc}"
    return "answered", ""


def run(cases: int = CASES, seed: int = 20021112, verbose: bool = False):
    counts: Counter = Counter()
    failures = []
    loaded = 0
    for label, data in generate(cases, seed):
        must_refuse = "!" in label
        build_it = False
        outcome, detail = run_case(label, data, False)
        if outcome == "answered":
            loaded += 1
            if loaded % BUILD_EVERY == 1:
                outcome, detail = run_case(label, data, True)
                build_it = True
        counts[outcome] += 1
        if outcome in ("answered", "faulty") and must_refuse:
            counts["wrongly_loaded"] += 1
            failures.append((label, "wrongly loaded", detail[:300], build_it))
        if outcome in ("vague", "faulty", "internal"):
            failures.append((label, outcome, detail[:300], build_it))
    if verbose:
        for failure in failures:
            print(json.dumps(failure, default=str))
    return counts, failures


def summary(counts: Counter, seconds: float) -> str:
    total = sum(counts[k] for k in ("refused", "vague", "answered", "faulty", "internal"))
    return (f"fuzz deal files: {total} cases, {counts['refused']} refused clearly, {counts['vague']} refused "
            f"vaguely, {counts['answered']} answered, {counts['faulty']} loaded but could not answer, "
            f"{counts['internal']} internal errors; {counts['wrongly_loaded']} loaded that must be refused "
            f"({seconds:.1f} s)")


def main(argv) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    cases = int(args[0]) if args else CASES
    seed = int(args[1]) if len(args) > 1 else 20021112
    start = time.perf_counter()
    counts, _ = run(cases, seed, verbose)
    print(summary(counts, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))
