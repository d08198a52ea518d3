"""The clause cases (tests/data/clause-cases.toml), worked by hand from Amendments No. 10 and No. 11 and
the severance letter without reading the code, run through four paths; each must give the case's
answer with its type (a date a date, a float a float):

1. the catalogue's Python function (udfs.catalogue.functions);
2. the terminal, `termbook eval FUNCTION ... --json` through the terminal's main(argv), its printed answer;
3. the Excel functions as Classic xlwings calls them (udfs.xlfuncs, 2-D ranges, datetimes for dates);
4. the portable workbook, built once and saved in copies, each with a set of the cases' inputs (events,
   amended-through date, readings, amounts, balances) typed into its Inputs tab, all recalculated in one
   LibreOffice run: the case's figure in its copy's named column (FIGURES below), on the case's day (a
   period's interest: the sum of its days). The cases with no figure there are printed, with the reason.

A failure names the case and its clause. Where the code disagrees with a case, the case stays as the
clause gives it and the disagreement is declared in DISAGREEMENTS (strict xfail: fixed code fails it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, namedtuple

import clause_cases as CC  # noqa: N812
import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812

import udfs.xlfuncs as X
from udfs.catalogue import spec
from udfs.catalogue.functions import default_catalogue
from udfs.deal.errors import TermsError
from udfs.engine import rules as rules_mod
from udfs.loading import default_deal
from udfs.terminal.main import main

CASES = CC.load()
BY_ID = {c["id"]: c for c in CASES}

# Where the code answers otherwise than the clause, per path: the case's id -> (paths, what and where).
# Empty: the three found (LSA_FEES_DUE and Terms.interest summing nothing to the int 0, the outplacement cap
# read as an int) were fixed in the code; a new one goes here as a strict xfail until it is.
DISAGREEMENTS: dict = {}


def _params(path: str, cases=CASES):
    out = []
    for case in cases:
        paths, why = DISAGREEMENTS.get(case["id"], ((), ""))
        marks = [pytest.mark.xfail(strict=True, reason=why)] if path in paths else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _check(case: dict, result, path: str):
    got = CC.answer(case, result)
    wrong = CC.mismatch(case, got)
    assert wrong is None, f"{path}: {CC.label(case)}: {wrong}"


# -- the table itself ------------------------------------------------------------------------------

def test_the_table_covers_every_area_with_unique_readable_cases():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 60
    per_area = Counter(c["area"] for c in CASES)
    assert set(per_area) == set(CC.AREAS), per_area
    assert all(per_area[a] >= 5 for a in CC.AREAS), per_area
    assert all(c["function"] in X.__all__ for c in CASES)
    assert set(DISAGREEMENTS) <= set(ids)


# -- path 1: the catalogue ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", _params("python"))
def test_catalogue(case):
    fn = getattr(default_catalogue(), case["function"])
    if case.get("error"):
        with pytest.raises(TermsError) as exc:
            fn(**CC.python_kwargs(case))
        assert exc.value.code == case["expected"], CC.label(case)
        return
    _check(case, fn(**CC.python_kwargs(case)), "catalogue")


# -- path 2: the terminal ----------------------------------------------------------------------------

@pytest.mark.parametrize("case", _params("terminal"))
def test_terminal(case, capsys):
    code = main(CC.terminal_argv(case))
    out, err = capsys.readouterr()
    if case.get("error"):  # one line naming the argument and why, exit 2; the same words as the catalogue's
        with pytest.raises(TermsError) as exc:
            getattr(default_catalogue(), case["function"])(**CC.python_kwargs(case))
        assert (code, out, err) == (2, "", f"termbook: {exc.value}\n"), CC.label(case)
        return
    assert code == 0 and err == "", f"{CC.label(case)}: exit {code}: {err}"
    _check(case, CC.from_json(out), "terminal")


# -- path 3: the Excel functions, Classic xlwings ------------------------------------------------------

@pytest.mark.parametrize("case", _params("excel"))
def test_excel_classic(case):
    result = getattr(X, case["function"])(*CC.excel_args(case))
    if "pick" not in case:
        assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, (CC.label(case), result)
        result = result[0][0]
    if case.get("error"):  # Classic xlwings shows the error as one line starting with its code
        assert isinstance(result, str) and result.startswith(case["expected"] + ": "), (CC.label(case), result)
        return
    _check(case, result, "Excel (Classic)")


# -- path 4: the recalculated workbook ----------------------------------------------------------------

# The base copy's inputs; a case's copy differs where its arguments do. The readings are the deal's defaults.
WORKBOOK_INPUTS = {"receivables": 2400000.0, "acceptances": 0.0, "guaranties": 0.0, "letters_of_credit": 100000.0,
                   "outstanding": 1500000.0, "term_loan_reserve": None, "prime_override": None,
                   "balances": {"advances": 1500000.0, "term_loan": 3000000.0}, "events": {},
                   "amended_through": None}
# The build's own inputs differ from the base copy's, and each typed copy is saved by openpyxl, which keeps
# no computed value: a figure equals a case only if LibreOffice recalculated it from the typed inputs.
BUILT_WITH = {"receivables": 1000000.0, "letters_of_credit": 0.0, "outstanding": 0.0,
              "balances": {"advances": 1000000.0, "term_loan": 1000000.0}}

# Function -> the named columns holding its figure (a daily tab's dates and figure; no dates: one cell
# figured from the Inputs tab), and the facility a column is for. Declared once; the rest of the runner reads it.
Figure = namedtuple("Figure", "dates column facility", defaults=(None,))
FIGURES = {
    "LSA_AMENDMENT": [Figure("BC_Date", "BC_Document")],
    "LSA_MAX_LIMIT": [Figure("BC_Date", "BC_MaxLimit")],
    "LSA_CAPACITY": [Figure("BC_Date", "BC_Capacity")],
    "LSA_OVERADVANCE_LIMIT": [Figure("BC_Date", "BC_Overadvance")],
    "LSA_AVAILABILITY": [Figure("BC_Date", "BC_Availability")],
    "LSA_PRIME": [Figure("PR_Date", "PR_Prime")],
    "LSA_MARGIN": [Figure("PR_Date", "PR_Margin_advances", "advances"),
                   Figure("PR_Date", "PR_Margin_term_loan", "term loan")],
    "LSA_RATE": [Figure("PR_Date", "PR_Rate_advances", "advances"),
                 Figure("PR_Date", "PR_Rate_term_loan", "term loan")],
    # a day's interest on the Inputs tab's balance; a period's interest is the sum of its days' rows
    "LSA_INTEREST": [Figure("PR_Date", "PR_Interest_advances", "advances"),
                     Figure("PR_Date", "PR_Interest_term_loan", "term loan")],
    "SEV_PAYMENT": [Figure(None, "SevPaymentAsOf")],  # the as-of date is the Inputs tab's
    "SEV_ELECTION": [Figure(None, "SevElection")],
    "SEV_LATE_INTEREST": [Figure(None, "SevLateInterest")],
}
# A case's arguments that pick its rows or column, not an input.
_SELECTORS = ("as_of", "start_date", "end_date", "facility")
# An optional argument left out, as the Inputs tab carries it: an amount 0, a reserve blank, no event, no view.
_LEFT_OUT = {"acceptances": 0.0, "guaranties": 0.0, "letters_of_credit": 0.0, "term_loan_reserve": None,
             "prime": None, "events": {}, "amended_through": None, "rules": [], "rule": [],
             "day_count": None, "collateral": None, "offsets": []}
# An argument named otherwise than its input (workbook_helpers.changes_for's keys).
_INPUT_OF = {("SEV_LATE_INTEREST", "due_date"): "late_due", ("SEV_LATE_INTEREST", "paid_date"): "late_paid",
             ("SEV_LATE_INTEREST", "amount"): "late_amount"}
_DEAL = default_deal()
_BUILT_AS_OF = H.make_inputs(deal=_DEAL).as_of
_RULE_OF = {choice: i.name for i in _DEAL.interpretations for choice in i.choices}
_NOT_AN_INPUT = {"day_count": "a day count argument: the Inputs tab has the day-count switch, not this argument",
                 "collateral": "collateral besides receivables: the Inputs tab has no cell for it"}


def workbook_view(case: dict) -> tuple[dict | None, str]:
    """The inputs the case's function reads, as the case gives them (workbook_helpers.changes_for's keys),
    or None and why its arguments cannot be typed into the Inputs tab."""
    selectors = _SELECTORS if FIGURES[case["function"]][0].dates else ()  # a one-cell figure's day is an input
    args = {k: v for k, v in case["args"].items() if k not in selectors}
    # a blank amended-through date means the documents signed by the as-of date (Inputs tab): a daily figure
    # reads its rows at the build's as-of date, the term's last day, when every document counts
    view = {"as_of": _BUILT_AS_OF} if selectors else {}
    for arg in spec.BY_NAME[case["function"]].args:
        name = arg.excel_name
        if name in selectors:
            continue
        if name not in args and name not in _LEFT_OUT:
            return None, f"{name} left out: its default on the Inputs tab is not declared here"
        value = args.pop(name, _LEFT_OUT.get(name))
        if name in _NOT_AN_INPUT:
            if value is not None:
                return None, _NOT_AN_INPUT[name]
        elif name == "balance":
            view["balances"] = {case["args"]["facility"].replace(" ", "_"): value}
        elif name == "prime":
            if not isinstance(value, (float, type(None))):
                return None, "a prime table: the Inputs tab takes one prime rate"
            view["prime_override"] = value
        elif name == "offsets":
            view["offsets"] = [{"date": when, "amount": amount} for when, amount in value]
        elif name in ("rules", "rule"):  # every switch: the case's choices, the defaults for the rest
            view["rules"] = rules_mod.defaults(_DEAL)
            for text in [value] if isinstance(value, str) else value:
                interp, _, choice = text.rpartition("=")
                view["rules"][interp or _RULE_OF[choice]] = choice
        else:
            view[_INPUT_OF.get((case["function"], name), name)] = value
    assert not args, f"{case['id']}: {sorted(args)} not placed"
    return view, ""


def _days(case: dict) -> list[dt.date]:
    """The rows the case reads: its day, or the days of its interest period (end excluded); none for a
    one-cell figure."""
    args = case["args"]
    if "start_date" not in args:
        return [args["as_of"]] if "as_of" in args else []
    n = (args["end_date"] - args["start_date"]).days
    return [args["start_date"] + dt.timedelta(days=i) for i in range(n)]


def figure_of(case: dict) -> tuple[Figure | None, str]:
    """The workbook column that holds the case's answer, or None and why there is none."""
    figures = FIGURES.get(case["function"])
    if not figures:
        return None, "no daily figure"
    if "pick" in case:
        return None, "a table answer"
    if not _days(case) and figures[0].dates:
        return None, "an empty period: no row to read"
    view, why = workbook_view(case)
    if view is None:
        return None, why
    return next(f for f in figures if f.facility == case["args"].get("facility")), ""


