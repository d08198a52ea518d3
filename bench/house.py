"""The house in numbers: import cycles, imports against the flow, long files, long functions, and rules
written outside the engine, read from the source tree (never imported).

    python bench/house.py [--list]

Imports are read from the syntax tree: those at the top of a module and those deferred into a function
both count (a deferred import that closes a cycle still is one). `from a import b` counts as an import
of the module a.b where that is a module, else of a. A package's own imports (its __init__) count as
the package's; importing a submodule does not count as importing its parent package.

The flow runs one way, lowest first: the deal's records -> reading a deal file -> the engine -> loading
(read, then proved by asking the engine's views: udfs/loading/validate.py) -> the catalogue -> its
clients (the Excel functions, the terminal, the workbook). A module may import its own layer or a
lower one; a client may not import another client. tests/house/test_house.py holds the tree to these.

"Rules outside the engine" is a heuristic: each entry of RULE_SIGNS names a rule, the pattern that
shows it being worked out, and where it is allowed (its one declaration); every other place counts.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("udfs", "workbook")  # the installed code; tests/ and bench/ count for sizes only
LONG_FILE = 400
LONG_FUNCTION = 80

# Layers, lowest first. A module named in a layer is in it; else it is in the first layer with a prefix
# it starts with (a prefix ending in "." or "_"): a new module of the engine is in the engine until named.
LAYERS = (
    ("records", ("udfs.deal", "udfs.deal.records", "udfs.deal.errors")),
    ("reading", ("udfs.deal.",)),
    ("engine", ("udfs.engine", "udfs.engine.")),
    ("loading", ("udfs.loading", "udfs.loading.")),
    ("catalogue", ("udfs.catalogue", "udfs.catalogue.")),
    ("clients", ("udfs", "udfs.xlfuncs", "udfs.excel", "udfs.excel.", "udfs.terminal", "udfs.terminal.",
                 "workbook", "workbook.")),
)
# Clients sit side by side: none imports another (the terminal finds `build` and `check` by entry point).
CLIENTS = (
    ("excel", ("udfs.xlfuncs", "udfs.excel", "udfs.excel.")),
    ("terminal", ("udfs.terminal", "udfs.terminal.")),
    ("workbook", ("workbook", "workbook.")),
)

# (rule, pattern that works it out, the files allowed to: its one place)
RULE_SIGNS = (
    ("a document whose terms are known", r"is_lsa and (not )?[\w.]*terms_known", ("udfs/deal/records.py",)),
    ("which step binds (level until, lowest cap)", r"def (level_until|cap_until|lower_caps)\b|\bbind = ",
     ("udfs/engine/schedule.py",)),
    ("a term's kind guessed from its values", r"(any|all)\(isinstance\(\w+\.value, ", ()),
    ("rate = prime + margin", r"prime \+ margin|margin \+ prime", ("udfs/engine/terms.py",)),
    ("the severance plan in force", r'\.pick\(\w*(\.plan|\["plan"\])\)|\bplans\[[^]]*\.pick\(',
     ("udfs/engine/severance.py",)),
    ("a facility resolved from what a user typed", r"\.get\(\"aliases\"",
     ("udfs/engine/values.py", "udfs/deal/read_terms.py")),
)


def python_files(folders=PACKAGES) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py") if ".venv" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(module imported, line, deferred into a function) for each import of a project module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, deferred: bool):
        for child in ast.iter_child_nodes(node):
            inner = deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, deferred) for a in child.names if a.name in known)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in child.names:
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    if target in known:
                        found.append((target, child.lineno, deferred))
            visit(child, inner)

    visit(tree, False)
    return list(dict.fromkeys(found))  # `from .x import a, b` is one import


def graph() -> dict[str, list[tuple[str, int, bool]]]:
    files = {module_name(p): p for p in python_files()}
    return {name: [i for i in imports(path, set(files)) if i[0] != name] for name, path in files.items()}


def cycles(edges: dict) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w, _, _ in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    return sorted(out)


def _place(name: str, table) -> tuple[int, str] | None:
    for exact in (True, False):
        for rank, (label, prefixes) in enumerate(table):
            for prefix in prefixes:
                if name == prefix if exact else prefix.endswith((".", "_")) and name.startswith(prefix):
                    return rank, label
    return None


def layer(name: str) -> tuple[int, str]:
    found = _place(name, LAYERS)
    if found is None:
        raise SystemExit(f"house: {name} is in no layer; add it to LAYERS in bench/house.py")
    return found


def against_flow(edges: dict) -> list[str]:
    """Each import of a higher layer, or of another client."""
    out = []
    for source, targets in sorted(edges.items()):
        for target, line, deferred in targets:
            (rank_s, layer_s), (rank_t, layer_t) = layer(source), layer(target)
            how = " (deferred)" if deferred else ""
            if rank_t > rank_s:
                out.append(f"{source}:{line} imports {target}{how}: {layer_s} -> {layer_t}, up the flow")
            elif layer_s == layer_t == "clients" and target not in ("udfs",):
                client_s, client_t = _place(source, CLIENTS), _place(target, CLIENTS)
                if client_s and client_t and client_s != client_t:
                    out.append(f"{source}:{line} imports {target}{how}: one client ({client_s[1]}) "
                               f"imports another ({client_t[1]})")
    return out


def deferred_imports(edges: dict) -> list[str]:
    return [f"{s}:{line} imports {t}" for s, targets in sorted(edges.items()) for t, line, d in targets if d]


def long_files(folders=(*PACKAGES, "tests", "bench")) -> list[tuple[str, int]]:
    out = []
    for path in python_files(folders):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LONG_FILE:
            out.append((str(path.relative_to(ROOT)), lines))
    return sorted(out, key=lambda x: -x[1])


def long_functions(folders=(*PACKAGES, "tests", "bench")) -> list[tuple[str, int]]:
    out = []
    for path in python_files(folders):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > LONG_FUNCTION:
                    out.append((f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", lines))
    return sorted(out, key=lambda x: -x[1])


def rules_outside() -> list[tuple[str, str]]:
    """(rule, place) for each place that works out a rule other than its one place."""
    out = []
    for path in python_files():
        where = str(path.relative_to(ROOT))
        lines = path.read_text(encoding="utf-8").splitlines()
        for rule, pattern, allowed in RULE_SIGNS:
            if where in allowed:
                continue
            for number, text in enumerate(lines, start=1):
                if re.search(pattern, text):
                    out.append((rule, f"{where}:{number}"))
    return out


def _source_or_test(path: str) -> str:
    return "source" if path.split("/")[0] in PACKAGES else "tests/bench"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="house", description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="list every place, not only the counts")
    args = parser.parse_args(argv)
    edges = graph()
    found = {
        "import cycles": [" <-> ".join(c) for c in cycles(edges)],
        "imports against the flow": against_flow(edges),
        "imports deferred into functions": deferred_imports(edges),
        f"files over {LONG_FILE} lines": [f"{p} ({n})" for p, n in long_files()],
        f"functions over {LONG_FUNCTION} lines": [f"{p} ({n})" for p, n in long_functions()],
        "rules worked out outside their one place": [f"{place}: {rule}" for rule, place in rules_outside()],
    }
    for title, rows in found.items():
        split = ""
        if title.startswith(("files", "functions")):
            source = sum(_source_or_test(r) == "source" for r in rows)
            split = f" ({source} in udfs/ and workbook/, {len(rows) - source} in tests/ and bench/)"
        print(f"{title}: {len(rows)}{split}")
        if args.list or title.startswith(("import cycles", "imports against")):
            for row in rows:
                print(f"  {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
