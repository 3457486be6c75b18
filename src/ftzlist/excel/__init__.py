"""Excel in and out: the inventory workbook (template and reader) and the decisions workbook.

Compliance teams keep their export inventory in Excel. `template` writes a workbook with the
columns a declaration needs, drop-down lists from the law's vocabularies and notes in Chinese and
English; `inventory` reads it back into a `Declaration`, naming sheet, row and column for every
problem; `decisions` writes a `DecisionSet` as a workbook a lawyer can filter. openpyxl is imported
inside functions so the CLI starts fast.
"""