def _cells(case: dict) -> dict:
    """The input cells (by defined name) the case's answer depends on, and their values."""
    return H.changes_for(workbook_view(case)[0], _DEAL)


IN_WORKBOOK = [c for c in CASES if figure_of(c)[0] is not None]


def _copies(cases: list[dict]) -> tuple[list[dict], dict]:
    """Few copies: each case goes into the first copy whose cells agree with every cell the case depends
    on (cells no case of a copy depends on keep the base copy's inputs). [cells of each copy], {id: copy}."""
    copies, copy_of = [], {}
    for case in cases:
        cells = _cells(case)
        i = next((i for i, c in enumerate(copies) if all(c.get(k, v) == v for k, v in cells.items())), None)
        if i is None:
            i = len(copies)
            copies.append({})
        copies[i].update(cells)
        copy_of[case["id"]] = i
    base = H.changes_for(dict(WORKBOOK_INPUTS, rules=rules_mod.defaults(_DEAL)), _DEAL)
    return [base | c for c in copies], copy_of


COPIES, COPY_OF = _copies(IN_WORKBOOK)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """One build; one copy per set of inputs, typed into its Inputs tab; all recalculated in one LibreOffice
    run. {copy: {named column: values}} for the columns its cases read."""
    root = tmp_path_factory.mktemp("clause_cases")
    built = H.build_file(root / "built.xlsx", BUILT_WITH)
    typed = {}
    for i, cells in enumerate(COPIES):
        typed[i] = root / f"copy{i:02}.xlsx"
        H.set_inputs(built, typed[i], cells)
    out = H.recalculate(list(typed.values()), root / "recalc")
    columns = {}
    for i, path in typed.items():
        wb = openpyxl.load_workbook(out[path], data_only=True, read_only=True)
        names = {n for c in IN_WORKBOOK if COPY_OF[c["id"]] == i for n in figure_of(c)[0][:2] if n}
        columns[i] = {n: H.named(out[path], n, wb) for n in names}
        wb.close()
    return columns


