"""The Terms tab's printed columns and their widths (characters).

Declared here, below both writers of that tab: workbook/tabs/terms.py, and workbook/tables/fee_tables.py, which
writes the fee rows into it and wraps their text in the same columns.
"""

PRINTED = ("#", "Document", "Version", "Signed", "Row", "From", "Version to", "Value", "Conditions", "Citation")
WIDTHS = (5, 20, 9, 10, 9, 10, 10, 11, 28, 25)
