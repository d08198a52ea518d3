"""numpy is optional: without it (Pyodide offline, xlwings Lite before numpy is fetched) every
answer, the Excel layer under Classic and Office.js, and the workbook's bytes are what they are
with it.

tests/pyodide/answers.py collects them all as text; it runs here twice in fresh interpreters,
once as installed and once with numpy made unimportable by a sys.meta_path finder that refuses it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ANSWERS = Path(__file__).parents[1] / "pyodide" / "answers.py"


def _collect(*flags: str) -> dict:
    run = subprocess.run([sys.executable, str(ANSWERS), *flags], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def both():
    return _collect(), _collect("--block-numpy")


def test_numpy_is_used_when_present_and_absent_when_blocked(both):
    with_numpy, without = both
    assert with_numpy["numpy imported"] == "True"
    assert without["numpy imported"] == "False"


def test_every_answer_and_the_workbook_bytes_agree(both):
    with_numpy, without = both
    assert set(with_numpy) == set(without)
    differ = [k for k in with_numpy if k != "numpy imported" and with_numpy[k] != without[k]]
    assert not differ, f"{len(differ)} answers differ without numpy, e.g. {differ[0]}: " \
                       f"{with_numpy[differ[0]][:300]} != {without[differ[0]][:300]}"
    # what is compared: the 18 functions registered, 27 payloads each way, both workbook flavors
    assert len(json.loads(without["meta"])["functions"]) == 18
    assert sum(k.startswith("officejs ") for k in without) == sum(k.startswith("classic ") for k in without) == 27
    assert without["workbook portable"] != without["workbook live"]


def test_hand_worked_answers_without_numpy(both):
    _, without = both
    day = {"2002-09-30": 0, "2002-11-14": 45, "2002-11-15": 46, "2002-11-20": 51}
    # No. 11's $2.3M step needs both Keltic deliveries (11-14 and 11-15): from 11-15 on
    limit = without["column LSA_MAX_LIMIT"]
    assert limit[day["2002-11-14"]] == "2000000.0" and limit[day["2002-11-15"]] == "2300000.0"
    assert limit[day["2002-09-30"]].startswith("TermsError: date: 2002-09-30 is before 2002-10-01")
    # 2002-11-20: min(2.3M, 85% x (2,000,000 + 51 x 12,345.67)) - 100,000 letters of credit
    receivables = 2_000_000.0 + 12_345.67 * 51
    assert without["column LSA_CAPACITY"][day["2002-11-20"]] == repr(min(2_300_000.0, 0.85 * receivables) - 100_000.0)
    # Office.js: one #N/A error cell as the date gives #N/A back; a text receivables fails the call
    assert without["officejs 22 LSA_MAX_LIMIT"] == "[[{'type': 'Error', 'errorType': 'NotAvailable'}]]"
    assert without["officejs 24 LSA_CAPACITY"].startswith("TermbookError: receivables: 'lots' is not a number")
