"""`termbook eval`: answers on stdout, one clear line on stderr for errors, exit codes."""

import json
import subprocess
import sys

import pytest

from udfs.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.mark.parametrize("argv, expected", [
    (["LSA_MAX_LIMIT", "2002-11-21"], "2000000"),                       # No. 11 base
    (["LSA_MAX_LIMIT", "2002-11-22"], "1750000"),                       # (ii)(a): nothing delivered
    (["LSA_MAX_LIMIT", "Nov 16, 2002", "--event", "keltic_due_diligence=2002-11-14",
      "--event", "third_party_confirmation=11/15/2002"], "2300000"),   # (i), dates in other forms
    (["lsa_max_limit", "2002-11-12", "--amended-through", "2002-11-11"], "1750000"),  # No. 10 view
    (["LSA_CAPACITY", "2002-10-15", "1000000", "50000"], "800000"),     # 85% x 1,000,000 - 50,000
    (["LSA_RATE", "2002-11-07", "term loan"], "0.1025"),               # 4.25% + 6.0%
    (["LSA_MARGIN", "2002-11-07", "advances", "--amended-through", "2002-11-11"], "0.035"),
    (["LSA_FEES_DUE", "2002-12-31", "2002-12-31"], "110000"),          # 15k+30k+40k Base, 25k No. 11 fee
    (["LSA_FEES_DUE", "2002-10-31", "2002-10-31", "--rule", "unpaid_only"], "25000"),
    (["SEV_PAYMENT", "2003-03-31", "120000", "--rule", "last_six"], "10000"),
    (["SEV_PAYMENT", "2002-10-31", "120000", "--offset", "2002-10-01=4000"], "6000"),
    (["SEV_LATE_INTEREST", "2002-09-30", "2002-10-30", "10000"], "147.94520547945206"),  # 10,000 x 18% x 30/365
    (["LSA_OVERADVANCE_LIMIT", "2002-10-14", "-", "--amended-through", "2002-10-31"], "400000"),
    # Letter 2(e): lessor refuses the transfer -> the greater of outplacement (6,000) and lease (8,000)
    (["SEV_ELECTION", "outplacement", "6000", "8000", "FALSE"], "8000"),
    (["SEV_ELECTION", "outplacement", "6000", "8000", "no"], "8000"),
    (["SEV_ELECTION", "outplacement", "6000", "8000", "true"], "6000"),  # transfer accepted: outplacement as chosen
])
def test_answers(capsys, argv, expected):
    code, out, err = run(capsys, "eval", *argv)
    assert (code, out, err) == (0, expected, "")


def test_tables_as_text_and_json(capsys):
    code, out, _ = run(capsys, "eval", "SEV_SCHEDULE", "120000")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["installment", "due_date", "gross"]
    assert lines[1].split()[:3] == ["1", "2002-09-30", "10000"] and len(lines) == 7
    code, out, _ = run(capsys, "eval", "LSA_DEADLINES", "--json")
    rows = json.loads(out)
    assert rows[0][0] == "date" and ["2002-12-17", "10.21"] == [rows[i] for i in range(len(rows))
                                                               if rows[i][0] == "2002-12-17"][0][0:4:2]


@pytest.mark.parametrize("argv, needle", [
    (["LSA_MAX_LIMIT", "2003-02-01"], "date: 2003-02-01 is after the Initial Term, which ended 2002-12-31"),
    (["LSA_MAX_LIMIT", "2002-09-30"], "date: 2002-09-30 is before 2002-10-01"),
    (["LSA_MAX_LIMIT", "soon"], "date: 'soon' is not a date"),
    (["LSA_CAPACITY", "2002-11-01", "-5"], "receivables: '-5' is negative"),
    (["LSA_RATE", "2002-11-01", "mortgage"], "facility: unknown facility 'mortgage'"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--event", "keltic=2002-11-01"], "events: unknown event 'keltic'"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--event", "keltic_commitment"], "--event: 'keltic_commitment' is not KEY=VALUE"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--rule", "generous"], "rules: unknown rule 'generous'"),
    (["LSA_NOPE"], "unknown function 'LSA_NOPE'"),
    (["SEV_ELECTION", "outplacement", "1", "1", "maybe"], "transfer_accepted: 'maybe' is not TRUE or FALSE"),
    (["LSA_CAPACITY", "2002-11-01"], "receivables: LSA_CAPACITY needs receivables"),
    (["LSA_PRIME", "2002-11-01", "extra"], "LSA_PRIME takes at most 1 arguments"),
    (["LSA_PRIME", "2002-11-01", "--event", "full_payment=2002-12-01"], "LSA_PRIME does not take events"),
])
def test_errors_are_one_line_with_exit_2(capsys, argv, needle):
    code, out, err = run(capsys, "eval", *argv)
    assert code == 2 and out == ""
    assert needle in err and err.startswith("termbook: ") and "\n" not in err


def test_console_script_prints_no_traceback():
    result = subprocess.run([sys.executable, "-m", "udfs.cli", "eval", "LSA_PRIME", "2002-13-45"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "termbook: date: '2002-13-45' is not a date (use YYYY-MM-DD)"
