"""Which row of a version binds: the stretches udfs.engine.schedule gives per row (until when a level or a
cap can bind, which the workbook's step tables lay out) and the row the day-by-day compile says binds.

A made-up version, worked by hand: 100 from 2002-01-01; a level step to 120 on 2002-02-01; a cap at 90 on
2002-03-01; a cap at 80 on 2002-04-01; a level step to 150 on 2002-05-01. Rows: 0 the version's own
value, k + 1 its step k.
"""

import datetime as dt

from udfs.deal.records import Step, Version
from udfs.engine.rules import Rules
from udfs.engine.schedule import binding_row, cap_until, compile_term, level_until, lower_caps

D = dt.date
VERSION = Version("made-up", D(2002, 1, 1), None, 100, "own", (
    Step("level", D(2002, 2, 1), 120, "level 120"),
    Step("cap", D(2002, 3, 1), 90, "cap 90"),
    Step("cap", D(2002, 4, 1), 80, "cap 80"),
    Step("level", D(2002, 5, 1), 150, "level 150"),
))
EFFECTIVE = [D(2002, 1, 1), D(2002, 2, 1), D(2002, 3, 1), D(2002, 4, 1), D(2002, 5, 1)]


def test_a_level_holds_until_the_next_level_of_its_version():
    # 100 until 120 takes over on Feb 1; 120 until 150 on May 1; 150 to the end; caps set no level
    assert level_until(VERSION, EFFECTIVE) == [D(2002, 2, 1), D(2002, 5, 1), None, None, None]


def test_a_cap_can_bind_until_a_lower_cap_is_in_effect():
    assert lower_caps(VERSION, 2) == [3]  # 80 is below 90
    assert lower_caps(VERSION, 3) == []
    assert cap_until(VERSION, EFFECTIVE) == [None, None, D(2002, 4, 1), None, None]


def test_a_step_that_never_takes_effect_gives_way_to_none():
    never = EFFECTIVE[:3] + [D.max, D.max]  # the 80 cap and the 150 level never take effect
    assert level_until(VERSION, never) == [D(2002, 2, 1), D.max, None, None, None]
    assert cap_until(VERSION, never) == [None, None, D.max, None, None]


def test_the_row_that_binds_day_by_day():
    fn = compile_term((VERSION,), {"made-up"}, {}, Rules({}))
    rows = {day: binding_row(fn.piece(day.toordinal())) for day in (
        D(2002, 1, 15), D(2002, 2, 15), D(2002, 3, 15), D(2002, 4, 15), D(2002, 5, 15))}
    # Jan 100 (own); Feb 120 (level step 0); Mar the 90 cap binds (step 1); Apr the 80 cap (step 2);
    # May 150 is the level but the 80 cap still binds (step 2)
    assert rows == {D(2002, 1, 15): 0, D(2002, 2, 15): 1, D(2002, 3, 15): 2, D(2002, 4, 15): 3,
                    D(2002, 5, 15): 3}
    assert binding_row(fn.piece(D(2001, 12, 31).toordinal())) is None  # before the version: no row
