"""Helpers for the workbook tests: build, change inputs in a file, recalculate in LibreOffice, read cells.

(Not a test file: pytest does not collect it; the tests import it as `workbook_helpers`.)
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from udfs.loading import default_deal
from workbook import inputs as inputs_mod
from workbook.build import build, load_template

EPOCH = dt.datetime(1899, 12, 30)
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
ERRORS = ("#N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!", "Err:")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def ssconvert() -> str | None:
    return shutil.which("ssconvert")


def make_inputs(overrides: dict | None = None, deal=None):
    deal = deal or default_deal()
    values = inputs_mod.defaults(deal, load_template(), today=dt.date(2002, 12, 31))
    if overrides:
        values = inputs_mod.apply(values, deal, overrides, "test")
    return values


def build_file(path: Path, overrides: dict | None = None, flavor: str = "portable", deal=None) -> Path:
    deal = deal or default_deal()
    with open(path, "wb") as handle:
        build(deal, make_inputs(overrides, deal), handle, flavor)
    return path


def recalculate(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """One LibreOffice run converts (and, with this profile, recalculates) every file."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, paths)],
                       check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = {p: outdir / p.name for p in paths}
    for p, q in out.items():
        assert q.exists(), f"LibreOffice did not convert {p}"
    return out


def recalculate_gnumeric(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """Gnumeric recalculates each file on `ssconvert --recalc` and writes it back as xlsx."""
    outdir.mkdir(parents=True, exist_ok=True)
    out = {p: outdir / p.name for p in paths}
    for p, q in out.items():
        subprocess.run([ssconvert(), "--recalc", str(p), str(q)], check=True, capture_output=True, timeout=300)
        assert q.exists(), f"Gnumeric did not convert {p}"
    return out


def set_inputs(src: Path, dst: Path, changes: dict):
    """Type new values into a built file's input cells (by defined name), as a lender would."""
    wb = openpyxl.load_workbook(src)
    for name, value in changes.items():
        ref = wb.defined_names[name].attr_text
        sheet, _, coords = ref.partition("!")
        ws = wb[sheet.strip("'").replace("''", "'")]
        cells = ws[coords.replace("$", "")]
        if isinstance(cells, tuple):  # a range: a list of values (rows, or pairs)
            flat = [row for row in cells]
            for row_cells, row_value in zip(flat, list(value) + [None] * (len(flat) - len(value)), strict=True):
                if not isinstance(row_cells, tuple):
                    row_cells = (row_cells,)
                row_values = row_value if isinstance(row_value, (list, tuple)) else (row_value,)
                for c, v in zip(row_cells, list(row_values) + [None] * (len(row_cells) - len(row_values)),
                                strict=True):
                    c.value = v
        else:
            cells.value = value
    wb.save(dst)


def formula_cells(path: Path) -> dict:
    """{(sheet, coordinate): formula} for every formula cell."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    out[(ws.title, c.coordinate)] = c.value
    return out


def values(path: Path) -> dict:
    """{(sheet, coordinate): value} of every non-empty cell, dates as serial numbers."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, dt.datetime):
                    v = (v - EPOCH).days + (v - EPOCH).seconds / 86400
                out[(ws.title, c.coordinate)] = v
    return out


def same(a, b) -> bool:
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, bool) or isinstance(b, bool):  # types strictly: TRUE is not 1
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def mismatches(formulas: dict, got: dict, want: dict, limit: int = 20) -> list[str]:
    bad = []
    for key, formula in formulas.items():
        a, b = got.get(key), want.get(key)
        if not same(a, b):
            bad.append(f"{key[0]}!{key[1]}: recalculated {a!r}, expected {b!r}  ({formula[:90]})")
            if len(bad) >= limit:
                break
    return bad


def errors(formulas: dict, got: dict) -> list[str]:
    return [f"{k[0]}!{k[1]}: {got.get(k)!r}" for k in formulas
            if isinstance(got.get(k), str) and got.get(k).startswith(ERRORS)]


