"""The live workbook opened without the termbook add-in must say so: every column that calls the
add-in shows #NAME?, and the Checks count those cells, so the bar at the top of every tab reads
"Checks failing". The portable workbook's checks stay zero in the same programs.

Three ways a file is opened: LibreOffice recalculating everything (H.recalculate), LibreOffice as
installed (it shows the stored values and recalculates only volatile formulas), and Gnumeric
(`ssconvert --recalc`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812

from workbook.context import CHECKS_FAILING, CHECKS_PASS, ILLUSTRATIVE_BAR

pytestmark = H.RECALCULATING

DAYS = 92  # 2002-10-01 through 2002-12-31, the Initial Term's end (Amendment No. 10)
# Columns that call the add-in in the live flavor: Borrowing Capacity: document in effect, Maximum
# Limit, capacity, Overadvance limit, availability; Pricing: prime, and for each of the two facilities
# margin, rate, interest, and the margin as known before Amendment No. 11.
BC_CALLS, PR_CALLS = 5, 1 + 2 * 4
BC_CHECK = "Borrowing Capacity schedule: cells showing an error"
PR_CHECK = "Pricing schedule: cells showing an error"


def open_as_installed(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """LibreOffice with a fresh profile (its defaults: stored values kept), saved back as xlsx."""
    profile = Path(tempfile.mkdtemp(prefix="lo-default-"))
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run([H.soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, paths)],
                       check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return {p: outdir / p.name for p in paths}


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    root = tmp_path_factory.mktemp("addin")
    live = H.build_file(root / "live.xlsx", flavor="live")
    portable = H.build_file(root / "portable.xlsx")
    both = [live, portable]
    ways = {"libreoffice": H.recalculate(both, root / "lo"), "as installed": open_as_installed(both, root / "lo0"),
            "gnumeric": H.recalculate_gnumeric(both, root / "gnumeric")}
    return {way: {"live": out[live], "portable": out[portable]} for way, out in ways.items()}


def checks(path: Path) -> tuple[dict, object, list]:
    """{check label: value}, the master check, and the bar at the top of each schedule tab."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["Checks"]
    rows = {str(r[0]).split(" (live flavor")[0]: r[1] for r in ws.iter_rows(min_row=6, max_col=2, values_only=True)
            if r[0] is not None}
    bars = [wb[tab]["A3"].value for tab in ("Borrowing Capacity", "Pricing", "Checks", "Charts")]
    return rows, H.named(path, "MasterCheck", wb)[0], bars


@pytest.mark.parametrize("way", ["libreoffice", "as installed", "gnumeric"])
def test_live_without_the_addin_fails_its_checks(opened, way):
    rows, master, bars = checks(opened[way]["live"])
    # every day of every add-in column is an error; on Borrowing Capacity nothing else reads them
    assert rows[BC_CHECK] == BC_CALLS * DAYS
    # on Pricing the rates and interest as known before No. 11 and the true-up read them, when recalculated
    assert rows[PR_CHECK] >= PR_CALLS * DAYS
    assert master >= (BC_CALLS + PR_CALLS) * DAYS
    assert all(str(bar).startswith(CHECKS_FAILING) for bar in bars), bars


@pytest.mark.parametrize("way", ["libreoffice", "as installed", "gnumeric"])
def test_portable_checks_stay_zero(opened, way):
    rows, master, bars = checks(opened[way]["portable"])
    assert rows[BC_CHECK] == 0 and rows[PR_CHECK] == 0
    assert all(v == 0 for v in rows.values() if isinstance(v, (int, float))), rows
    assert master == 0
    assert bars == [CHECKS_PASS + ILLUSTRATIVE_BAR] * 4  # the template's sample figures: said on the bar
