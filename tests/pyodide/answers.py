"""Every kind of answer termbook gives, as text, for comparing runtimes byte for byte.

Run as a script (`python answers.py [--block-numpy] [--timings ROWS]`) it prints one JSON object: the catalogue's
one-value answers and whole columns, table answers, the Excel layer's answers to realistic cell
payloads under Classic (broadcast.dispatch) and under Office.js (xlwings' custom_functions_meta and
custom_functions_call, as xlwings Lite and Server call them), and the SHA-256 of the default
workbook in both flavors. tests/engine/test_no_numpy.py runs it with and without numpy; the Pyodide test
(tests/pyodide/run.mjs) runs `collect()` inside Pyodide; both compare with CPython's output.

Each answer is kept as `repr` (a float to its last bit, its type) or as the error's class and words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sys

DAYS = 94  # 2002-09-30 .. 2003-01-01: one day before and after the encoded terms
FIRST_SERIAL = 37529  # 2002-09-30 in Excel's 1900 date system
EVENTS = [["event", "date"], ["keltic_due_diligence", 37574], ["", ""], ["third_party_confirmation", 37575]]
OFFSETS = [["date", "amount"], [37605, 5000]]
COM_NA = -2146826246  # #N/A as a COM error under Classic


def block_numpy():
    """Make numpy unimportable in this process, as in Pyodide offline (a finder that refuses it)."""

    class NoNumpy:
        def find_spec(self, name, path=None, target=None):
            if name == "numpy" or name.startswith("numpy."):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, NoNumpy())


def _text(value) -> str:
    if isinstance(value, Exception):
        return f"{type(value).__name__}: {value}"
    return repr(value)


def _guard(f, *args):
    try:
        return _text(f(*args))
    except Exception as exc:  # an answer may be an error: it is compared as one
        return _text(exc)


def catalogue_answers() -> dict:
    from udfs.catalogue import functions as f

    cat = f.default_catalogue()
    days = [dt.date(2002, 9, 30) + dt.timedelta(days=i) for i in range(DAYS)]
    events = {"keltic_due_diligence": dt.date(2002, 11, 14), "third_party_confirmation": dt.date(2002, 11, 15)}
    receivables = [2_000_000.0 + 12_345.67 * i for i in range(DAYS)]
    out = {}
    per_day = {
        "LSA_AMENDMENT": lambda d, i: f.LSA_AMENDMENT(d),
        "LSA_MAX_LIMIT": lambda d, i: f.LSA_MAX_LIMIT(d, events),
        "LSA_CAPACITY": lambda d, i: f.LSA_CAPACITY(d, receivables[i], None, None, 100_000.0, events),
        "LSA_OVERADVANCE_LIMIT": lambda d, i: f.LSA_OVERADVANCE_LIMIT(d, 300_000.0),
        "LSA_AVAILABILITY": lambda d, i: f.LSA_AVAILABILITY(d, receivables[i], 1_500_000.0, None, None, 100_000.0,
                                                            300_000.0, events),
        "LSA_AVAILABILITY floor": lambda d, i: f.LSA_AVAILABILITY(d, 0.0, 0.0, None, None, None, None, None, None,
                                                                  "floor_zero"),
        "LSA_PRIME": lambda d, i: f.LSA_PRIME(d),
        "LSA_MARGIN": lambda d, i: f.LSA_MARGIN(d, "term loan"),
        "LSA_RATE": lambda d, i: f.LSA_RATE(d, "advances"),
        "SEV_PAYMENT": lambda d, i: f.SEV_PAYMENT(d, 120_000.0),
    }
    for name, call in per_day.items():
        out[f"one {name}"] = [_guard(call, d, i) for i, d in enumerate(days)]
    columns = {
        "LSA_MAX_LIMIT": [days, events],
        "LSA_CAPACITY": [days, receivables, None, None, 100_000.0, events],
        "LSA_OVERADVANCE_LIMIT": [days, 300_000.0],
        "LSA_AVAILABILITY": [days, receivables, 1_500_000.0, None, None, 100_000.0, None, events],
        "LSA_PRIME": [days],
        "LSA_MARGIN": [days, "advances", dt.date(2002, 11, 11)],
        "LSA_RATE": [days, "term loan"],
        "SEV_PAYMENT": [days, 120_000.0],
    }
    for name, args in columns.items():
        out[f"column {name}"] = [_text(v) for v in cat.many(name, args, DAYS)]
    out["LSA_INTEREST"] = _guard(f.LSA_INTEREST, dt.date(2002, 11, 1), dt.date(2002, 12, 31), 1_000_000.0, "advances")
    out["LSA_FEES_DUE"] = _guard(f.LSA_FEES_DUE, dt.date(2002, 10, 1), dt.date(2002, 12, 31), events)
    out["LSA_FEE_SCHEDULE"] = _guard(f.LSA_FEE_SCHEDULE, events)
    out["LSA_DEADLINES"] = _guard(f.LSA_DEADLINES, None, dt.date(2002, 11, 22), events)
    out["SEV_SCHEDULE"] = _guard(f.SEV_SCHEDULE, 120_000.0, [[dt.date(2002, 12, 15), 25_000.0]], "last_six")
    out["SEV_LATE_INTEREST"] = _guard(f.SEV_LATE_INTEREST, dt.date(2002, 10, 31), dt.date(2002, 11, 11), 10_000.0)
    out["SEV_ELECTION"] = _guard(f.SEV_ELECTION, "lease", 10_000.0, 12_000.0)
    out["LSA_EXPLAIN"] = _guard(f.LSA_EXPLAIN, dt.date(2002, 11, 22), events)
    out["TERMS_INFO"] = _guard(f.TERMS_INFO)
    return out


def payloads(error_cell) -> list:
    """(function, cells) as Excel sends them: 2-D ranges, serial dates, blanks, an error cell, text."""
    dates = [[FIRST_SERIAL + i] for i in range(DAYS)]
    mixed = dates[:30] + [["2002-11-22"], [""], [error_cell], [37582.75]] + dates[30:]
    receivables = [[2_000_000 + 10_000 * i] for i in range(DAYS)]
    return [
        ("LSA_AMENDMENT", [mixed]),
        ("LSA_MAX_LIMIT", [dates, EVENTS]),
        ("LSA_MAX_LIMIT", [mixed, EVENTS, None, [["floor_zero"]]]),
        ("LSA_CAPACITY", [dates, [[2_500_000]], None, None, [[100_000]], EVENTS]),
        ("LSA_CAPACITY", [dates, receivables]),
        ("LSA_CAPACITY", [mixed, [[2_500_000]], [[""]], None, [[100_000.5]]]),
        ("LSA_OVERADVANCE_LIMIT", [dates, [[300_000]]]),
        ("LSA_AVAILABILITY", [dates, receivables, [[1_500_000]], None, None, [[100_000]], [[300_000]], EVENTS]),
        ("LSA_PRIME", [mixed]),
        ("LSA_MARGIN", [dates, [["advances", "term loan"]]]),
        ("LSA_RATE", [dates, [["term loan"]], None, [[37571]]]),
        ("LSA_RATE", [dates, [["advances"]], [[0.05]]]),
        ("LSA_INTEREST", [[[37561]], [[37621]], [[1_000_000]], [["advances"]]]),
        ("LSA_FEES_DUE", [[[37530]], [[37621]], EVENTS]),
        ("LSA_FEE_SCHEDULE", [EVENTS]),
        ("LSA_DEADLINES", [None, [[37582]], EVENTS]),
        ("SEV_SCHEDULE", [[[120_000]], OFFSETS, [["last_six"]]]),
        ("SEV_PAYMENT", [dates, [[120_000]], OFFSETS]),
        ("SEV_LATE_INTEREST", [[[37560]], [[37571]], [[10_000]]]),
        ("SEV_ELECTION", [[["outplacement"]], [[10_000]], [[12_000]]]),
        ("LSA_EXPLAIN", [[[37582]], EVENTS]),
        ("TERMS_INFO", []),
        ("LSA_MAX_LIMIT", [[[error_cell]]]),
        ("LSA_MAX_LIMIT", [[[37653]]]),
        ("LSA_CAPACITY", [dates, [["lots"]]]),
        ("LSA_MARGIN", [[[37567]], [["bridge loan"]]]),
        # the call tests/pyodide/run.mjs also makes from JavaScript, empty cells as null
        ("LSA_MAX_LIMIT", [[[37574], [None], [37575]],
                           [["keltic_due_diligence", 37574], [None, None], ["third_party_confirmation", 37575]]]),
    ]


def classic_answers() -> dict:
    from udfs.excel.broadcast import dispatch

    return {f"classic {i} {name}": _guard(lambda n, a: dispatch(n, tuple(a), False).rows, name, args)
            for i, (name, args) in enumerate(payloads(COM_NA))}


def _body(name: str, args: list) -> dict:
    import xlwings

    return {"client": "Office.js", "func_name": name, "args": args, "caller_address": "[Book1.xlsx]Sheet1!C2",
            "session_id": "answers", "culture_info_name": "en-US", "date_format": "m/d/yyyy",
            "version": xlwings.__version__, "runtime": "1.4"}


async def officejs_answers() -> dict:
    """The functions registered and called as the Office.js add-in does (xlwings Lite and Server)."""
    import xlwings.server as server

    import udfs.xlfuncs as module

    assert module.OFFICEJS, "XLWINGS_ON_SERVER=true must be set before xlwings is imported"
    out = {"meta": json.dumps(server.custom_functions_meta(module), sort_keys=True)}
    error = {"type": "Error", "basicType": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
    for i, (name, args) in enumerate(payloads(error)):
        try:
            out[f"officejs {i} {name}"] = _text(await server.custom_functions_call(_body(name, args), module))
        except Exception as exc:
            out[f"officejs {i} {name}"] = _text(exc)
    return out


def workbook_answers() -> dict:
    from udfs.loading import default_deal
    from workbook import inputs as inputs_mod
    from workbook.build import build, load_template

    deal = default_deal()
    out = {}
    for flavor in ("portable", "live"):
        values = inputs_mod.defaults(deal, load_template(), today=dt.date(2002, 12, 31))
        target = io.BytesIO()
        build(deal, values, target, flavor)
        data = target.getvalue()
        out[f"workbook {flavor}"] = f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"
    return out


def _officejs_environment():
    """What xlwings Lite has: xlwings' Office.js decorators (set before xlwings is imported); the
    noncommercial key stands in for Lite's own licence; no deal cache, so every run reads the deal."""
    os.environ["XLWINGS_ON_SERVER"] = "true"
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    os.environ["TERMBOOK_CACHE_DIR"] = "off"


