"""The Terms tab's printed columns and their widths (characters).

Declared here, below both writers of that tab: workbook/tabs/terms.py, and workbook/tables/fee_tables.py, which
writes the fee rows into it and wraps their text in the same columns.
"""

PRINTED = ("#", "Document", "Version", "Signed", "Row", "From", "Version to", "Value", "Conditions", "Citation")
WIDTHS = (5, 20, 9, 10, 9, 10, 10, 11, 28, 25)
# The printed columns' places, and the page they print on
C_ROW, C_DOC, C_VER, C_SIGNED, C_KIND, C_FROM, C_TO, C_VALUE, C_COND, C_CIT = range(len(PRINTED))
LINE = 12  # points a printed line takes (9-point text)
BODY_PT = 500  # printed points between the top margin and the footer of a landscape Letter (A4: about 490)
TERMS_SCALE = 90  # percent: the printed columns fit a landscape page across (9-point text prints at 8.1)
