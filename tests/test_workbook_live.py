"""The live workbook, evaluated by the `formulas` package with the LSA_/SEV_ functions registered
(through the Excel layer, udfs.xlfuncs, as Classic xlwings would call them): every formula must
give the value the engine stored, for the default inputs and for changed inputs."""

from __future__ import annotations

import datetime as dt
import logging
import math

import numpy as np
import openpyxl
import pytest
import test_workbook_helpers as H  # noqa: N812

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
    wbf = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in wbf.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    v = wbv[ws.title][c.coordinate].value
                    if isinstance(v, dt.datetime):
                        v = (v - H.EPOCH).days
                    elif isinstance(v, dt.time):
                        v = 0
                    out[(ws.title, c.coordinate, c.value)] = v
    return out


def _calculate(path, registered, inputs=None):
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate(inputs=inputs or {})
    book = path.name

    def value(sheet, coord):
        r = solution.get(f"'[{book}]{sheet.upper()}'!{coord}")
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


def test_live_cells_call_the_functions(tmp_path):
    path = H.build_file(tmp_path / "live.xlsx", flavor="live")
    stored = _stored(path)
    calls = [f for (_, _, f) in stored if "LSA_" in f or "SEV_" in f]
    assert any(f.startswith("=LSA_MAX_LIMIT(") and "Events" in f and "AmendedThrough" in f for f in calls)
    assert any(f.startswith("=LSA_AVAILABILITY(") for f in calls)
    assert any("SEV_PAYMENT(" in f for f in calls)
    assert len(calls) > 500


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