async def timings(rows: int = 0, repeat: int = 5) -> dict:
    """Seconds to the first answer as Lite gives it: importing the functions (main.py's import),
    then the first call (it reads the deal); with `rows`, the median of `repeat` LSA_CAPACITY calls
    over that many dates. Run before anything else imports termbook."""
    import statistics
    import time

    _officejs_environment()
    out = {}
    start = time.perf_counter()
    import xlwings.server as server

    import udfs.xlfuncs as module

    out["import udfs.xlfuncs"] = time.perf_counter() - start
    start = time.perf_counter()
    first = await server.custom_functions_call(_body("LSA_MAX_LIMIT", [[[37582]]]), module)
    out["first answer (reads the deal)"] = time.perf_counter() - start
    assert first == [[1750000]], first  # 2002-11-22, nothing delivered: $1.75M
    if rows:
        dates = [[37530 + i % 92] for i in range(rows)]  # 2002-10-01 .. 2002-12-31, over and over
        body = _body("LSA_CAPACITY", [dates, [[2_500_000]], None, None, [[100_000]]])
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            column = await server.custom_functions_call(body, module)
            runs.append(time.perf_counter() - start)
        assert len(column) == rows and column[50] == [1_900_000], column[50]  # 2002-11-20: 2M - 100,000
        out[f"LSA_CAPACITY, {rows:,} dates (median of {repeat})"] = statistics.median(runs)
    out["numpy imported"] = "numpy" in sys.modules
    return out


async def collect() -> dict:
    """Everything, in one dict of text, with xlwings set up for Office.js as Lite runs it."""
    _officejs_environment()
    out = catalogue_answers()
    out.update(classic_answers())
    out.update(await officejs_answers())
    out.update(workbook_answers())
    return out


if __name__ == "__main__":
    import argparse
    import asyncio

    parser = argparse.ArgumentParser(description="termbook's answers (or, with --timings, its times) as JSON")
    parser.add_argument("--block-numpy", action="store_true", help="make numpy unimportable first")
    parser.add_argument("--timings", type=int, metavar="ROWS", help="time import, first answer, a ROWS-date column")
    options = parser.parse_args()
    if options.block_numpy:
        block_numpy()
    if options.timings is not None:
        json.dump(asyncio.run(timings(options.timings)), sys.stdout)
    else:
        answers = asyncio.run(collect())
        answers["numpy imported"] = repr("numpy" in sys.modules)
        json.dump(answers, sys.stdout, sort_keys=True)
