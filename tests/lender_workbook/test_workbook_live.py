"""The live workbook, evaluated by the `formulas` package with the LSA_/SEV_ functions registered
(through the Excel layer, udfs.xlfuncs, as Classic xlwings would call them): every formula must
give the value the engine stored, for the default inputs and for changed inputs."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re

import numpy as np
import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812
from openpyxl.worksheet.formula import ArrayFormula

formulas = pytest.importorskip("formulas")
sh = pytest.importorskip("schedula")
X = pytest.importorskip("udfs.xlfuncs")

pytestmark = pytest.mark.filterwarnings("ignore")


def _cell(x):
    if x is sh.EMPTY:
        return None
    if isinstance(x, np.generic):
        return x.item()
    if type(x).__name__ == "XlError":
        return str(x)
    return x


def _grid(arg):
    """A `formulas` argument as Classic xlwings hands it over: a 2-D list, empty cells as None."""
    arr = np.asarray(getattr(arg, "value", arg), dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr.reshape(1, -1)
    return [[_cell(x) for x in row] for row in arr]


def _adapter(fn):
    def call(*args):
        out = fn(*[_grid(a) for a in args])
        if isinstance(out, list):
            return out[0][0] if len(out) == 1 and len(out[0]) == 1 else np.asarray(out, dtype=object)
        return out
    return call


@pytest.fixture(scope="module")
def registered():
    functions = formulas.get_functions()
    for name in X.__all__:
        if name.startswith(("LSA_", "SEV_", "TERMS_")):
            functions[name] = _adapter(getattr(X, name))
    logging.getLogger("schedula").setLevel(logging.CRITICAL)
    logging.getLogger("formulas").setLevel(logging.CRITICAL)
    return functions


def _stored(path):
    """{(sheet, cell, formula): stored value} of every formula cell; each cell of an array formula's
    range carries the array's formula (one call fills the whole column)."""
    wbf = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in wbf.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, ArrayFormula):
                    area = ws[c.value.ref]
                    for line in (area if isinstance(area, tuple) else ((area,),)):
                        for cell in line:
                            out[(ws.title, cell.coordinate, c.value.text)] = _value(wbv[ws.title][cell.coordinate])
                elif isinstance(c.value, str) and c.value.startswith("="):
                    out[(ws.title, c.coordinate, c.value)] = _value(wbv[ws.title][c.coordinate])
    return out


def _value(cell):
    v = cell.value
    if isinstance(v, dt.datetime):
        return (v - H.EPOCH).days
    if isinstance(v, dt.time):
        return 0
    return v


def _calculate(path, registered, inputs=None):
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate(inputs=inputs or {})
    book = path.name
    cells = {}
    for key, r in solution.items():  # an array formula's result is keyed by its whole range
        if not key.startswith(f"'[{book}]") or ":" not in key.partition("!")[2]:
            continue
        sheet, _, ref = key.partition("!")
        first, _, _ = ref.partition(":")
        values = np.asarray(getattr(r, "value", r), dtype=object)
        col, row0 = openpyxl.utils.cell.coordinate_from_string(first)
        for i, v in enumerate(values.reshape(values.shape[0], -1)[:, 0]):
            cells[f"{sheet}!{col}{row0 + i}"] = _cell(v)

    def value(sheet, coord):
        key = f"'[{book}]{sheet.upper()}'!{coord}"
        if key in cells:
            return cells[key]
        r = solution.get(key)
        return None if r is None else _cell(np.asarray(getattr(r, "value", r), dtype=object).ravel()[0])

    return value


def _compare(stored, value):
    bad = []
    for (sheet, coord, formula), want in stored.items():
        got = value(sheet, coord)
        if got in ("", None) and want in ("", None):
            continue
        if isinstance(got, (int, float)) and isinstance(want, (int, float)) and not isinstance(got, bool):
            ok = math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6)
        else:
            ok = got == want
        if not ok:
            bad.append(f"{sheet}!{coord}: {got!r} != {want!r} ({formula[:80]})")
    return bad[:20]


