"""The catalogue, declared once: every question's name, one-line help, and arguments.

Everything else derives from this table: the catalogue's list of names (udfs.catalogue.functions.CATALOGUE),
the Excel functions' descriptions and argument conversions (udfs.xlfuncs), and the terminal's help
(udfs.terminal.main). Help texts say what a question means for any deal; figures come from the loaded deal,
never from here.

Argument kinds: "date", "amount", "rate" (a fraction, or a date | rate table), "text", "bool",
"events" (name | date delivered), "offsets" (date | amount), "collateral" (component | amount),
"rules" (interpretation choices).
Arguments use the catalogue's names; Excel shows `date`, `start`, `end` as `as_of`, `start_date`,
`end_date` (Date and End are VBA keywords).
"""

from __future__ import annotations

from collections import namedtuple


class Arg(namedtuple("Arg", "name kind required help")):
    __slots__ = ()

    @property
    def excel_name(self) -> str:
        return EXCEL_NAMES.get(self.name, self.name)


class Function(namedtuple("Function", "name help args table group answer", defaults=(False, "", "money"))):
    """`table`: answers a table with a header row (spills in Excel); `answer`: what a single answer is,
    "money" (dollars), "rate" (a fraction) or "text". A named tuple, as the deal's records (why:
    udfs/deal/records.py): the terminal reads this table on every question."""

    __slots__ = ()


EXCEL_NAMES = {"date": "as_of", "start": "start_date", "end": "end_date"}
# Arguments that describe the view or the readings rather than a row: the terminal takes them as options.
VIEW_ARGUMENTS = ("events", "offsets", "collateral", "amended_through", "rules", "rule")

_DATE = "A date, Excel serial or date text; a range gives one answer per cell."
_AMENDED = "Optional. Count only documents signed on or before this date (default: all)."
_EVENTS = "Optional. Two columns: event name | date delivered. Blank rows skipped."
_RULES = "Optional. Interpretation choices, e.g. a choice name or name=choice; one cell or a range."
_MONEY = "In dollars, zero or more; a range gives one answer per cell."
_FACILITY = "A facility of the deal, e.g. \"advances\" or \"term loan\"."
_PRIME = "Optional. Prime rate instead of the built-in table: one rate (a fraction) or a date | rate table."
_OFFSETS = "Optional. Two columns: date received | compensation amount. Blank rows skipped."


def _a(name, kind, required, text):
    return Arg(name, kind, required, text)


DATE = _a("date", "date", True, _DATE)
EVENTS = _a("events", "events", False, _EVENTS)
AMENDED = _a("amended_through", "date", False, _AMENDED)
RULES = _a("rules", "rules", False, _RULES)
RECEIVABLES = _a("receivables", "amount", True, "Receivables borrowing base. " + _MONEY)
ACCEPTANCES = _a("acceptances", "amount", False, "Optional. Bankers' acceptances outstanding. " + _MONEY)
GUARANTIES = _a("guaranties", "amount", False, "Optional. Letters of guaranty outstanding. " + _MONEY)
LETTERS = _a("letters_of_credit", "amount", False, "Optional. Letters of credit outstanding. " + _MONEY)
RESERVE = _a("term_loan_reserve", "amount", False,
             "Optional. Term Loan Reserve in effect, where the terms bound Overadvances by it. " + _MONEY)
FACILITY = _a("facility", "text", True, _FACILITY)
PRIME = _a("prime", "rate", False, _PRIME)
COLLATERAL = _a("collateral", "collateral", False,
                "Optional. Two columns: collateral component | amount, for the deal's components besides "
                "receivables (e.g. inventory). Blank rows skipped.")


