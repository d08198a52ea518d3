"""The Terms tab's readings: the interpretation choices (each switch on Inputs and its choices, matched
exactly by number) and the readings applied to the data (a value in force for the chosen switch)."""


from __future__ import annotations

from workbook.context import Context, safe_name
from workbook.tables.terms_columns import (
    C_CIT,
    C_COND,
    C_DOC,
    C_FROM,
    C_SIGNED,
    C_TO,
    C_VER,
    LINE,
    PRINTED,
    WIDTHS,
)
from workbook.tabs.text import human
from workbook.xl import col_name


def _flag(value):
    """A yes/no reading as the number 1 or 0: LibreOffice has no boolean type, so a flag a formula
    passes on is a number in every program (and shows yes/no through the flag format)."""
    return int(value) if isinstance(value, bool) else value


def choices(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's interpretation choices; returns the next free row."""
    name, deal = s.name, ctx.deal
    switchable = [x for x in deal.interpretations if x.choices]
    if switchable:
        meaning_width = sum(WIDTHS[C_TO:])
        heights = [LINE * max(1, -(-len(m) * 10 // (meaning_width * 11)))
                   for x in switchable for m in x.choices.values()]
        ctx.keep_together(s, row, LINE * 3 + sum(heights), scale)
        s.text(row, 0, "Interpretation choices (the switches on Inputs pick one of each)", "section")
        row += 1
        for c1, c2, head in ((C_DOC, C_VER, "Interpretation (switch on Inputs)"), (C_SIGNED, C_FROM, "Choice"),
                             (C_TO, C_CIT, "Meaning")):
            s.ws.merge_range(row, c1, row, c2, "", s.fmt("header"))
            s.text(row, c1, head, "header")
        # off the printed page: each choice's number if the switch equals it exactly (EXACT: names with *, ?
        # or ~, or differing only in case, are not patterns), and the switch's choice number (0: none)
        c_hit, c_no = len(PRINTED), len(PRINTED) + 1
        s.text(row, c_hit, "Switch is this choice", "header")
        s.text(row, c_no, "Switch's choice number", "header")
        row += 1
        for interp in switchable:
            first = row
            key = safe_name(interp.name)
            chosen = ctx.choice_numbers.get((interp.name, ctx.rules[interp.name]), 0)
            for choice, meaning in interp.choices.items():
                s.ws.merge_range(row, C_DOC, row, C_VER, "", s.fmt("data", "wrap"))
                s.value(row, C_DOC, human(interp.name) if row == first else None, "data", "wrap")
                s.ws.merge_range(row, C_SIGNED, row, C_FROM, "", s.fmt("data", "text"))
                s.value(row, C_SIGNED, choice, "data", "text")
                s.ws.merge_range(row, C_TO, row, C_CIT, "", s.fmt("data", "wrap"))
                s.value(row, C_TO, meaning, "data", "wrap")
                s.ws.set_row(row, LINE * max(1, -(-len(meaning) * 10 // (meaning_width * 11))))
                # formulas test a switch against the choice's name (a defined name), not a cell address
                ctx.define(
                    f"Choice_{safe_name(interp.name)}__{safe_name(choice)}", name, row, C_SIGNED)
                number = ctx.choice_numbers[(interp.name, choice)]
                s.formula(row, c_hit, f"=IF(EXACT(Switch_{key},{col_name(C_SIGNED)}{row + 1}),{number},0)",
                          number if number == chosen else 0, "calc", "int")
                row += 1
            ctx.define(f"ChoiceHit_{key}", name, first, c_hit, row - 1, c_hit)
            s.formula(first, c_no, f"=SUM(ChoiceHit_{key})", chosen, "calc", "int")
            ctx.define(f"SwitchNo_{key}", name, first, c_no)
            ctx.define(f"Choices_{key}", name, first, C_SIGNED, row - 1, C_SIGNED)
            ctx.define(f"ChoiceDesc_{key}", name, first, C_TO, row - 1, C_TO)
        row += 1
    return row


def readings(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's readings that change a term's data; returns the next free row."""
    name = s.name
    if ctx.choice_maps:
        ctx.keep_together(s, row, LINE * (4 + sum(1 + len(m.values) for m in ctx.choice_maps.values())),
                          scale)
        s.text(row, 0, "Readings applied to the data (value in force for the chosen switch)", "section")
        row += 1
        c_val, c_choice = C_COND, C_CIT
        heads = {C_DOC: "Reading (and its clause)", c_val: "Value", c_choice: "Switch setting (in force, then each)",
                 len(PRINTED): "Name", len(PRINTED) + 1: "Interpretation"}
        for j, head in heads.items():
            s.text(row, j, head, "header")
        s.ws.set_row(row, 2 * LINE + 2)
        row += 1
        readings_first = row
        c_key = len(PRINTED)  # the names the formulas look up stay off the printed page
        room = sum(WIDTHS[C_DOC:c_val])
        for key, cmap in ctx.choice_maps.items():
            s.value(row, c_key, key, "data", "text")
            s.value(row, c_key + 1, cmap.interpretation, "data", "text")
            text = f"{cmap.label} ({cmap.citation})" if cmap.citation else cmap.label
            s.ws.merge_range(row, C_DOC, row, c_val - 1, "", s.fmt("data", "wrap"))
            s.value(row, C_DOC, text, "data", "wrap")
            s.ws.set_row(row, LINE * max(1, -(-len(text) * 10 // (room * 11))))
            sw = f"Switch_{safe_name(cmap.interpretation)}"
            s.formula(row, c_choice, f"={sw}", ctx.rules[cmap.interpretation], "calc_centered", "text")
            resolved = _flag(ctx.choice_values[key])
            number = f"SwitchNo_{safe_name(cmap.interpretation)}"  # the rows below are in the choices' order
            s.formula(row, c_val, f"=IF({number}=0,NA(),INDEX({key}_Value,{number}))", resolved, "calc_centered",
                      cmap.kind)
            ctx.define(key, name, row, c_val)
            row += 1
            first = row
            for choice in ctx.deal.interpretation(cmap.interpretation).choices:
                value = cmap.values[choice]
                s.text(row, c_val - 1, "option", "side")
                s.value(row, c_choice, choice, "data_centered", "text")
                s.value(row, c_val, _flag(value), "data_centered", cmap.kind)
                row += 1
            ctx.define(f"{key}_Choice", name, first, c_choice, row - 1, c_choice)
            ctx.define(f"{key}_Value", name, first, c_val, row - 1, c_val)
        ctx.define("Reading_Key", name, readings_first, c_key, row - 1, c_key)
        ctx.define("Reading_Value", name, readings_first, c_val, row - 1, c_val)
        row += 1
    return row
