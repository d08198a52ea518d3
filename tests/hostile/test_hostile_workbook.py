"""Hostile deal text in the workbook: text is never code, and names compare exactly.

Every free-text field of the deal format (found from the schema, udfs.deal.reader.SCHEMA_TABLES,
so a field added later is covered) is filled with quotes, a formula payload, the cell machinery's
`{r}` and long text; the workbook must keep all of it in cells: no formula contains it, and
LibreOffice and Gnumeric recalculate every formula to the engine's stored value, with no error cell.

A second deal gives names that spreadsheet matching would misread: choices named with `*`, `?` and
`~` (wildcards and the escape in MATCH, SUMIF, COUNTIF), event labels with `*`, and two fee labels
that differ only in case (`=` and SUMIF ignore case). Recalculated, the workbook must still equal the
engine: formulas compare choice numbers, places and ids the generator assigns, or use EXACT.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
import workbook_helpers as H  # noqa: N812

from udfs.deal.reader import MAX_TEXT, SCHEMA_TABLES
from udfs.loading import parse_deal

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from fuzz_deal import dumps  # noqa: E402  (the TOML writer the deal fuzzing uses)

pytestmark = H.RECALCULATING

SEED = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"
MARK = "INJ"  # in every payload: a formula containing it carries deal text
# a string literal closed and reopened, a formula after it, the row placeholder, a sheet reference
PAYLOAD = "No. \"11\",\"" + MARK + " \"&SUM(40,2)&T(\"{r}'Q''!A1 {r}\")&\" ~*?<>= "
# Tables of name -> text with no section of their own in the schema (the rest are names or numbers)
TEXT_MAPS = {"term_labels", "interpretations[].choices"}
NAME_MAPS = {"pricing.margin_terms", "severance.plans"}


def _section(parent: str, key: str) -> str | None:
    base = key if parent == "file" else f"{parent}.{key}"
    for name in (base + "[]", base + ".NAME", base + ".NAME[]", base):
        if name in SCHEMA_TABLES:
            return name
    return None


def text_fields(node: dict, section: str = "file", path: tuple = ()):
    """(path, maximum length) of every free-text value in a deal's raw TOML, from the schema."""
    for key, spec in SCHEMA_TABLES[section].items():
        if key not in node:
            continue
        value = node[key]
        where = (*path, key)
        if section == "interpretations[]" and key == "default" and node.get("choices"):
            continue  # names one of the choices: not free text
        if spec.kind == "text":
            yield where, spec.high or MAX_TEXT
        elif spec.kind == "texts":
            yield from (((*where, i), MAX_TEXT) for i in range(len(value)))
        elif spec.kind in ("table", "tables"):
            sub = _section(section, key)
            name = key if section == "file" else f"{section}.{key}"
            if sub is None:
                assert name in TEXT_MAPS | NAME_MAPS, f"{name}: a table the test does not know"
                if name in TEXT_MAPS:
                    yield from (((*where, k), MAX_TEXT) for k in value)
            elif sub.endswith(".NAME[]"):
                for k, items in value.items():
                    for i, item in enumerate(items):
                        yield from text_fields(item, sub, (*where, k, i))
            elif sub.endswith("[]"):
                for i, item in enumerate(value):
                    yield from text_fields(item, sub, (*where, i))
            elif sub.endswith(".NAME"):
                for k, item in value.items():
                    yield from text_fields(item, sub, (*where, k))
            else:
                yield from text_fields(value, sub, where)


def _set(doc, path, value):
    for p in path[:-1]:
        doc = doc[p]
    doc[path[-1]] = value


def hostile_text_deal():
    raw = tomllib.loads(SEED.read_text())
    fields = list(text_fields(raw))
    assert len(fields) > 100  # every table of the seed was walked
    for n, (path, most) in enumerate(fields):  # as long as the field may be, up to a few hundred characters
        _set(raw, path, (f"{PAYLOAD}{n} " + "long text " * 30)[:most])
    return parse_deal(dumps(raw).encode(), "hostile-text.toml"), fields


def _rename_choices(raw, interpretation: str, renames: dict, default: str):
    interp = next(x for x in raw["interpretations"] if x["name"] == interpretation)
    interp["choices"] = {renames.get(k, k): v for k, v in interp["choices"].items()}
    interp["default"] = default