UDF = re.compile(r"\b(?:LSA|SEV|TERMS)_[A-Z_]+\(")


def _udf_calls(path) -> dict:
    """UDF calls per full recalculation, by sheet: a cell formula calls once per occurrence, an array
    formula once for its whole range."""
    calls: dict = {}
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                text = c.value.text if isinstance(c.value, ArrayFormula) else c.value
                if isinstance(text, str) and text.startswith("="):
                    calls[ws.title] = calls.get(ws.title, 0) + len(UDF.findall(text))
    return calls


def test_live_cells_call_the_functions(tmp_path):
    path = H.build_file(tmp_path / "live.xlsx", flavor="live")
    stored = _stored(path)
    calls = {f for (_, _, f) in stored if "LSA_" in f or "SEV_" in f}
    assert any("LSA_MAX_LIMIT(" in f and "Events" in f and "AmendedThrough" in f for f in calls)
    assert any("LSA_AVAILABILITY(" in f for f in calls)
    assert any("SEV_PAYMENT(" in f for f in calls)
    # the schedules' columns each call their function once, over the column's 92 dates
    cells = [k for k in stored if "LSA_MAX_LIMIT(" in k[2] and k[0] == "Borrowing Capacity"]
    assert len(cells) == 92 and len({k[2] for k in cells}) == 1


def test_live_workbook_makes_at_most_30_calls_a_recalculation(tmp_path):
    calls = _udf_calls(H.build_file(tmp_path / "live.xlsx", flavor="live"))
    # Borrowing Capacity: document, Maximum Limit, capacity, Overadvance limit, availability (one column each)
    assert calls["Borrowing Capacity"] == 5
    # Pricing: prime; per facility margin, rate, interest, and the margin as known before No. 11
    assert calls["Pricing"] == 1 + 2 * 4
    assert sum(calls.values()) <= 30, calls


def test_live_workbook_evaluates_to_the_stored_values(tmp_path, registered):
    path = H.build_file(tmp_path / "live.xlsx", flavor="live")
    assert _compare(_stored(path), _calculate(path, registered)) == []


def test_live_workbook_with_changed_inputs(tmp_path, registered):
    """Inputs changed in the model (as typed into the file) give the direct build's stored values."""
    overrides = {"receivables": 2200000, "letters_of_credit": 0, "term_loan_reserve": 250000,
                 "events": {"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-15",
                            "purchase_offer": "2002-10-20"},
                 "annual_salary": 240000, "offsets": [{"date": "2002-12-15", "amount": 12000}],
                 "rules": {"severance_installments": "seven_parts", "day_count": "actual/365"}}
    default = H.build_file(tmp_path / "live.xlsx", flavor="live")
    direct = H.build_file(tmp_path / "direct.xlsx", overrides, flavor="live")
    wb = openpyxl.load_workbook(default)
    inputs = {}
    for name, value in H.changes_for(overrides).items():
        sheet, _, coords = wb.defined_names[name].attr_text.partition("!")
        sheet = sheet.strip("'").upper()
        first, _, last = coords.replace("$", "").partition(":")
        if not last:
            inputs[f"'[live.xlsx]{sheet}'!{first}"] = _serial(value)
            continue
        ws = wb[wb.defined_names[name].attr_text.partition("!")[0].strip("'")]
        rows = ws[coords.replace("$", "")]
        for row_cells, row_value in zip(rows, list(value) + [None] * (len(rows) - len(value)), strict=True):
            pair = row_value if isinstance(row_value, (list, tuple)) else (row_value,)
            for c, v in zip(row_cells, list(pair) + [None] * (len(row_cells) - len(pair)), strict=True):
                inputs[f"'[live.xlsx]{sheet}'!{c.coordinate}"] = sh.EMPTY if v is None else _serial(v)
    got = _calculate(default, registered, inputs)
    bad = _compare(_stored(direct), got)
    assert bad == [], "\n".join(bad)


def _serial(value):
    if isinstance(value, dt.date):
        return float(H.serial(value))
    return value