FUNCTIONS: tuple[Function, ...] = (
    Function("LSA_AMENDMENT", "The document whose terms govern each date.", (DATE, AMENDED, EVENTS),
             group="borrowing",
             answer="text"),
    Function("LSA_MAX_LIMIT", "Maximum Limit on each date, in dollars, given the events delivered.",
             (DATE, EVENTS, AMENDED, RULES), group="borrowing"),
    Function("LSA_CAPACITY", "Borrowing Capacity on each date: the lesser of the Maximum Limit and the "
             "borrowing base (receivables and any other collateral, each at its advance rate and sublimit), less "
             "acceptances, guaranties, letters of credit and reserves.",
             (DATE, RECEIVABLES, ACCEPTANCES, GUARANTIES, LETTERS, EVENTS, AMENDED, RULES, COLLATERAL),
             group="borrowing"),
    Function("LSA_OVERADVANCE_LIMIT", "Largest Overadvance permitted on each date, in dollars (0 when none is).",
             (DATE, RESERVE, AMENDED, EVENTS), group="borrowing"),
    Function("LSA_AVAILABILITY", "Room left to borrow on each date, in dollars: capacity (with any permitted "
             "Overadvance) less what is outstanding.",
             (DATE, RECEIVABLES, _a("outstanding", "amount", True, "Advances outstanding. " + _MONEY),
              ACCEPTANCES, GUARANTIES, LETTERS, RESERVE, EVENTS, AMENDED, RULES, COLLATERAL), group="borrowing"),
    Function("LSA_PRIME", "Prime rate on each date, as a fraction (the deal's prime table).", (DATE,),
             group="pricing", answer="rate"),
    Function("LSA_MARGIN", "Margin over prime for the facility on each date, as a fraction (pricing grid).",
             (DATE, FACILITY, AMENDED, EVENTS, RULES), group="pricing", answer="rate"),
    Function("LSA_RATE", "Interest rate for the facility on each date, as a fraction: prime after any floor and "
             "cap, plus the margin, plus any add-on (e.g. a default rate).",
             (DATE, FACILITY, PRIME, AMENDED, EVENTS, RULES), group="pricing", answer="rate"),
    Function("LSA_INTEREST", "Interest on a balance from start up to (not including) end, each day at that "
             "day's rate.",
             (_a("start", "date", True, "First day of interest (included). " + _DATE),
              _a("end", "date", True, "Day interest stops (not included). " + _DATE),
              _a("balance", "amount", True, "Balance outstanding each day. " + _MONEY),
              FACILITY, PRIME,
              _a("day_count", "text", False, 'Optional. "actual/360" or "actual/365" (default: the reading '
                 "in force)."),
              AMENDED, RULES, EVENTS), group="pricing"),
    Function("LSA_FEES_DUE", "Fee installments due from start to end (both included) after waivers, in dollars.",
             (_a("start", "date", True, "First day of the window (included). " + _DATE),
              _a("end", "date", True, "Last day of the window (included); it may run past the term's end, "
                 "where fees can still fall due. " + _DATE),
              EVENTS, AMENDED, RULES), group="fees"),
    Function("LSA_FEE_SCHEDULE", "Table of every fee installment: scheduled and due dates, amount, status, "
             "reason, citation.", (EVENTS, AMENDED, RULES), table=True, group="fees"),
    Function("LSA_DEADLINES", "Table of covenant and condition deadlines in the documents, with status and "
             "citations: with a date, met (on or late), not delivered, open or date passed as of it, given the "
             "events.",
             (AMENDED, _a("date", "date", False, "Optional. The as-of date of each status (default: none, only "
                          "whether a later document ended the requirement)."), EVENTS), table=True, group="fees"),
    Function("SEV_SCHEDULE", "Table of severance installments: due date, gross, offset and net amounts.",
             (_a("annual_salary", "amount", True, "Annual salary in dollars at the time of the letter."),
              _a("offsets", "offsets", False, _OFFSETS),
              _a("rule", "rules", False, "Optional. Interpretation choices for the severance terms.")),
             table=True, group="severance"),
    Function("SEV_PAYMENT", "Net severance installment due on each date, after offsets (0 on other days).",
             (DATE, _a("annual_salary", "amount", True, "Annual salary in dollars. " + _MONEY),
              _a("offsets", "offsets", False, _OFFSETS),
              _a("rule", "rules", False, "Optional. Interpretation choices for the severance terms.")),
             group="severance"),
    Function("SEV_LATE_INTEREST", "Interest on a severance installment paid after the letter's grace period, "
             "at the letter's late rate.",
             (_a("due_date", "date", True, "Installment due date. " + _DATE),
              _a("paid_date", "date", True, "Day the installment was paid. " + _DATE),
              _a("amount", "amount", True, "Installment amount paid late. " + _MONEY),
              _a("rule", "rules", False, "Optional. Interpretation choices for the severance terms.")),
             group="severance"),
    Function("SEV_ELECTION", "Amount for the outplacement / lease election under the severance letter.",
             (_a("election", "text", True, '"outplacement" or "lease": what the employee elected.'),
              _a("outplacement_cost", "amount", True, "Cost of the outplacement services, in dollars."),
              _a("lease_cost", "amount", True, "Lease costs for the rest of the lease term, in dollars."),
              _a("transfer_accepted", "bool", False,
                 "Optional. FALSE if the lessor refused a lease transfer (default TRUE).")),
             group="severance"),
    Function("LSA_EXPLAIN", "Table: every term in force on the date, its value, the document and step it comes "
             "from, why (events delivered or not, the reading in force) and the clause.",
             (_a("date", "date", True, "The date to explain (one date)."), EVENTS, AMENDED, RULES),
             table=True, group="about"),
    Function("TERMS_INFO", "Table: the deal, data version and content hash, the documents in view, and the "
             "interpretations in force; the window of dates answered, given the events.", (RULES, AMENDED, EVENTS),
             table=True, group="about"),
)

BY_NAME = {f.name: f for f in FUNCTIONS}
NAMES = tuple(f.name for f in FUNCTIONS)
TABLES = frozenset(f.name for f in FUNCTIONS if f.table)


def function(name: str) -> Function:
    return BY_NAME[name]
