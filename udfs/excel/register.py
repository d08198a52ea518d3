"""The Excel functions, generated from the catalogue's one declaration (udfs.catalogue.spec) and decorated
for xlwings.

Classic xlwings ("Import Functions") and Office.js (custom_functions_meta / _call) both find the
functions by their `__xlfunc__` attribute and read each one's parameters with
`inspect.signature`. So each function here is a real Python function, compiled from source built
from the spec, with the Excel argument names (as_of, start_date, ...). Its code also takes
arguments Excel would never send (one too many, or too few): they reach the layer and are refused
with a reason instead of a TypeError; `__signature__` shows xlwings only the declared ones.
"""

from __future__ import annotations

import importlib.util
import inspect
import keyword
import sys

from udfs.catalogue import spec
from udfs.excel.broadcast import Answer, dispatch

NAMESPACE = "TERMBOOK"  # Office.js: =TERMBOOK.LSA_CAPACITY(...)
CATEGORY = "termbook"  # Classic: the function wizard's category
# category: Classic's function wizard; namespace: Office.js. None is volatile.
OPTIONS = {"category": CATEGORY, "namespace": NAMESPACE, "volatile": False}

# name -> [(argument, kind, required, description)] in Excel's names.
SPECS: dict[str, list[tuple[str, str, bool, str]]] = {
    f.name: [(a.excel_name, a.kind, a.required, a.help) for a in f.args] for f in spec.FUNCTIONS
}
TABLES = spec.TABLES


def functions(officejs: bool, module: str) -> dict:
    """Every function of the catalogue, decorated for the runtime, as attributes of `module`."""
    if officejs:
        from xlwings import server as xw

        _skip_pyodide_lookups()
        returns = xw.ret(cells_converter())
    else:
        import xlwings as xw

        returns = None
    built = {}
    for function in spec.FUNCTIONS:
        f = _generated(function, officejs, module)
        if returns is not None:
            f = returns(f)
        # raw: the layer reads the cells itself (empty and error cells, Office.js value objects,
        # Classic COM values); xlwings' own cleaning costs far more per cell than the engine.
        for argument in function.args:
            f = xw.arg(argument.excel_name, "raw", doc=argument.help)(f)
        built[function.name] = xw.func(**OPTIONS)(f)
    return built


def _generated(function: spec.Function, officejs: bool, module: str):
    """def NAME(arg=None, ..., *more): return _call(NAME, (arg, ...) + more) -- with the declared signature."""
    names = [a.excel_name for a in function.args]
    for name in (function.name, *names):
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"udfs.catalogue.spec: {name!r} cannot name an Excel function or argument")
    parameters = ", ".join(f"{name}=None" for name in names)
    values = "".join(f"{name}, " for name in names)
    source = (f"def {function.name}({parameters}{', ' if names else ''}*more):\n"
              f"    return _call({function.name!r}, ({values}) + more)\n")

    if officejs:
        def call(name, values):
            return dispatch(name, values, True)  # cells_converter unwraps the Answer
    else:
        def call(name, values):
            return dispatch(name, values, False).rows

    namespace = {"_call": call}
    exec(compile(source, f"<udfs.catalogue.spec: {function.name}>", "exec"), namespace)  # names checked above
    f = namespace[function.name]
    f.__module__ = module
    f.__doc__ = function.help
    declared, optional = [], False
    for argument in function.args:
        optional = optional or not argument.required
        default = None if optional else inspect.Parameter.empty
        declared.append(inspect.Parameter(argument.excel_name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                          default=default))
    f.__signature__ = inspect.Signature(declared)
    return f


def cells_converter():
    from xlwings.conversion import Converter
    from xlwings.pro import _xlofficejs

    class Cells(Converter):
        """Office.js results: an all-number answer goes out as it is; every other cell (dates,
        blanks, error codes) through xlwings' own Office.js cell conversion, with the runtime
        version and the workbook's date format that xlwings passes in `options`. Same output as
        xlwings' default, without its per-cell overhead on a numeric column."""

        base_type = "raw"

        @staticmethod
        def write_value(value, options):
            if type(value) is not Answer:  # a function of another module using this converter
                value = Answer(value if isinstance(value, list) else [[value]])
            if value.numbers:
                return value.rows
            prepare = _xlofficejs.engine.prepare_xl_data_element
            return [
                [x if (type(x) is float and x == x) or type(x) is int else prepare(x, options) for x in row]
                for row in value.rows
            ]

    return Cells


def _skip_pyodide_lookups():
    """Outside Pyodide (xlwings Server), xlwings tries `from pyodide.ffi import JsNull` for every
    argument of every call; each failed import searches the whole of sys.path again (about 0.1 ms
    an argument, more than the engine spends on a 1,000-row column). Marking the missing package
    as missing in sys.modules makes that import fail at once, with the same ImportError. Inside
    Pyodide the package exists and nothing changes."""
    if "pyodide" not in sys.modules and importlib.util.find_spec("pyodide") is None:
        sys.modules["pyodide"] = None
