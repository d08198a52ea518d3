"""The deal as data: its records (a leaf: no I/O, no imports of the project), the errors every layer
raises, and reading a deal file into records (the reader, its recurrences, the cache of what was read)."""
