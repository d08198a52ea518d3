"""The hand-worked clause cases (tests/data/clause-cases.toml) and how each client is asked them.

(Not a test file: tests/agreement/test_clause_cases.py runs the cases; this module only reads them,
turns a case's arguments into each client's call, and compares an answer with the case.)

A case names its arguments as the Excel functions do (`as_of`, `start_date`, `end_date`); the
catalogue's own names come from the one declaration, udfs.catalogue.spec. Events are {name: date}, offsets
[[date, amount], ...], rules a list of choice names, `rule` one choice name.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from pathlib import Path

from udfs.catalogue import spec

CASES_FILE = Path(__file__).parent / "data" / "clause-cases.toml"
AREAS = ("maximum limit", "overadvance", "borrowing base", "pricing", "interest", "fees", "deadlines", "term",
         "severance")
_CATALOGUE_NAME = {excel: name for name, excel in spec.EXCEL_NAMES.items()}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REQUIRED = ("id", "area", "clause", "function", "args", "expected", "working")


def load() -> list[dict]:
    with open(CASES_FILE, "rb") as handle:
        cases = tomllib.load(handle)["case"]
    for case in cases:
        missing = [k for k in REQUIRED if k not in case]
        assert not missing, f"{case.get('id')}: missing {missing}"
    return cases


def label(case: dict) -> str:
    """What a failure prints: the case and its clause."""
    return f"{case['id']} [{case['clause']}]"


def _arguments(case: dict) -> list[tuple[spec.Arg, object]]:
    """(declared argument, the case's value) in the function's order, for the arguments the case gives."""
    fn = spec.BY_NAME[case["function"]]
    given = {_CATALOGUE_NAME.get(k, k): v for k, v in case["args"].items()}
    unknown = set(given) - {a.name for a in fn.args}
    assert not unknown, f"{case['id']}: {fn.name} has no argument {sorted(unknown)}"
    return [(a, given[a.name]) for a in fn.args if a.name in given]


# -- path 1: the catalogue's Python function --------------------------------------------------------

def python_kwargs(case: dict) -> dict:
    return {arg.name: value for arg, value in _arguments(case)}


# -- path 2: the terminal, `termbook eval FUNCTION ... --json` -----------------------------------------

def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def terminal_argv(case: dict) -> list[str]:
    """The command line, by the terminal's one rule: the function's own arguments by position ('-' for
    one left out), the view arguments as options."""
    fn = spec.BY_NAME[case["function"]]
    given = dict((a.name, v) for a, v in _arguments(case))
    positional = [a for a in fn.args if a.name not in spec.VIEW_ARGUMENTS]
    last = max((i for i, a in enumerate(positional) if a.name in given), default=-1)
    argv = ["eval", fn.name] + [_text(given[a.name]) if a.name in given else "-" for a in positional[:last + 1]]
    for name, when in given.get("events", {}).items():
        argv += ["--event", f"{name}={when.isoformat()}"]
    for when, amount in given.get("offsets", []):
        argv += ["--offset", f"{when.isoformat()}={amount}"]
    if "amended_through" in given:
        argv += ["--amended-through", given["amended_through"].isoformat()]
    for choice in given.get("rules", []):
        argv += ["--rule", choice]
    if "rule" in given:
        argv += ["--rule", given["rule"]]
    return argv + ["--json"]


def from_json(text: str):
    """The printed JSON answer with its types back: numbers as JSON has them (a money or rate answer is
    printed with a decimal point, so it reads back a float), a "YYYY-MM-DD" text a date (README, Output)."""
    def typed(value):
        if isinstance(value, list):
            return [typed(v) for v in value]
        if isinstance(value, str) and _ISO_DATE.match(value):
            return dt.date.fromisoformat(value)
        return value
    return typed(json.loads(text))


# -- path 3: the Excel call path, as Classic xlwings hands cells over ------------------------------------

def _cell(value):
    """Classic xlwings: a date-formatted cell arrives as a datetime, a number as a float."""
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return value


def excel_args(case: dict) -> list:
    """Positional 2-D ranges in the function's order, None for a cell left empty, trailing ones dropped."""
    fn = spec.BY_NAME[case["function"]]
    given = dict((a.name, v) for a, v in _arguments(case))
    ranges = []
    for arg in fn.args:
        value = given.get(arg.name)
        if value is None:
            ranges.append(None)
        elif arg.kind == "events":
            ranges.append([[name, _cell(when)] for name, when in value.items()])
        elif arg.kind == "offsets":
            ranges.append([[_cell(when), amount] for when, amount in value])
        elif arg.kind == "rules" and isinstance(value, list):
            ranges.append([[choice] for choice in value])
        else:
            ranges.append([[_cell(value)]])
    while ranges and ranges[-1] is None:
        ranges.pop()
    return ranges


# -- answers -------------------------------------------------------------------------------------------

def pick(case: dict, table: list):
    """The cell of a table answer the case names: the one row whose cells under `pick`'s headers hold its
    values, in the column `column`."""
    head, rows = table[0], table[1:]
    wanted = case["pick"]
    found = [r for r in rows if all(r[head.index(k)] == v for k, v in wanted.items())]
    assert len(found) == 1, f"{case['id']}: {len(found)} rows with {wanted} in {head}"
    return found[0][head.index(case["column"])]


def answer(case: dict, result):
    """The case's answer out of a function's result (a table is picked from; a value is itself)."""
    return pick(case, result) if "pick" in case else result


def mismatch(case: dict, got) -> str | None:
    """None when `got` is the case's expected answer, of the same type (a date is a date, not a datetime;
    a float a float, not an int); else what differs."""
    want = case["expected"]
    if type(got) is not type(want):
        return f"{got!r} ({type(got).__name__}), expected {want!r} ({type(want).__name__})"
    if isinstance(want, float):
        ok = math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)
    else:
        ok = got == want
    return None if ok else f"{got!r}, expected {want!r}"
