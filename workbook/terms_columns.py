"""The Terms tab's printed columns and their widths (characters).

Declared here, below both writers of that tab: workbook/tab_terms.py, and workbook/fees_model.py, which
writes the fee rows into it and wraps their text in the same columns.
"""

PRINTED = ("#", "Document", "Version", "Signed", "Row", "From", "Version to", "Value", "Conditions", "Citation")
WIDTHS = (5, 20, 9, 10, 9, 10, 10, 11, 28, 25)