class Table:
    """Read a schedule by its header row: column values by header text."""

    def __init__(self, path: Path, sheet: str, header_row: int):
        wb = openpyxl.load_workbook(path, data_only=True)
        ws = wb[sheet]
        rows = list(ws.iter_rows(min_row=header_row, values_only=True))
        self.heads = [h for h in rows[0]]
        self.rows = [r for r in rows[1:] if any(v is not None for v in r)]

    def column(self, head: str) -> list:
        j = self.heads.index(head)
        return [r[j] for r in self.rows]


def serial(day: dt.date) -> int:
    return (dt.datetime.combine(day, dt.time()) - EPOCH).days


def named(path: Path, name: str, wb=None) -> list:
    """The values of a defined name's cells, in order (a column or a row)."""
    wb = wb or openpyxl.load_workbook(path, data_only=True)
    sheet, _, coords = wb.defined_names[name].attr_text.partition("!")
    ws = wb[sheet.strip("'").replace("''", "'")]
    cells = ws[coords.replace("$", "")]
    if not isinstance(cells, tuple):
        return [cells.value]
    flat = [c for row in cells for c in (row if isinstance(row, tuple) else (row,))]
    return [c.value for c in flat]


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (EPOCH + dt.timedelta(days=value)).date()
    return None


def changes_for(overrides: dict, deal=None) -> dict:
    """The input cells (by defined name) that carry the same inputs as `overrides`."""
    deal = deal or default_deal()
    simple = {"as_of": "AsOf", "amended_through": "AmendedThrough", "receivables": "Receivables",
              "acceptances": "Acceptances", "guaranties": "Guaranties", "letters_of_credit": "LettersOfCredit",
              "outstanding": "Outstanding", "term_loan_reserve": "TermLoanReserve", "prime_override": "PrimeOverride",
              "annual_salary": "AnnualSalary", "late_due": "LateDue", "late_paid": "LatePaid",
              "late_amount": "LateAmount", "election": "Election", "outplacement_cost": "OutplacementCost",
              "lease_cost": "LeaseCost", "transfer_accepted": "TransferAccepted"}
    dates = {"as_of", "amended_through", "late_due", "late_paid"}

    def day(v):
        return dt.date.fromisoformat(v) if isinstance(v, str) else v

    out = {}
    for key, value in overrides.items():
        if key in simple:
            out[simple[key]] = day(value) if key in dates else value
        elif key == "balances":
            for fac, amount in value.items():
                out[f"Balance_{fac}"] = amount
        elif key == "events":
            out["Ev_InDate"] = [day(value.get(name)) for name in deal.events]
        elif key == "offsets":
            out["Offsets"] = [(day(row["date"]), row["amount"]) for row in value]
        elif key == "rules":
            for interp, choice in value.items():
                out[f"Switch_{interp}"] = choice
        else:
            raise KeyError(key)
    return out


# The marks of every test that recalculates in LibreOffice and Gnumeric (CI installs both: .ci/run).
RECALCULATING = [pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed"),
                 pytest.mark.skipif(ssconvert() is None, reason="Gnumeric (ssconvert) is not installed"),
                 pytest.mark.filterwarnings("ignore:Unable to read chart"),
                 pytest.mark.filterwarnings("ignore:Workbook contains no default style")]
PROGRAMS = ("libreoffice", "gnumeric")


def recalculated_as_stored(built, recalculated) -> dict:
    """Every formula cell of the recalculated file holds no error and equals the value the engine stored in
    the built file (same type); the recalculated file's values, for the checks that follow."""
    formulas = formula_cells(built)
    got = values(recalculated)
    assert errors(formulas, got) == []
    assert mismatches(formulas, got, values(built)) == []
    return got


def schedule(path, names=("BC_Date", "BC_MaxLimit", "BC_Capacity", "BC_Overadvance", "BC_Availability",
                          "BC_Document")) -> dict:
    """The Borrowing Capacity tab's named columns by date: {date: {name: value}}."""
    wb = openpyxl.load_workbook(path, data_only=True)
    cols = {n: named(path, n, wb) for n in names}
    cols["BC_Date"] = [as_date(v) for v in cols["BC_Date"]]
    return {d: {n: cols[n][i] for n in names} for i, d in enumerate(cols["BC_Date"])}
