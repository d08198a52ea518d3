"""The Terms tab's tables of data (step tables, fee tables, their printed columns) and the daily columns
whose formulas read them for a date."""
