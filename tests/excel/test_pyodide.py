"""termbook inside Pyodide under Node, offline, as xlwings Lite runs it.

Pyodide comes from the npm package pinned in tests/pyodide/package.json (`npm ci` there; .ci/run
does it, installing Debian's nodejs and npm when missing). tests/pyodide/run.mjs refuses any
http(s) fetch, installs termbook's wheel and the pure-Python wheels of XlsxWriter, openpyxl,
et_xmlfile and xlwings from local files with micropip (deps=False), imports the functions with
`from udfs.xlfuncs import *` under xlwings' Office.js decorators, registers them through
custom_functions_meta, calls them through custom_functions_call with cell payloads (a column of
serial dates, an events range, an error cell, text where a number belongs), builds the default
workbook in both flavors, and hands back every answer as text. Each must equal CPython's.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "pyodide"))
import lite  # noqa: E402


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    wheels = lite.make_wheels(tmp_path_factory.mktemp("wheels"))
    pyodide = lite.run_in_pyodide(wheels[0].parent, tmp_path_factory.mktemp("out") / "pyodide.json")
    return lite.cpython_answers(), pyodide, wheels


def test_runs_offline_in_pyodide_without_numpy(runs):
    _, pyodide, wheels = runs
    assert pyodide["pyodide"] == "314.0.8" and pyodide["python"].startswith("3.14.")
    names = sorted(w.name.split("-")[0].lower() for w in wheels)
    assert names == ["et_xmlfile", "micropip", "openpyxl", "packaging", "termbook", "xlsxwriter", "xlwings"]
    assert pyodide["answers"]["numpy imported"] == "False"


def test_every_answer_and_the_workbook_bytes_equal_cpythons(runs):
    cpython, pyodide, _ = runs
    answers, cpython = dict(pyodide["answers"]), dict(cpython)
    assert cpython.pop("numpy imported") == "True"
    answers.pop("numpy imported")
    answers.pop("deal cache"), answers.pop("terminal")
    from_js = answers.pop("officejs cells from JavaScript")
    assert from_js == "JsNull: " + cpython["officejs 26 LSA_MAX_LIMIT"]  # JS null as Python's None
    assert set(answers) == set(cpython)
    differ = [k for k in cpython if answers[k] != cpython[k]]
    assert not differ, f"{len(differ)} answers differ in Pyodide, e.g. {differ[0]}: " \
                       f"{answers[differ[0]][:300]} != {cpython[differ[0]][:300]}"


def test_functions_registered_and_answered_as_the_add_in_does(runs):
    _, pyodide, _ = runs
    answers = pyodide["answers"]
    meta = json.loads(answers["meta"])
    assert len(meta["functions"]) == 18
    assert {f["name"] for f in meta["functions"]} >= {"TERMBOOK.LSA_CAPACITY", "TERMBOOK.LSA_FEE_SCHEDULE"}
    # 2002-11-20 (row 51 of the column from 2002-09-30): min(2.3M after both Keltic deliveries,
    # 85% x 2.5M) - 100,000 letters of credit = 2,025,000; 2002-09-30 is before the terms: #N/A
    capacity = answers["officejs 3 LSA_CAPACITY"]
    assert capacity.startswith("[[{'type': 'Error', 'errorType': 'NotAvailable'}], [")
    assert ast.literal_eval(capacity)[51] == [2_025_000]
    # an #N/A error cell as the date gives #N/A back
    assert answers["officejs 22 LSA_MAX_LIMIT"] == "[[{'type': 'Error', 'errorType': 'NotAvailable'}]]"
    # cells built in JavaScript, an empty one as null (JsNull in Python): $2M until both Keltic
    # deliveries, $2.3M from the second (2002-11-15); the empty row stays empty
    assert ast.literal_eval(answers["officejs cells from JavaScript"][len("JsNull: "):]) == [
        [2_000_000], [""], [2_300_000]]


def test_deal_cache_and_terminal_work_in_pyodide(runs):
    _, pyodide, _ = runs
    answers = pyodide["answers"]
    assert answers["deal cache"] == "stored: True, same deal: True"
    assert answers["terminal"] == "exit 0: 1750000.0"  # 2002-11-22, nothing delivered: $1.75M
