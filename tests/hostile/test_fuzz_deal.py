"""Fuzzing the deal loader: 1,200 mutated copies of the embedded deal, each refused clearly or answering.

The generator and the runner live in bench/fuzz_deal.py (also runnable on its own); this test runs
them in-process and prints the summary line. Every file must be refused with a DealFileError naming
the file and a field, or load and answer every question (and build, for every tenth that loads).
"""

import importlib.util
import time
from pathlib import Path

FUZZ = Path(__file__).parents[2] / "bench" / "fuzz_deal.py"


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("fuzz_deal", FUZZ)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_mutated_deal_is_refused_clearly_or_answers(capsys):
    fuzz = _fuzz_module()
    start = time.perf_counter()
    counts, failures = fuzz.run(fuzz.CASES)
    line = fuzz.summary(counts, time.perf_counter() - start)
    with capsys.disabled():
        print("\n" + line)
    cases = counts["refused"] + counts["vague"] + counts["answered"] + counts["faulty"] + counts["internal"]
    assert cases >= 1000
    assert not failures, failures[:5]
    assert counts["internal"] == counts["faulty"] == counts["vague"] == counts["wrongly_loaded"] == 0
    # the generator makes both kinds of file: a fuzzer that only breaks files would test nothing else
    assert counts["refused"] > 500 and counts["answered"] > 50


def test_the_generator_is_deterministic():
    fuzz = _fuzz_module()
    first = [data for _, data in fuzz.generate(50)]
    assert first == [data for _, data in fuzz.generate(50)]
    assert len(set(first)) > 40


def test_a_failure_is_caught_not_hidden():
    """The runner itself tells a crash from a clear refusal (so a green run means something)."""
    fuzz = _fuzz_module()
    seed = FUZZ.parents[1].joinpath("seeds", "iec_hsbc_ge.toml").read_bytes()
    assert fuzz.run_case("seed", seed, True)[0] == "answered"
    assert fuzz.run_case("empty", b"", False)[0] == "refused"
    assert fuzz.run_case("bad", b"\xff", False)[0] == "refused"


def test_a_crash_counts_as_internal(monkeypatch):
    import udfs.loading as deal_mod

    def crash(data, path):
        raise TypeError("boom")

    monkeypatch.setattr(deal_mod, "parse_deal", crash)
    assert _fuzz_module().run_case("crash", b"schema = 1", False) == ("internal", "load: TypeError: boom")


def test_through_the_terminal_a_sample_exits_0_or_2_in_one_line(tmp_path, capsys):
    """Every 40th mutated file through `termbook check`: exit 0 with a summary, or exit 2 with one line
    naming the file and the field."""
    from udfs.terminal.main import main

    fuzz = _fuzz_module()
    outcomes = set()
    for n, (_, data) in enumerate(fuzz.generate(fuzz.CASES)):
        if n % 40:
            continue
        path = tmp_path / f"case{n}.toml"
        path.write_bytes(data)
        code = main(["check", str(path)])
        out, err = capsys.readouterr()
        outcomes.add(code)
        if code == 0:
            assert out.startswith(f"{path}: loads") and err == ""
        else:
            assert code == 2 and out == ""
            assert err.startswith(f"termbook: {path}: ") and err.count("\n") == 1, err
    assert outcomes == {0, 2}


def test_every_mutated_inputs_file_is_refused_in_one_line_or_answers(capsys):
    """Inputs files: the README's example with values of the right kind, absurd ones and broken text. A file
    with an absurd value must be refused (one line naming the file); answered, it is a silent answer."""
    fuzz = _fuzz_module()
    start = time.perf_counter()
    counts, failures = fuzz.run_inputs(fuzz.CASES // 2)
    with capsys.disabled():
        print("\n" + fuzz.fuzz_line("inputs files", counts, time.perf_counter() - start))
    assert not failures, failures[:5]
    assert counts["internal"] == counts["silent"] == counts["vague"] == 0
    assert counts["refused"] > 200 and counts["answered"] > 50


def test_every_terminal_line_with_blank_or_absurd_values_is_refused(capsys):
    """`termbook eval` lines with blanks ('' as an argument or an option), far dates and absurd amounts."""
    fuzz = _fuzz_module()
    start = time.perf_counter()
    counts, failures = fuzz.run_lines(fuzz.CASES // 2)
    with capsys.disabled():
        print("\n" + fuzz.fuzz_line("terminal lines", counts, time.perf_counter() - start))
    assert not failures, failures[:5]
    assert counts["internal"] == counts["silent"] == 0
    assert counts["refused"] > 200 and counts["answered"] > 50


def test_the_inputs_and_line_fuzzers_tell_a_silent_answer(tmp_path):
    fuzz = _fuzz_module()
    assert fuzz.run_inputs_case("ok", b"receivables = 5", tmp_path, False)[0] == "answered"
    assert fuzz.run_inputs_case("bad", b"receivables = -5", tmp_path, False)[0] == "refused"
    assert fuzz.run_line(["eval", "LSA_MAX_LIMIT", "2002-11-20"])[0] == "answered"
    assert fuzz.run_line(["eval", "LSA_MAX_LIMIT", "2002-11-20", "--rule", ""])[0] == "refused"
