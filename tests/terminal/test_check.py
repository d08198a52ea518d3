"""`termbook check FILE`: a loaded deal summarised for review, or a refusal in one line with exit 2.

Expected lines are read off the documents as encoded (dates, amounts and clauses of Amendments
No. 10 and 11), not copied from the command's output.
"""

import re
from pathlib import Path

from udfs.terminal.main import main

ROOT = Path(__file__).parents[2]
SEEDS = ROOT / "seeds" / "iec_hsbc_ge.toml"
MADE_UP = ROOT / "tests" / "data" / "made_up_deal.toml"


def run(capsys, *argv):
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_embedded_deal_is_summarised_for_review(capsys):
    code, out, err = run(capsys, str(SEEDS))
    assert code == 0 and err == ""
    lines = out.splitlines()
    # documents in signing order: the agreement of 1999-12-28 first, No. 11 of 2002-11-12 last
    docs = [ln for ln in lines if re.match(r"  \d{4}-\d\d-\d\d  ", ln)]
    assert len(docs) == 17
    assert [ln.split()[0] for ln in docs] == sorted(ln.split()[0] for ln in docs)
    assert docs[0].startswith("  1999-12-28  Loan and Security Agreement [lsa]: terms not in this file")
    assert docs[-1].startswith("  2002-11-12  Amendment No. 11 [amendment-11]: terms in this file")
    assert any(ln.startswith("  2002-06-06  Severance letter") and "outside the loan agreement" in ln for ln in docs)
    # the window in each view: No. 10 sets the term to 2002-12-31 from 2002-10-01; No. 11 leaves it
    assert "  through Amendment No. 10 (2002-10-01): 2002-10-01 to 2002-12-31" in lines
    assert "  through Amendment No. 11 (2002-11-12): 2002-10-01 to 2002-12-31" in lines
    # each term's versions and steps with their clauses
    assert "    Amendment No. 10, from 2002-10-01: 1,750,000 (Amendment No. 10, B.1 (Item 1(A)))" in lines
    assert "    Amendment No. 11, from 2002-11-12: 2,000,000 (Amendment No. 11, B.1 (Item 1(A)))" in lines
    assert "      cap on 2002-12-09: 1,750,000 (Amendment No. 11, B.1(A)(ii)(c))" in lines
    assert any(ln.startswith("      level on 2002-11-15: 2,300,000, once keltic_due_diligence, "
                             "third_party_confirmation delivered") for ln in lines)
    assert any(ln.startswith("    Amendment No. 11, from 2002-11-07 to 2002-12-31: 0.06 (6%)") for ln in lines)
    assert any(ln.startswith("    Amendment No. 10, from 2002-10-01: 0.85 (85%)") for ln in lines)
    # events, fees, rules, deadlines, readings
    assert any(ln.startswith("  full_payment: Full Payment of the Indebtedness; ends the agreement") for ln in lines)
    assert any(ln.startswith("    additional_fee: 2002-11-27 25,000 ") for ln in lines)
    assert any(ln.startswith("  extension_fee: Extension Fee, set by Amendment No. 10, total 150,000") for ln in lines)
    assert any("waive_after_event on extension_fee/base_fee, extension_fee/additional_fee: event = full_payment; "
               "before = 2002-12-31" in ln for ln in lines)
    assert any(ln.startswith("  2002-12-17 texas_auction_a11 [10.21]: ") for ln in lines)
    assert any(ln.startswith("  2002-10-31 purchase_offer [10.19]: ") and "deleted by Amendment No. 11" in ln
               for ln in lines)
    # No. 10 B.4 (10.19): a Purchase Offer, unless repaid sooner (a full payment); No. 11 B.1(A)(ii)(a): both
    assert any(ln.startswith("  2002-10-31 purchase_offer [10.19]: ") and "; met by purchase_offer or full_payment;"
               in ln for ln in lines)
    assert any(ln.startswith("  2002-11-22 max_limit_commitment ") and
               ln.endswith("; met by keltic_commitment and updated_confirmation") for ln in lines)
    assert any(ln.startswith("  severance_installments: first_six*, last_six, seven_parts ") for ln in lines)
    assert any(ln.startswith('  initial_term_year: recorded reading "2002", no switch') for ln in lines)


def test_a_later_document_that_extends_the_term_moves_its_views_window(tmp_path, capsys):
    """A made-up Amendment C (2021-11-01) extends the made-up deal's term from 2021-12-31 to 2022-02-28."""
    text = MADE_UP.read_text() + """
[[documents]]
id = "amend-c"
short = "C"
title = "Amendment C"
date = 2021-11-01
citation = "Amendment C"

[[terms.initial_term_end]]
document = "amend-c"
from = 2021-11-01
value = 2022-02-28
citation = "Amendment C, 1"
"""
    path = tmp_path / "extended.toml"
    path.write_text(text)
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert "  through Amendment A (2021-03-01): 2021-03-01 to 2021-12-31" in out.splitlines()
    assert "  through Amendment B (2021-06-15): 2021-03-01 to 2021-12-31" in out.splitlines()
    assert "  through Amendment C (2021-11-01): 2021-03-01 to 2022-02-28" in out.splitlines()


def test_a_refused_file_is_one_line_naming_file_field_and_reason(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    text = SEEDS.read_text().replace("late_rate = 0.18", "late_rate = 18")
    path.write_text(text)
    line = text.splitlines().index("late_rate = 18") + 1
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == ""
    assert err == (f"termbook: {path}: severance.late_rate: 18 is not a fraction from 0 to 1 (write 85% as 0.85) "
                   f"(line {line})\n")


def test_a_toml_error_names_the_line(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text("schema = 1\n[deal\nid = 1\n")
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert err.startswith(f"termbook: {path}: (file): not valid TOML at line 2, column 6: ")
    assert err.count("\n") == 1


def test_missing_file_and_missing_argument(tmp_path, capsys):
    code, _, err = run(capsys, str(tmp_path / "nope.toml"))
    assert code == 2 and "nope.toml: (file): cannot be read" in err
    code, _, err = run(capsys)
    assert code == 2 and err.startswith("usage: termbook check") and "termbook: error:" in err
