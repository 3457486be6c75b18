"""Draft a declaration from a scan: one data item per suggested category, every item marked
`suggested: true`, every fact the scan cannot know left as a commented TODO placeholder.

The YAML is written as text (PyYAML cannot write comments) with every value passed through a JSON
dump, which is valid YAML; `tests/discovery` loads each draft back into `Declaration`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ftzlist.discovery.findings import Finding, ScanReport

DRAFT_MIN_CONFIDENCE = 0.5
"""Findings below this confidence are listed in a comment, not drafted as items."""


@dataclass
class _Item:
    category: str
    sensitive: bool
    columns: list[str]
    confidence: float
    records: int
    kinds: list[str]


def _q(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> str:
    return re.sub(r"[\r\n]+", " ", text)


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "table"


def _items(report: ScanReport) -> tuple[list[_Item], list[tuple[str, Finding]]]:
    items: dict[str, _Item] = {}
    left_out: list[tuple[str, Finding]] = []
    for col in report.columns:
        for f in col.findings:
            if not f.personal or f.confidence < DRAFT_MIN_CONFIDENCE:
                left_out.append((col.name, f))
                continue
            it = items.setdefault(f.category, _Item(f.category, f.sensitive, [], 0.0, 0, []))
            if col.name not in it.columns:
                it.columns.append(col.name)
            if f.kind not in it.kinds:
                it.kinds.append(f.kind)
            it.confidence = max(it.confidence, f.confidence)
            it.records = max(it.records, f.evidence[0].matched if f.evidence else 0)
    return sorted(items.values(), key=lambda i: i.category), left_out


def draft_declaration(report: ScanReport) -> str:
    """The draft as YAML text, valid against `ftzlist.schema.declaration.Declaration`."""
    items, left_out = _items(report)
    sampled = report.sample is not None and report.rows_total > report.rows_scanned
    strong = [p for p in report.persons if p.strength == "strong"]
    basis = max(strong or report.persons, key=lambda p: p.distinct_persons, default=None)
    persons = None if (sampled or basis is None) else basis.distinct_persons
    minors = sum(p.minors_under_14 or 0 for p in report.persons) if not sampled else 0
    minors_basis = max(
        (p for p in report.persons if p.minors_under_14), key=lambda p: p.minors_under_14 or 0, default=None
    )
    table = report.table or report.source.rsplit("/", 1)[-1]
    scope = (
        f"a seeded sample of {report.rows_scanned} of {report.rows_total} rows (seed {report.seed})"
        if sampled
        else f"all {report.rows_scanned} rows"
    )
    out: list[str] = [
        f"# DRAFT declaration written by `ftzlist scan` ({report.engine}) from {_comment(report.source)}",
        f"# table {_comment(table)}: {scope}; assessment date {report.as_of}.",
        "#",
        "# Every data item below is a SUGGESTION (`suggested: true`), made by pattern and checksum",
        "# detectors and column names. A person must review each one before `ftzlist assess` treats it",
        "# as fact (assess refuses unreviewed suggestions unless run with --accept-suggestions):",
        "#   1. check the category; delete items that are wrong, add what the scan cannot see;",
        "#   2. check `persons`: it counts distinct identifiers in THIS TABLE only; the declaration needs",
        "#      de-duplicated persons exported since 1 January across all exports (`ftzlist count`);",
        "#   3. then change `suggested: true` to `suggested: false`.",
        "# Replace every TODO placeholder (handler, recipient, purpose) with the real facts.",
        "version: 1",
        f"as_of: {report.as_of.isoformat()}",
        "handler:",
        f"  name: {_q('TODO: legal name of the exporting company')}  # TODO",
        "  # uscc: 91350200XXXXXXXXXX  # TODO: unified social credit code (optional)",
        "  # zone: null  # TODO: free trade zone of registration, if any (see `ftzlist lists`)",
        "flows:",
        f"  - id: {_q('scan-' + _slug(table))}",
        "    recipient:",
        f"      name: {_q('TODO: overseas recipient')}  # TODO",
        f"      country: {_q('XX')}  # TODO: ISO 3166-1 alpha-2 code of the recipient's country",
        f"    purpose: {_q('TODO: why the data is exported')}  # TODO",
        "    data:",
    ]
    if not items:
        out += [
            "      # The scan found no personal information. This placeholder keeps the file valid;",
            "      # replace it with what the flow really carries.",
            f"      - id: {_q('business')}",
            f"        category: {_q('business')}",
            "        suggested: true",
        ]
    for it in items:
        how = ", ".join(it.kinds)
        out.append(
            f"      # {_comment(', '.join(it.columns))}: {how} (confidence {it.confidence:.2f}"
            + (", sensitive" if it.sensitive else "")
            + ")"
        )
        for hit in report.list_matches.get(it.category, []):
            out.append(f"      #   named by list item {hit}")
        out.append(f"      - id: {_q(it.category)}")
        out.append(f"        category: {_q(it.category)}")
        if persons is not None and basis is not None:
            out.append(
                f"        persons: {persons}  # this table only: distinct {basis.kind} in column {_comment(basis.column)}"
            )
            out.append(
                f"        persons_source: {_q(f'ftzlist scan of {table}: distinct {basis.kind} values, this table only')}"
            )
        elif sampled:
            out.append(
                "        # persons: TODO (the scan read a sample; run `ftzlist count` over all exports)"
            )
        else:
            out.append("        # persons: TODO (no identifier column found; run `ftzlist count`)")
        out.append(f"        records: {it.records}")
        out.append("        suggested: true")
    if minors and minors_basis is not None:
        out.append(
            f"      # minors under 14 on {report.as_of}, from the birth dates in column "
            f"{_comment(minors_basis.column)} (PIPL Art. 28, Art. 31)"
        )
        out.append(f"      - id: {_q('minor.under_14')}")
        out.append(f"        category: {_q('minor.under_14')}")
        out.append(f"        persons: {minors}  # this table only")
        out.append(
            f"        persons_source: {_q(f'ftzlist scan of {table}: identity numbers born after the 14-year cut-off')}"
        )
        out.append("        suggested: true")
    if left_out:
        out.append(
            "# Not drafted (not personal information, or confidence below "
            f"{DRAFT_MIN_CONFIDENCE}); review them too:"
        )
        for col, f in left_out:
            out.append(
                f"#   column {_comment(col)}: {f.kind} -> {f.category} (confidence {f.confidence:.2f})"
            )
    return "\n".join(out) + "\n"


__all__ = ["DRAFT_MIN_CONFIDENCE", "draft_declaration"]
