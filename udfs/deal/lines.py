"""Where a field stands in a deal file: its line, for refusals (best effort, read from the text)."""

from __future__ import annotations

import re

from udfs.deal.checker import Reader

_HEADER = re.compile(r"(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'("(?:[^"\\]|\\.)*"|[A-Za-z0-9_\-]+)\s*=')


def _header_parts(name: str) -> list[str]:
    return [p.strip().strip('"') for p in re.findall(r'"[^"]*"|[^.]+', name)]


def field_lines(text: str) -> dict[str, int]:
    """Best effort: the line where each table, array entry and key starts, by field path.

    Follows [table] and [[array]] headers (counting entries), `key =` lines, and the entries of a
    list written one per line; enough to point an error at its line in a deal file as people write it.
    """
    lines: dict[str, int] = {}
    counters: dict[str, int] = {}
    current, open_list, entry = "", None, 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if open_list is not None:
            if stripped.startswith(("{", "[", '"')) or re.match(r"\d", stripped):
                lines.setdefault(f"{open_list}[{entry}]", number)
                entry += 1
            if stripped.startswith("]"):
                open_list = None
            continue
        header = _HEADER.match(stripped)
        if header and not _KEY.match(stripped):
            path = ""
            parts = _header_parts(header.group(2))
            for i, part in enumerate(parts):
                path = Reader.join(path, part)
                if i == len(parts) - 1 and header.group(1) == "[[":
                    lines.setdefault(path, number)
                    counters[path] = counters.get(path, -1) + 1
                    path = f"{path}[{counters[path]}]"
                elif path in counters:
                    path = f"{path}[{counters[path]}]"
            lines.setdefault(path, number)
            current = path
            continue
        key = _KEY.match(stripped)
        if key:
            name = key.group(1).strip('"')
            path = Reader.join(current, name)
            lines.setdefault(path, number)
            rest = stripped[key.end():].split("#")[0].strip()
            if rest.startswith("[") and rest.count("[") > rest.count("]"):
                open_list, entry = path, 0
    return lines


def line_of(lines: dict[str, int], field: str) -> int | None:
    """The line of a field, or of the nearest enclosing one that has a line."""
    while field:
        if field in lines:
            return lines[field]
        cut = max(field.rfind("."), field.rfind("["))
        if cut <= 0:
            return None
        field = field[:cut]
    return None
