"""The generic checker: a deal file's raw TOML checked against SCHEMA_TABLES, table by table and value
by value (Reader). Every failure names the file, the field and the reason (DealFileError); a key not
declared is refused with the closest known key, so a typo never silently drops a term."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re

from udfs.deal.errors import DealFileError
from udfs.deal.schema import (
    BAD_CHARS,
    FIRST_DATE,
    ID_PATTERN,
    LAST_DATE,
    MAX_AMOUNT,
    MAX_LIST,
    MAX_NAME,
    MAX_TEXT,
    NAME_PATTERN,
    SCHEMA_TABLES,
    F,
)


def type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return "a date-time"
    return {int: "an integer", float: "a number", str: "text", list: "a list", dict: "a table",
            dt.date: "a date", dt.time: "a time"}.get(type(value), type(value).__name__)


def show(value) -> str:
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else repr(value)  # as written in TOML
    return text if len(text) <= 60 else text[:57] + "..."


class Reader:
    """Checks raw TOML against SCHEMA_TABLES; every failure names the file, the field and the reason."""

    def __init__(self, path: str):
        self.path = path
        self.maps: list[tuple[str, F, dict]] = []  # reading maps, checked once interpretations are read

    def fail(self, where: str, reason: str):
        raise DealFileError(self.path, where, reason)

    # -- tables ------------------------------------------------------------------------------
    def table(self, raw, section: str, where: str, *, kind_params: str | None = None) -> dict:
        """A table checked against its section: no unknown key, every required key, each value's kind."""
        if not isinstance(raw, dict):
            self.fail(where, f"expected a table, found {type_name(raw)}")
        fields = dict(SCHEMA_TABLES[section])
        if kind_params is not None:
            fields.update(SCHEMA_TABLES.get(f"{section} {kind_params}", {}))
        for key in raw:
            if key not in fields:
                self.unknown_key(where, key, fields, kind_params)
        out = {}
        for key, spec in fields.items():
            value = raw.get(key)
            if value is None:
                if spec.required:
                    self.fail(self.join(where, key), f"missing ({spec.doc})")
                continue
            out[key] = self.value(value, spec, self.join(where, key))
        return out

    def unknown_key(self, where: str, key: str, fields: dict, kind_params: str | None):
        self.name_text(key, self.join(where, key))
        close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
        other_kinds = [k.split(" ", 1)[1] for k in SCHEMA_TABLES if k.startswith("fee_rules[] ")
                       and key in SCHEMA_TABLES[k]]
        if kind_params is not None and other_kinds:
            self.fail(self.join(where, key), f"unknown key for a {kind_params} rule (it belongs to "
                      f"{' or '.join(other_kinds)})")
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(fields)}"
        self.fail(self.join(where, key), f"unknown key{hint}")

    @staticmethod
    def join(where: str, key) -> str:
        if isinstance(key, int):
            return f"{where}[{key}]"
        if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", key):
            key = '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'  # quoted as TOML would
        return f"{where}.{key}" if where else key

    def tables(self, raw, section: str, where: str, *, nonempty=False) -> list[tuple[str, dict, dict]]:
        """A list of tables: (where, checked, raw) for each."""
        items = self.items(raw, where, nonempty=nonempty)
        return [(self.join(where, i), self.table(item, section, self.join(where, i)), item)
                for i, item in enumerate(items)]

    def items(self, raw, where: str, *, nonempty=False) -> list:
        if not isinstance(raw, list):
            self.fail(where, f"expected a list, found {type_name(raw)}")
        if nonempty and not raw:
            self.fail(where, "must not be empty")
        if len(raw) > MAX_LIST:
            self.fail(where, f"has {len(raw)} entries; at most {MAX_LIST:,}")
        return raw

    def named(self, raw, where: str, pattern=NAME_PATTERN) -> dict:
        """A table of name -> value whose names other parts refer to."""
        if not isinstance(raw, dict):
            self.fail(where, f"expected a table, found {type_name(raw)}")
        for key in raw:
            self.name(key, self.join(where, key), pattern)
        return raw

    # -- values ------------------------------------------------------------------------------
    def value(self, value, spec: F, where: str):
        if spec.readable and isinstance(value, dict):
            self.maps.append((where, spec, value))
            return value
        return self.plain(value, spec, where)

    def plain(self, value, spec: F, where: str):
        kind = spec.kind
        if kind in ("table", "tables"):  # checked by the caller, section by section
            expected = dict if kind == "table" else list
            if not isinstance(value, expected):
                self.fail(where, f"expected {'a table' if kind == 'table' else 'a list of tables'}, "
                          f"found {type_name(value)}")
            return value
        if kind == "text":
            return self.text(value, where, spec.high or MAX_TEXT)
        if kind == "id":
            return self.name(value, where, ID_PATTERN)
        if kind == "word":
            self.text(value, where)
            if value not in spec.choices:
                close = difflib.get_close_matches(value, spec.choices, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(where, f"{show(value)} is not one of {', '.join(spec.choices)}{hint}")
            return value
        if kind == "date":
            return self.date(value, where)
        if kind == "bool":
            if not isinstance(value, bool):
                self.fail(where, f"expected true or false (without quotes), found {show(value)}")
            return value
        if kind == "int":
            number = self.integer(value, where, spec.low, spec.high)
            if spec.choices and number not in spec.choices:
                self.fail(where, f"{number} is not one of {', '.join(map(str, spec.choices))}")
            return number
        if kind == "amount":
            return self.number(value, where, 0.0, spec.high if spec.high is not None else MAX_AMOUNT)
        if kind == "fraction":
            return self.fraction(value, where)
        if kind == "number_or_date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return self.date(value, where)
            return self.number(value, where, 0.0, MAX_AMOUNT)
        if kind == "texts":
            texts = tuple(self.text(v, self.join(where, i)) for i, v in enumerate(self.items(value, where)))
            self.once(texts, where)
            return texts
        if kind == "names":
            names = tuple(self.name(v, self.join(where, i), ID_PATTERN if "/" not in str(v) else None)
                          for i, v in enumerate(self.items(value, where, nonempty=True)))
            self.once(names, where)
            return names
        if kind == "dates":
            dates = [self.date(v, self.join(where, i)) for i, v in enumerate(self.items(value, where, nonempty=True))]
            for i in range(1, len(dates)):
                if dates[i] <= dates[i - 1]:
                    self.fail(self.join(where, i), f"{dates[i]} is not after {dates[i - 1]}: dates must increase")
            return tuple(dates)
        if kind == "rate_rows":
            return self.rate_rows(value, where)
        raise AssertionError(kind)  # a kind the schema names but the reader lacks

    def once(self, entries, where: str, what: str = "") -> None:
        """No entry listed twice (entries compared by their TOML value)."""
        seen: dict[str, int] = {}
        for i, entry in enumerate(entries):
            key = repr(entry)
            if key in seen:
                self.fail(self.join(where, i), what.format(first=seen[key]) or f"{show(entry)} is listed twice")
            seen[key] = i

    def text(self, value, where: str, most: int = MAX_TEXT) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected text, found {type_name(value)} {show(value)}")
        if not value.strip():
            self.fail(where, "must not be empty")
        size = len(value) if len(value) <= most // 2 else len(value.encode("utf-16-le")) // 2  # as a cell counts
        if size > most:
            why = "a spreadsheet cell's limit" if most == MAX_TEXT else "it is printed in page headers and footers"
            counted = "" if size == len(value) else " (as a spreadsheet counts them: UTF-16 units)"
            self.fail(where, f"is {size:,} characters long; at most {most:,} ({why}){counted}")
        bad = BAD_CHARS.search(value)
        if bad:
            self.fail(where, f"contains the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}")
        return value

    def name_text(self, value, where: str):
        if isinstance(value, str) and (len(value) > MAX_NAME or BAD_CHARS.search(value)):
            self.fail(where, f"{show(value)} is not a usable name (at most {MAX_NAME} printable characters)")

    def name(self, value, where: str, pattern=ID_PATTERN) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected a name, found {type_name(value)} {show(value)}")
        self.name_text(value, where)
        if pattern is not None and not pattern.fullmatch(value):
            allowed = ("lower-case letters, digits and '_', starting with a letter" if pattern is NAME_PATTERN
                       else "letters, digits, '_', '.' and '-', starting with a letter or digit")
            self.fail(where, f"{show(value)} is not a name: use {allowed}")
        if pattern is ID_PATTERN and ".." in value:
            self.fail(where, f"{show(value)} is not a name: '..' is not allowed")
        return value

    def date(self, value, where: str) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.fail(where, f"expected a date like 2002-11-15 (without quotes), found {type_name(value)} "
                      f"{show(value)}")
        if not FIRST_DATE <= value <= LAST_DATE:
            self.fail(where, f"{value} is outside {FIRST_DATE} to {LAST_DATE}")
        return value

    def integer(self, value, where: str, low, high) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"expected a whole number, found {type_name(value)} {show(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            if low == high:
                self.fail(where, f"must be {low:g}, found {show(value)}")
            self.fail(where, f"must be from {low:g} to {high:g}, found {show(value)}")
        return value

    def number(self, value, where: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"expected a number, found {type_name(value)} {show(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(where, f"must be a finite number, found {value!r}")
        if value < low:
            self.fail(where, f"must be at least {low:g}, found {show(value)}")
        if value > high:  # compared before float(): an integer beyond a float's range is refused here
            self.fail(where, f"must be at most {high:g}, found {show(value)}")
        return float(value)

    def fraction(self, value, where: str) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 1:
            self.fail(where, f"{show(value)} is not a fraction from 0 to 1 (write 85% as 0.85)")
        return self.number(value, where, 0.0, 1.0)

    def rate_rows(self, value, where: str) -> tuple:
        rows, last = [], None
        for i, row in enumerate(self.items(value, where, nonempty=True)):
            rwhere = self.join(where, i)
            if not isinstance(row, list) or len(row) != 2:
                self.fail(rwhere, f"expected [date, rate], found {show(row)}")
            day, rate = self.date(row[0], rwhere), self.fraction(row[1], rwhere)
            if last is not None and day <= last:
                self.fail(rwhere, "dates must increase")
            rows.append((day, rate))
            last = day
        return tuple(rows)

    def refs(self, names: tuple, where: str, known, what: str):
        for i, name in enumerate(names):
            self.ref(name, self.join(where, i), known, what)

    def ref(self, name, where: str, known, what: str):
        if name not in known:
            close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else (f"; known: {', '.join(map(str, known))}"
                                                                  if known else f"; the deal has no {what}s")
            self.fail(where, f"unknown {what} {show(name)}{hint}")
