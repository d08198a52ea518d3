"""Engine benchmark: ratios measured in one run (not a timed test; the machine is shared and noisy).

1. LSA_CAPACITY per call over 100,000 random dates, against a hand-written baseline doing only the
   same arithmetic (bisect on the step dates, min, subtract). Goal: at most 3x the baseline.
2. The column path: 100,000 dates in one call. Goal: at most 0.1 s.
3. The explanation of LSA_MAX_LIMIT against the plain answer, per call, interleaved.

Run: python bench/bench_engine.py
"""

from __future__ import annotations

import datetime as dt
import random
import time
from bisect import bisect_right

import numpy as np

from udfs.catalogue.functions import LSA_CAPACITY, default_catalogue
from udfs.engine import columns
from udfs.engine.rules import resolve

N = 100_000
REPEATS = 5


def best_of(fn, repeats=REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    rng = random.Random(20021112)
    start = dt.date(2002, 10, 1)
    dates = [start + dt.timedelta(days=rng.randrange(92)) for _ in range(N)]
    receivables = [rng.uniform(0, 4_000_000) for _ in range(N)]
    catalogue = default_catalogue()

    # The baseline knows the answer's shape in advance: the Maximum Limit's step dates and values
    # with no deliveries (taken from the compiled schedule, so both sides do the same lookups).
    view = catalogue.terms.view(None, (), resolve(catalogue.deal, None))
    steps = view.term("max_limit")
    starts, values = list(steps.starts), list(steps.values)
    lo, hi = view.lo, view.hi

    def baseline():
        out = []
        for d, r in zip(dates, receivables):
            o = d.toordinal()
            if o < lo or o > hi:
                raise ValueError
            out.append(min(values[bisect_right(starts, o) - 1], 0.85 * r) - 25_000.0)
        return out

    def engine_scalar():
        return [LSA_CAPACITY(d, r, 25_000.0) for d, r in zip(dates, receivables)]

    assert baseline() == engine_scalar()
    t_base = best_of(baseline)
    t_engine = best_of(engine_scalar)

    def column_call():
        return catalogue.many("LSA_CAPACITY", [dates, receivables, 25_000.0], N)

    ordinals = np.array([d.toordinal() for d in dates], dtype=np.int64)
    rec = np.array(receivables)

    def column_arrays():
        return columns.capacity(view, ordinals, rec, 25_000.0)

    assert column_call() == engine_scalar()
    t_column = best_of(column_call)
    t_arrays = best_of(column_arrays)

    print(f"LSA_CAPACITY, {N:,} random dates 2002-10-01..2002-12-31 (best of {REPEATS})")
    print(f"  baseline bisect+min        {t_base * 1e9 / N:8.0f} ns/call")
    print(f"  engine, one call per date  {t_engine * 1e9 / N:8.0f} ns/call   ratio {t_engine / t_base:5.2f}x"
          f"   goal <= 3x   {'OK' if t_engine / t_base <= 3 else 'MISSED'}")
    print(f"  column, date objects in    {t_column:8.4f} s for {N:,}   goal <= 0.1 s   "
          f"{'OK' if t_column <= 0.1 else 'MISSED'}")
    print(f"  column, ordinal arrays in  {t_arrays:8.4f} s for {N:,}")

    # 3. Explanation cost: the same 2,000 dates answered plainly and explained, alternating runs.
    sample = [d.isoformat() for d in dates[:2000]]
    events = {"keltic_due_diligence": "2002-11-14", "third_party_confirmation": "2002-11-18"}

    def plain():
        return [catalogue.LSA_MAX_LIMIT(d, events) for d in sample]

    def explained():
        return [catalogue.explain("LSA_MAX_LIMIT", date=d, events=events) for d in sample]

    assert [e.answer for e in explained()] == plain()
    t_plain, t_explained = [], []
    for _ in range(REPEATS):
        t_plain.append(best_of(plain, 1))
        t_explained.append(best_of(explained, 1))
    p, e = sorted(t_plain)[REPEATS // 2], sorted(t_explained)[REPEATS // 2]
    print(f"LSA_MAX_LIMIT with two deliveries, {len(sample):,} dates as text (median of {REPEATS}, interleaved)")
    print(f"  plain answer               {p * 1e6 / len(sample):8.1f} us/call")
    print(f"  answer with its working    {e * 1e6 / len(sample):8.1f} us/call   ratio {e / p:5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
