"""The house's rules on imports (bench/house.py reads them from the source): no import cycle, deferred
imports counted; imports run one way, deal records -> reading -> engine -> loading -> catalogue -> clients,
and no client imports another; the deal's records are a leaf with no I/O."""

import ast
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

HOUSE = Path(__file__).parents[2] / "bench" / "house.py"


@pytest.fixture(scope="module")
def house():
    return SimpleNamespace(**runpy.run_path(str(HOUSE)))  # a script, not a package: read from the tree


@pytest.fixture(scope="module")
def edges(house):
    return house.graph()


def test_no_import_cycle_counting_imports_deferred_into_functions(house, edges):
    assert house.cycles(edges) == []


def test_every_import_runs_with_the_flow(house, edges):
    assert house.against_flow(edges) == []


def test_the_deals_records_are_a_leaf_with_no_io(house, edges):
    path = house.ROOT / "udfs" / "deal" / "records.py"
    assert house.imports(path, set(edges)) == []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert modules <= {"__future__", "collections", "functools"}
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "open" not in calls


def test_a_deferred_import_counts_and_a_cycle_through_it_is_found(house, edges):
    loading = house.ROOT / "udfs" / "loading" / "deal_file.py"
    found = house.imports(loading, set(edges))
    assert ("udfs.deal.reader", True) in {(m, deferred) for m, _, deferred in found}
    assert ("udfs.deal.records", False) in {(m, deferred) for m, _, deferred in found}
    # a made-up graph: a -> b at the top, b -> c deferred, c -> a deferred; d apart
    made_up = {"a": [("b", 1, False)], "b": [("c", 9, True)], "c": [("a", 20, True)], "d": [("a", 1, False)]}
    assert house.cycles(made_up) == [["a", "b", "c"]]


def test_an_import_up_the_flow_or_across_clients_is_named(house):
    made_up = {
        "udfs.deal.records": [("udfs.engine.terms", 12, True)],  # records -> engine: up
        "udfs.engine.terms": [("udfs.deal.records", 9, False)],  # down: allowed
        "udfs.engine.made_up": [("udfs.loading", 3, False)],  # a new engine module: the loader is above it
        "udfs.catalogue.functions": [("workbook.build", 30, False)],  # catalogue -> clients: up
        "workbook.tabs.terms": [("udfs.terminal.main", 5, False)],  # the workbook imports the terminal: across
        "udfs.excel.broadcast": [("udfs.catalogue.functions", 23, False)],  # a client of the catalogue: allowed
    }
    assert house.against_flow(made_up) == [
        "udfs.catalogue.functions:30 imports workbook.build: catalogue -> clients, up the flow",
        "udfs.deal.records:12 imports udfs.engine.terms (deferred): records -> engine, up the flow",
        "udfs.engine.made_up:3 imports udfs.loading: engine -> loading, up the flow",
        "workbook.tabs.terms:5 imports udfs.terminal.main: one client (workbook) imports another (terminal)",
    ]


def test_every_module_has_a_layer(house, edges):
    for name in edges:
        house.layer(name)  # raises SystemExit naming a module that is in no layer


def test_every_test_lives_in_a_folder_of_its_area_and_the_index_names_each_folder(house):
    """Issue 18: tests are found by the rule they test. Each test file sits in a folder of tests/ that
    tests/README.md lists; no test file sits at the top, and no helper module is named like a test."""
    tests = house.ROOT / "tests"
    index = (tests / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\w+)/` \|", index, re.M))
    folders = {p.parent.name for p in tests.rglob("test_*.py") if "node_modules" not in p.parts}
    assert not list(tests.glob("test_*.py"))
    assert folders == listed, (folders - listed, listed - folders)
    for module in tests.rglob("*.py"):
        if module.name.startswith("test_"):
            assert any(n.name.startswith("test_") for n in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
                       if isinstance(n, ast.FunctionDef)), f"{module} holds no test"