def _workbook_value(value):
    """A spreadsheet has one kind of number: read a number cell as a float (TRUE/FALSE stay booleans)."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@pytest.mark.skipif(H.soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.filterwarnings("ignore:Unable to read chart")
@pytest.mark.parametrize("case", _params("workbook", IN_WORKBOOK))
def test_recalculated_workbook(case, recalculated):
    fig = figure_of(case)[0]
    columns = recalculated[COPY_OF[case['id']]]
    if fig.dates is None:  # one cell
        _check(case, _workbook_value(columns[fig.column][0]), f"workbook {fig.column}")
        return
    days = [H.as_date(v) for v in columns[fig.dates]]
    wanted = _days(case)
    if case.get("error"):  # no row for a day outside the terms
        assert days and not set(wanted) & set(days), CC.label(case)
        return
    assert set(wanted) <= set(days), f"{CC.label(case)}: days outside the workbook's rows"
    got = [_workbook_value(columns[fig.column][days.index(d)]) for d in wanted]
    _check(case, got[0] if len(got) == 1 else sum(got[1:], got[0]), f"workbook {fig.column}")


def test_cases_without_a_workbook_figure_are_named():
    """Path 4 runs the cases whose function has a daily figure and whose arguments the Inputs tab can carry;
    the others are printed here, by function and reason."""
    without = {}
    for case in CASES:
        fig, reason = figure_of(case)
        if fig is None:
            without.setdefault((case["function"], reason), []).append(case["id"])
    for (function, reason), ids in sorted(without.items()):
        print(f"not in the workbook ({reason}): {function}: {', '.join(ids)}")
    print(f"path 4: {len(IN_WORKBOOK)} cases in {len(COPIES)} copies of one build")
    assert len(IN_WORKBOOK) >= 60, [c["id"] for c in IN_WORKBOOK]
    assert {c["function"] for c in IN_WORKBOOK} == set(FIGURES)
