"""Excel functions: the termbook catalogue as xlwings custom functions.

One module for both runtimes:

* Classic xlwings (Windows desktop Excel with the free xlwings add-in): put ``udfs.xlfuncs``
  in "UDF Modules" and click "Import Functions".
* xlwings Server / xlwings Lite (Office.js custom functions, Excel on Windows, Mac and the
  web): ``from udfs.xlfuncs import *`` in the custom-functions module. They appear under the
  ``TERMBOOK`` namespace, e.g. ``=TERMBOOK.LSA_CAPACITY(A2:A400, B2:B400)``.

Names, arguments and help come from the catalogue's one declaration (udfs.catalogue.spec); the functions
are generated from it (udfs.excel.register). This module holds no term logic and no conversion:
see udfs.excel for error values, argument conversion and broadcasting over ranges.

Cell conventions
----------------
* Any per-row argument may be one cell or a range; ranges broadcast like numpy (equal sizes,
  or 1) and the answer has the broadcast shape, so a column of dates gives a column.
* Dates: Excel serials in the 1900 date system (serials below 61 follow Excel's phantom
  1900-02-29, which is refused), datetimes, or date text.
* A row whose first argument is empty gives an empty cell.
* Optional arguments may be omitted or empty. A cell holding an Excel error is never treated
  as empty: the error comes back (same code) for the rows it affects.
* Events are two columns, name | date delivered; offsets are two columns, date | amount.
  Blank rows are skipped, and so is a header row ("event"/"name" | ..., "date" | ...); a
  two-row range wider than two columns is read sideways.
* Table functions (LSA_FEE_SCHEDULE, LSA_EXPLAIN, ...) take one cell per argument and spill a
  table with a header row.
* Errors: under Office.js a bad argument raises (``#VALUE!`` with the reason on hover) and a
  date outside the terms is ``#N/A``; inside a column each failing cell is its own error
  value. Under Classic xlwings a failing cell holds one line starting with the error code,
  e.g. ``#N/A: 2003-02-01 is after ...``. Any payload that is not a range of plain cells
  (ragged or nested rows, an argument too many, objects, NaN or infinities) is refused the same
  way; an answer that would not be a finite number is ``#NUM!``.
"""

from __future__ import annotations

import os

from udfs.catalogue import spec as _spec
from udfs.excel import register as _register
from udfs.excel.errors import TermbookError

# xlwings picks its decorators when xlwings itself is imported: Office.js ones when
# XLWINGS_ON_SERVER=true (xlwings Server, xlwings Lite), Classic ones on Windows. Deciding
# here, at this module's import, gives the same answer in production and lets a test switch
# runtimes by re-importing this module alone.
OFFICEJS = os.environ.get("XLWINGS_ON_SERVER") == "true"

NAMESPACE = _register.NAMESPACE
SPECS = _register.SPECS
TABLES = _register.TABLES

globals().update(_register.functions(OFFICEJS, __name__))

__all__ = [*_spec.NAMES, "TermbookError"]
