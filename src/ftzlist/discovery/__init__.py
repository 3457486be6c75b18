"""Discovery: find the personal information in a table and draft the declaration items for review.

`scan(source, options)` reads a table (CSV, Parquet, JSONL, XLSX or a database table), runs the
detectors over whole columns (vectorised: a pattern over the column, then a checksum only on the
candidates), and returns a `ScanReport`: per column, the kinds found with their evidence, a
confidence, the taxonomy category each suggests and whether it is sensitive; per identifier column,
the distinct persons and the minors under 14. Nothing it returns holds a raw value: examples are
masked. `draft_declaration(report)` turns the findings into a declaration whose items are all marked
`suggested: true`; `Declaration.suggested_items()` lists what a person still has to confirm.
"""
