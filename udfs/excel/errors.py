"""Error values: one failing cell (or call) as an Excel error code and a one-line reason, and how
each runtime shows it.

* Office.js (xlwings Server / Lite): a whole call that fails with #VALUE! raises, so Excel shows
  the reason on hover; any other code, or a cell inside a column, is the bare error value.
* Classic xlwings: a failing cell holds one line of text starting with the code,
  e.g. ``#N/A: 2003-02-01 is after ...``.
"""

from __future__ import annotations

import xlwings

from udfs.catalogue.spec import EXCEL_NAMES
from udfs.deal.errors import TermsError

VALUE = "#VALUE!"
NA = "#N/A"
NUM = "#NUM!"

# Error codes xlwings' Office.js engine turns into real error values (others stay text).
OFFICEJS_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
# Error codes as text: what an Office.js error object's basicValue holds (newer codes included).
ERROR_TEXTS = OFFICEJS_ERRORS | {
    "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
    "#UNKNOWN!", "#BUSY!", "#DATA!", "#PYTHON!", "#EXTERNAL!",
}
# Classic xlwings passes a raw error cell as its COM integer (0x800A0000 + the Excel error number).
COM_ERROR_BASE = -2146828288
COM_ERRORS = {
    2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?",
    2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!",
    2047: "#BLOCKED!", 2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!",
}
# Office.js error cells (Excel.CellValue objects) by their errorType, for a payload without a basicValue.
ERROR_TYPES = {
    "Div0": "#DIV/0!", "NotAvailable": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
    "Ref": "#REF!", "Value": "#VALUE!", "Spill": "#SPILL!", "Calc": "#CALC!", "GettingData": "#GETTING_DATA",
    "Field": "#FIELD!", "Blocked": "#BLOCKED!", "Connect": "#CONNECT!", "Busy": "#BUSY!", "Unknown": "#UNKNOWN!",
}
MAX_REASON = 240  # a reason fits a Classic cell (255 characters with its code) and a hover tip


class TermbookError(xlwings.XlwingsError):
    """A whole call that cannot be answered. xlwings Server and Lite show this message on
    the #VALUE! cell (they pass an XlwingsError's text through; other exceptions are
    hidden in production)."""


class Err:
    """One failing cell (or a whole call): an Excel error code and a one-line reason."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str):
        self.code = code
        message = " ".join(str(message).split())  # one line
        self.message = message if len(message) <= MAX_REASON else message[:MAX_REASON - 1] + "…"

    def __eq__(self, other):
        return isinstance(other, Err) and (self.code, self.message) == (other.code, other.message)

    def __hash__(self):
        return hash((self.code, self.message))

    def __repr__(self):
        return f"Err({self.code!r}, {self.message!r})"

    def classic_text(self) -> str:
        return f"{self.code}: {self.message}"[:255]


def shown(value, limit: int = 40) -> str:
    """A value as a reason quotes it: its repr, cut short (a cell may hold 32,767 characters)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def from_terms_error(err: TermsError) -> Err:
    code = getattr(err, "code", VALUE) or VALUE
    reason = getattr(err, "reason", None)
    if reason is None:
        return Err(code, str(err))
    if code == NA:  # the date speaks for itself: "#N/A: 2003-02-01 is after ..."
        return Err(NA, reason)
    argument = getattr(err, "argument", "")
    return Err(code, f"{EXCEL_NAMES.get(argument, argument)}: {reason}")


def unexpected(name: str, err: Exception) -> Err:
    """An engine fault, shown as a reason in a cell rather than a traceback."""
    return Err(VALUE, f"unexpected {type(err).__name__} in {name}: {err}")


def error_code(value) -> str | None:
    """The Excel error code if `value` is an error cell as xlwings delivers it."""
    if type(value) is str:
        return value if value in ERROR_TEXTS else None
    if type(value) is int and 2000 <= value - COM_ERROR_BASE <= 2100:
        return COM_ERRORS.get(value - COM_ERROR_BASE, VALUE)
    return None


def upstream(code: str, argument: str) -> Err:
    return Err(code, f"{argument} refers to a cell holding {code}")


def empty(argument: str) -> Err:
    return Err(VALUE, f"{argument}: the cell is empty; a value is required")


def not_finite(argument: str, value) -> Err:
    return Err(VALUE, f"{argument}: {value!r} is not a finite number")


def cell(err: Err, officejs: bool):
    """An error as one cell's value under the runtime."""
    if officejs:
        return err.code if err.code in OFFICEJS_ERRORS else VALUE
    return err.classic_text()


def whole_call(err: Err, officejs: bool):
    """A call that fails as a whole: one cell, or under Office.js a raised #VALUE! with the reason."""
    if officejs and err.code == VALUE:
        raise TermbookError(err.message)
    return [[cell(err, officejs)]]
