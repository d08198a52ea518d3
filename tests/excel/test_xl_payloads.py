"""Every payload shape refused, none escaping (issue 10.5): the Excel layer under generated payloads.

A deterministic generator builds payloads from a valid call of each catalogue function and breaks
one to three things in it: ragged and nested ranges, an argument too many or too few, NaN,
infinities and 1e308, huge texts, dicts and other objects, TRUE/FALSE in odd places, error codes.
Each payload goes through xlwings' own Office.js call path (`xlwings.server.custom_functions_call`,
as xlwings Server and Lite call it) and through the Classic functions directly. Outcome per call:
an answer (a rectangle of cells that json.dumps(allow_nan=False) accepts), or under Office.js a
TermbookError (#VALUE! with a one-line reason). Nothing else may escape, and no reason may be an
"unexpected" fault caught by the layer's safety net.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import random
from collections import Counter

import pytest

from udfs.catalogue import spec
from udfs.excel import errors, register

CASES = 2_400
CLASSIC = type("Classic", (), {name: staticmethod(f) for name, f in register.functions(False, "udfs.xlfuncs").items()})
NAN, INF = float("nan"), float("inf")
COM = errors.COM_ERROR_BASE

# one valid cell per argument kind (Office.js sends 2-D ranges; None is an omitted argument)
VALID = {
    "date": [[37572]],  # 2002-11-12
    "amount": [[1_000_000]],
    "rate": [[0.05]],
    "text": None,
    "bool": [[True]],
    "events": [["keltic_due_diligence", 37574]],
    "offsets": [[37600, 1_000]],
    "collateral": None,  # the embedded deal lends against receivables only
    "rules": None,
}
VALID_TEXT = {"facility": [["advances"]], "election": [["lease"]], "day_count": [["actual/360"]]}

ODD_CELLS = [
    NAN, INF, -INF, 1e308, -1e308, 5e-324, 2**70, -(2**70), -0.0, 0, 1, -1, 0.5, 60, 2958466,
    True, False, "", " ", "x" * 40_000, "2002-11-12" + " " * 5_000, "#N/A" * 500, "\x00\x07\ufffe", "1e308",
    "nan", "inf", "-5", "#N/A", "#VALUE!", "#SPILL!", "#BOGUS!", COM + 2042, COM + 2099, COM + 2000,
    {}, {"a": 1}, {"type": "Double", "basicValue": NAN}, {"type": "FormattedNumber", "basicValue": [1, 2]},
    {"type": "Error"}, {"type": "Error", "errorType": "Bogus"}, {"type": "Error", "basicValue": "#BOGUS"},
    {"type": "Entity", "text": "x", "properties": {"a": {"type": "String", "basicValue": "b"}}},
    {"type": 5, "basicValue": 1}, {"basicValue": {"basicValue": 37572}}, {"type": "String", "basicValue": "lease"},
    {"type": "Boolean", "basicValue": True}, {"type": "Double", "basicValue": 1e308},
    [], [1], [[1]], [[[37572]]], (1, 2), dt.date(2002, 11, 12), dt.datetime(9999, 12, 31, 23, 59),
    dt.date(1, 1, 1), b"bytes", 1j, {1, 2}, object(),
]


def _odd(rng: random.Random):
    return rng.choice(ODD_CELLS)


def _nested(depth: int):
    value = 37572
    for _ in range(depth):
        value = [value]
    return value


def _break(rng: random.Random, args: list, function: spec.Function) -> str:
    """Break one thing in `args` (in place); say what."""
    position = rng.randrange(len(args)) if args else 0
    what = rng.choice(["ragged", "nested", "too_many", "too_few", "odd_cell", "odd_column", "odd_argument",
                       "huge_column", "bool", "error_code", "grid", "empty"])
    if not args and what not in ("too_many", "too_few"):
        what = "too_many"
    if what == "ragged":
        args[position] = rng.choice([[[37572], [37572, 1]], [[37572, 1], [37572]], [[37572], []],
                                     [[1, 2, 3], [4, 5], [6]], [[37572]] * 5 + [[37572, 37573]]])
    elif what == "nested":
        args[position] = rng.choice([[[[37572]]], [[[37572], 37572]], [[37572, [1]]], _nested(rng.randint(4, 60)),
                                     [[37572], [[37573]]], [[{"type": "Double", "basicValue": [37572]}]]])
    elif what == "too_many":
        for _ in range(rng.randint(1, 3)):
            args.append(rng.choice([[[1]], [[_odd(rng)]], [["x"]], [[None]], [[""]], None]))
    elif what == "too_few":
        del args[rng.randrange(len(args) + 1):]
    elif what == "odd_cell":
        args[position] = [[_odd(rng)]]
    elif what == "odd_column":
        rows = rng.randint(2, 40)
        dates = position < len(function.args) and function.args[position].kind == "date"
        base = 37572 if dates else 1_000_000
        column = [[base] for _ in range(rows)]
        for _ in range(rng.randint(1, 3)):
            column[rng.randrange(rows)] = [_odd(rng)]
        args[position] = column
    elif what == "odd_argument":
        args[position] = _odd(rng)
    elif what == "huge_column":
        value = rng.choice([1e308, 1.7e308, 1e300, 9.9e307, 37572, 2e9])
        args[position] = [[value] for _ in range(rng.randint(2, 300))]
    elif what == "bool":
        args[position] = rng.choice([[[True]], [[False]], [[True, False]], [[True], [37572]],
                                     [["keltic_due_diligence", True]], [[True, 37574]]])
    elif what == "error_code":
        args[position] = rng.choice([[["#N/A"]], [[COM + 2042]], [[errors.ERROR_TYPES and
                                     {"type": "Error", "basicValue": "#REF!", "errorType": "Ref"}]],
                                     [["keltic_due_diligence", "#N/A"]], [[37572], ["#DIV/0!"]]])
    elif what == "grid":
        height, width = rng.randint(1, 6), rng.randint(1, 6)
        args[position] = [[rng.choice([37572, 1_000_000, "", None, _odd(rng)]) for _ in range(width)]
                          for _ in range(height)]
    else:
        args[position] = rng.choice([[], [[]], [[None]], [[""]], [None], [[None, None]]])
    return what


def payloads(count: int = CASES, seed: int = 2002):
    """(name, args, what was broken) for `count` payloads, the same on every run."""
    rng = random.Random(seed)
    for i in range(count):
        function = spec.FUNCTIONS[i % len(spec.FUNCTIONS)]
        args = [VALID_TEXT.get(a.name, VALID[a.kind]) for a in function.args]
        broken = [_break(rng, args, function) for _ in range(rng.randint(1, 3))]
        yield function.name, args, "+".join(broken)


@pytest.fixture(scope="module")
def officejs(officejs):  # the conftest's fixture of the same name, with an event loop
    """udfs.xlfuncs as xlwings Server / Lite load it (tests/excel/test_xl_officejs.py), with an event loop."""
    module, server = officejs
    loop = asyncio.new_event_loop()
    try:
        yield module, server, loop
    finally:
        loop.close()


def _body(name: str, args: list) -> dict:
    import xlwings

    return {"client": "Office.js", "func_name": name, "args": args, "caller_address": "[Book1.xlsx]Sheet1!C2",
            "session_id": "fuzz", "culture_info_name": "en-US", "date_format": "m/d/yyyy",
            "version": xlwings.__version__, "runtime": "1.4"}


def _json_cell(value):
    if isinstance(value, dt.date):  # Classic hands dates to Excel as dates
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a cell value")


def _check_answer(result, label: str):
    """A rectangle of cells, every one JSON with no NaN or infinity."""
    assert isinstance(result, list) and result and all(isinstance(row, list) for row in result), (label, result)
    assert len({len(row) for row in result}) == 1, (label, "ragged answer")
    json.dumps(result, allow_nan=False, default=_json_cell)
    for row in result:
        for cell in row:
            assert not (isinstance(cell, float) and not math.isfinite(cell)), label


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_generated_payloads_are_answered_or_refused_never_escape(officejs):
    module, server, loop = officejs
    outcomes = Counter()
    escaped, faults = [], []
    for name, args, what in payloads():
        label = f"{name} {what}"
        # Office.js: xlwings Server / Lite
        try:
            result = loop.run_until_complete(server.custom_functions_call(_body(name, list(args)), module))
        except errors.TermbookError as refusal:
            message = str(refusal)
            assert message and "\n" not in message and len(message) <= errors.MAX_REASON, (label, message)
            if "unexpected" in message:
                faults.append((label, message))
            outcomes["officejs refused"] += 1
        except Exception as exc:  # noqa: BLE001 - the point of the test
            escaped.append((label, "Office.js", repr(exc)[:200]))
        else:
            _check_answer(result, label)
            outcomes["officejs answered"] += 1
        # Classic: the function called directly, as call_udf does
        try:
            result = getattr(CLASSIC, name)(*args)  # as Classic's call_udf calls it
        except Exception as exc:  # noqa: BLE001
            escaped.append((label, "Classic", repr(exc)[:200]))
            continue
        _check_answer(result, label)
        texts = [cell for row in result for cell in row if isinstance(cell, str) and cell.startswith("#")]
        faults += [(label, text) for text in texts if "unexpected" in text]
        outcomes["classic error cells" if texts else "classic answered"] += 1
    print(f"\nExcel payloads: {CASES} generated, {2 * CASES} calls: {dict(outcomes)}; "
          f"escaped {len(escaped)}, faults {len(faults)}")
    assert not escaped, escaped[:10]
    assert not faults, faults[:10]
    assert outcomes["officejs refused"] > CASES // 4 and outcomes["officejs answered"] > CASES // 10


def test_generator_is_deterministic_and_covers_every_kind_of_break():
    first = [(name, what) for name, _args, what in payloads(300)]
    assert first == [(name, what) for name, _args, what in payloads(300)]
    kinds = Counter(part for _name, _args, what in payloads() for part in what.split("+"))
    assert set(kinds) == {"ragged", "nested", "too_many", "too_few", "odd_cell", "odd_column", "odd_argument",
                          "huge_column", "bool", "error_code", "grid", "empty"}
    assert min(kinds.values()) >= 100


# -- each shape, with the reason it is refused ----------------------------------------------------


def _refusal(officejs, name, *args) -> str:
    module, server, loop = officejs
    with pytest.raises(errors.TermbookError) as info:
        loop.run_until_complete(server.custom_functions_call(_body(name, list(args)), module))
    return str(info.value)


def _cells(officejs, name, *args):
    module, server, loop = officejs
    return loop.run_until_complete(server.custom_functions_call(_body(name, list(args)), module))


def test_ragged_range_is_refused(officejs):
    assert "rows of different lengths" in _refusal(officejs, "LSA_MAX_LIMIT", [[37572], [37572, 37573], [37574]])
    assert CLASSIC.LSA_MAX_LIMIT([[37572], [37572, 37573]])[0][0].startswith(
        "#VALUE!: as_of: rows of different lengths")


def test_nested_cell_is_refused(officejs):
    events = [["keltic_due_diligence", 37574], ["third_party_confirmation", [37575]]]
    assert _refusal(officejs, "LSA_MAX_LIMIT", [[37575]], events) == "events: a cell holds a list ([37575]); " \
        "a cell holds one value"
    assert "mixes cells and rows" in _refusal(officejs, "LSA_MAX_LIMIT", [[37575]], [["keltic", [37574]]])
    # inside a column each cell is its own answer: 85% of 2 is 1.7
    column = _cells(officejs, "LSA_CAPACITY", [[37572]], [[[1_000_000]], [2]])
    assert column == [[{"type": "Error", "errorType": "Value"}], [1.7]]
    assert CLASSIC.LSA_PRIME([[37572], 37573])[0][0] == "#VALUE!: as_of: row 2 is 37573, not a row of cells; " \
        "give a rectangular range"
    assert CLASSIC.LSA_PRIME([37572, [37573]])[0][0] == "#VALUE!: as_of: mixes cells and rows; give a rectangular range"
    assert CLASSIC.LSA_PRIME([[[37572], 37573]])[0][0] == "#VALUE!: as_of: a cell holds a list ([37572]); " \
        "a cell holds one value"


def test_one_argument_too_many_is_refused(officejs):
    message = _refusal(officejs, "LSA_PRIME", [[37572]], [[1]])
    assert message == "LSA_PRIME takes at most 1 argument (as_of); got 2"
    assert CLASSIC.LSA_PRIME(37572, 1) == [["#VALUE!: LSA_PRIME takes at most 1 argument (as_of); got 2"]]
    assert "takes at most 4 arguments (as_of, events, amended_through, rules); got 6" in _refusal(
        officejs, "LSA_MAX_LIMIT", [[37572]], None, None, None, None, [[1]])


def test_too_few_arguments_is_a_missing_value(officejs):
    assert _refusal(officejs, "LSA_MARGIN", [[37572]]).startswith("facility:")
    assert CLASSIC.LSA_CAPACITY(37572)[0][0].startswith("#VALUE!: receivables")


@pytest.mark.parametrize("number", [NAN, INF, -INF])
def test_nan_and_infinities_are_refused_in_every_numeric_argument(officejs, number):
    assert "is not a finite number" in _refusal(officejs, "LSA_INTEREST", [[37572]], [[37580]], [[1e6]],
                                                [["advances"]], None, [[number]])  # day_count
    assert "is not a finite number" in _refusal(officejs, "LSA_CAPACITY", [[37572]], [[number]])
    assert "is not a finite number" in _refusal(officejs, "LSA_RATE", [[37572]], [["advances"]], [[number]])
    column = _cells(officejs, "LSA_CAPACITY", [[37572], [37572]], [[1_000_000], [number]])
    assert column == [[850_000], [{"type": "Error", "errorType": "Value"}]]
    assert CLASSIC.SEV_ELECTION("lease", number, 1.0)[0][0].startswith("#VALUE!: outplacement_cost:")


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy says so; the layer refuses it
def test_no_answer_is_infinite(officejs):
    # 85% of 1e308 is finite: the Maximum Limit binds, $2,000,000 on 2002-11-12
    huge = _cells(officejs, "LSA_CAPACITY", [[37572], [37572]], [[1e308], [1_000_000]])
    assert huge == [[2_000_000], [850_000]]
    # 1.7e308 of acceptances plus 1.7e308 of guaranties is beyond the largest float: #NUM!, not -inf
    num = {"type": "Error", "errorType": "Num"}
    assert _cells(officejs, "LSA_CAPACITY", [[37572]], [[1_000_000]], [[1.7e308]], [[1.7e308]]) == [[num]]
    column = _cells(officejs, "LSA_CAPACITY", [[37572], [37572]], [[1_000_000]], [[1.7e308], [1]], [[1.7e308]])
    assert column == [[num], [1_000_000 * 0.85 - 1 - 1.7e308]]
    assert CLASSIC.LSA_CAPACITY(37572, 1e6, 1.7e308, 1.7e308)[0][0].startswith(
        "#NUM!: LSA_CAPACITY: the answer (-inf) is not a finite number")


def test_objects_of_unexpected_types_are_refused(officejs):
    assert "not a value Excel sends" in _refusal(officejs, "LSA_PRIME", [[{"a": 1}]])
    assert "not a value Excel sends" in _refusal(officejs, "LSA_PRIME", [[{"type": "Double", "basicValue": [1]}]])
    assert CLASSIC.LSA_PRIME(object())[0][0].startswith("#VALUE!: as_of: a cell holds a object")
    assert CLASSIC.LSA_PRIME(b"x")[0][0].startswith("#VALUE!: as_of: a cell holds a bytes")


def test_huge_text_is_refused_with_a_short_reason(officejs):
    message = _refusal(officejs, "LSA_MARGIN", [[37572]], [["x" * 100_000]])
    assert message.startswith("facility: unknown facility 'xxxx") and len(message) <= errors.MAX_REASON
