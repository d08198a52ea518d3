"""termbook: credit-agreement terms as data, answered for any date.

`udfs.engine` is the terms engine (no Excel imports); `udfs.functions` is the catalogue of
questions (LSA_*, SEV_*, TERMS_INFO); `udfs.xlfuncs` exposes them to Excel through xlwings.
"""
