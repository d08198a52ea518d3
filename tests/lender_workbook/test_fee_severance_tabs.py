"""The Fee Schedule and Severance tabs: recalculated by Gnumeric and LibreOffice they give the engine's
values, with no error cell; they print as a lender would want (one page each, no phantom rows or
columns); hand-worked figures from Amendments No. 10 and 11 (A.3) and the severance letter 2(b).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812
from scenarios import LAPSE, ON_TIME, SEVERANCE

pytestmark = pytest.mark.filterwarnings("ignore:Unable to read chart", "ignore:Workbook contains no default style")
D = dt.date
TABS = ("Fee Schedule", "Severance")
# compensation before the letter's date, after the offset period, and in it; seven installments
OUTSIDE = {"annual_salary": 140000, "rules": {"severance_installments": "seven_parts"},
           "offsets": [{"date": "2002-05-20", "amount": 4000}, {"date": "2003-04-15", "amount": 6000},
                       {"date": "2003-03-05", "amount": 12000}, {"date": "2002-05-20", "amount": 1000}]}
SCENARIOS = {"default": {}, "severance": SEVERANCE, "on_time": ON_TIME, "lapse": LAPSE, "outside": OUTSIDE}
FROZEN = ("Ev_Done", "MasterCheck")  # other tabs' cells these tabs read, held at their stored values


def _mine(formulas: dict) -> dict:
    return {k: f for k, f in formulas.items() if k[0] in TABS and "MasterCheck" not in f}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    root = tmp_path_factory.mktemp("feesev")
    return {name: H.build_file(root / f"{name}.xlsx", overrides) for name, overrides in SCENARIOS.items()}


def _freeze(src: Path, dst: Path):
    """The file with FROZEN names' formulas replaced by their stored values (openpyxl keeps the rest)."""
    wb, stored = openpyxl.load_workbook(src), openpyxl.load_workbook(src, data_only=True)
    for name in FROZEN:
        sheet, _, coords = wb.defined_names[name].attr_text.partition("!")
        sheet = sheet.strip("'")
        cells = wb[sheet][coords.replace("$", "")]
        for c in (c for row in (cells if isinstance(cells, tuple) else ((cells,),)) for c in
                  (row if isinstance(row, tuple) else (row,))):
            c.value = stored[sheet][c.coordinate].value
    wb.save(dst)


@pytest.mark.skipif(shutil.which("ssconvert") is None, reason="Gnumeric (ssconvert) is not installed")
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_gnumeric_recalculates_these_tabs_to_the_engine(books, scenario, tmp_path):
    """Gnumeric evaluates no implicit arrays: any such formula here would give an error or a wrong value.

    The event dates on Terms (another tab's formulas, checked with every tab elsewhere) are held at
    their stored values, so what is tested is these two tabs' formulas and the fee rules on Terms."""
    src = books[scenario]
    frozen, out = tmp_path / "frozen.xlsx", tmp_path / "gnumeric.xlsx"
    _freeze(src, frozen)
    subprocess.run(["ssconvert", "--recalc", str(frozen), str(out)], check=True, capture_output=True, timeout=300)
    formulas = H.formula_cells(src)
    rules_on_terms = {k: f for k, f in formulas.items() if k[0] == "Terms" and "FeeRule" in f}
    mine = {**_mine(formulas), **rules_on_terms}
    got, want = H.values(out), H.values(src)
    assert len(mine) > 300
    assert H.errors(mine, got) == []
    assert H.mismatches(mine, got, want) == []


@pytest.fixture(scope="module")
def libreoffice(books, tmp_path_factory):
    """The default file with the OUTSIDE inputs typed in, recalculated by LibreOffice."""
    if H.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    root = tmp_path_factory.mktemp("feesev_lo")
    edited = root / "edited_outside.xlsx"
    H.set_inputs(books["default"], edited, H.changes_for(OUTSIDE))
    return H.recalculate([edited], root / "recalc")[edited]


def test_libreoffice_with_compensation_outside_the_period(books, libreoffice):
    formulas = _mine(H.formula_cells(books["default"]))
    got = H.values(libreoffice)
    assert H.errors(formulas, got) == []
    assert H.mismatches(formulas, got, H.values(books["outside"])) == []


def test_outside_compensation_by_hand(libreoffice):
    # seven_parts: 140,000 x 6 / 12 = 70,000 in seven parts of 10,000, 2002-09-30 .. 2003-03-31
    dues = [H.as_date(v) for v in H.named(libreoffice, "Sev_Due")]
    assert dues == [D(2002, 9, 30), D(2002, 10, 31), D(2002, 11, 30), D(2002, 12, 31), D(2003, 1, 31),
                    D(2003, 2, 28), D(2003, 3, 31)]
    # 2002-05-20 (5,000 in two amounts) is before the letter's date and 2003-04-15 after 2003-03-31:
    # neither offsets anything. 12,000 on 2003-03-05 reduces 2003-03-31 to nothing; 2,000 has nowhere to go.
    assert H.named(libreoffice, "Sev_Net") == pytest.approx([10000] * 6 + [0])
    received = [H.as_date(v) for v in H.named(libreoffice, "OffS_Date")[:4]]
    assert received == [D(2002, 5, 20), D(2003, 3, 5), D(2003, 4, 15), None]  # same-day amounts added
    assert H.named(libreoffice, "OffS_Amount")[:3] == [5000, 12000, 6000]
    assert H.named(libreoffice, "OffS_NotOffset")[:3] == [5000, 2000, 6000]
    assert H.named(libreoffice, "SevUnapplied") == [13000]
    ws = openpyxl.load_workbook(libreoffice, data_only=True)["Severance"]
    why = [r[5] for r in ws.iter_rows(values_only=True) if r[1] is not None and r[4] in (5000, 2000, 6000)]
    assert why == ["before the offset period", "no installment due on or after it is left to reduce",
                   "after the offset period"]


def test_fee_tab_prints_only_the_schedule_and_the_rules(books):
    ws = openpyxl.load_workbook(books["default"])["Fee Schedule"]
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    assert area.endswith(tuple(f"$K${n}" for n in range(1, 100)))  # A..K: no working, no "In view"
    heads = [c.value for row in ws.iter_rows(max_col=11) for c in row if c.value in ("In view", "Why", "Citation")]
    assert "In view" not in heads and "Why" in heads


def test_severance_rows_beyond_the_plan_are_blank(books):
    wb = openpyxl.load_workbook(books["default"], data_only=True)
    # first_six: the seventh row (kept for seven_parts) holds nothing at all
    seventh = [H.named(books["default"], n, wb)[6] for n in ("Sev_Due", "Sev_Gross", "Sev_Offset", "Sev_Net")]
    assert all(v in (None, "") for v in seventh)
    # the plan in the deal data's words, not its code
    assert H.named(books["default"], "SevPlanWords", wb) == [
        "Six installments of one month's salary, 2002-09-30 to 2003-02-28"]


def test_each_tab_prints_on_one_page(books, tmp_path):
    if H.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    for name in ("default", "outside"):
        pdf = _to_pdf(books[name], tmp_path)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        footers = [line for line in text.splitlines() if " of " in line and "Page" in line]
        for tab in TABS:
            assert sum(1 for line in footers if f" {tab} " in line) == 1, (name, tab)


def _to_pdf(path: Path, outdir: Path) -> Path:
    profile = outdir / "profile"
    subprocess.run([H.soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(path)], check=True, capture_output=True,
                   timeout=300)
    return outdir / (path.stem + ".pdf")