def hostile_names_deal():
    raw = tomllib.loads(SEED.read_text())
    # day count: "act*" (365) is the default; as a MATCH pattern it finds "actual/360" first
    day = {"actual/365": "act*"}
    _rename_choices(raw, "day_count", day, "act*")
    dc = raw["pricing"]["day_count"]
    raw["pricing"]["day_count"] = {day.get(k, k): v for k, v in dc.items()}
    # severance plan: "last~six" (in MATCH, ~s is a plain s: the pattern never finds itself)
    plans = {"first_six": "first?six", "last_six": "last~six", "seven_parts": "seven*"}
    _rename_choices(raw, "severance_installments", plans, "last~six")
    raw["severance"]["plan"] = {plans.get(k, k): v for k, v in raw["severance"]["plan"].items()}
    # two event labels alike but for case, each a pattern that matches the other
    raw["events"]["purchase_offer"]["label"] = "Offer*"
    raw["events"]["financing_commitment"]["label"] = "OFFER*"
    # two fees whose labels differ only in case
    raw["fees"][1]["label"] = raw["fees"][0]["label"].upper()
    return parse_deal(dumps(raw).encode(), "hostile-names.toml")


NAMES_INPUTS = {"events": {"financing_commitment": "2002-10-20", "purchase_offer": "2002-11-25"}}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    text_deal, fields = hostile_text_deal()
    names_deal = hostile_names_deal()
    text = H.build_file(root / "text.xlsx", deal=text_deal)
    live = H.build_file(root / "text_live.xlsx", flavor="live", deal=text_deal)
    names = H.build_file(root / "names.xlsx", NAMES_INPUTS, deal=names_deal)
    every = [text, names]
    recalc = {"libreoffice": H.recalculate(every, root / "recalc"),
              "gnumeric": H.recalculate_gnumeric(every, root / "gnumeric")}
    return {"text": text, "live": live, "names": names, "recalc": recalc, "fields": fields}


@pytest.mark.parametrize("flavor", ["text", "live"])
def test_no_formula_contains_deal_text(files, flavor):
    formulas = H.formula_cells(files[flavor])
    assert formulas
    carrying = [f"{s}!{c}: {f[:120]}" for (s, c), f in formulas.items() if MARK in f or "SUM(40" in f]
    assert carrying == []


def test_the_deal_text_is_in_cells_as_written(files):
    """The payload is not lost either: a document's short name and an event label read back verbatim."""
    texts = {v for v in H.values(files["text"]).values() if isinstance(v, str)}
    assert sum(PAYLOAD in t for t in texts) > 50
    assert any(t.startswith(f"after the term before {PAYLOAD}") for t in texts)  # a document's short name


@pytest.mark.parametrize("program", ["libreoffice", "gnumeric"])
@pytest.mark.parametrize("which", ["text", "names"])
def test_hostile_deal_recalculates_to_the_engine(files, which, program):
    path = files[which]
    H.recalculated_as_stored(path, files["recalc"][program][path])


@pytest.mark.parametrize("program", ["libreoffice", "gnumeric"])
def test_hostile_names_by_hand(files, program):
    """Worked from the deal as changed: the default day count "act*" is actual/365; the default plan
    "last~six" pays six installments (its number among the choices: 2); each of the two fees alike but
    for case keeps its own amounts in the fee chart (at most its total, and not the other's)."""
    recalc = files["recalc"][program][files["names"]]
    assert H.named(recalc, "DayCountBasis") == [365]
    assert H.named(recalc, "SwitchNo_severance_installments") == [2]
    assert H.named(recalc, "SevParts") == [6]
    seed = tomllib.loads(SEED.read_text())
    labels = [seed["fees"][0]["label"], seed["fees"][0]["label"].upper()]
    totals = [sum(i["amount"] for c in fee["components"] for i in c["installments"]) for fee in seed["fees"][:2]]
    got = H.values(recalc)
    head = max(int(c[1:]) for (sh, c), v in got.items() if sh == "Charts" and c[0] == "A" and v == "Due date")
    columns = {v: c[0] for (sh, c), v in got.items() if sh == "Charts" and c[1:] == str(head)}
    sums = [sum(v for (sh, c), v in got.items() if sh == "Charts" and c[0] == columns[label] and c[1:].isdigit()
                and int(c[1:]) > head and isinstance(v, (int, float))) for label in labels]
    assert sums[0] != sums[1]
    assert 0 < sums[0] <= totals[0] and 0 < sums[1] <= totals[1]
