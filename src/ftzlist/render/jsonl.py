"""`assess --format jsonl`: a decision set as lines of JSON, written while the flows are decided.

Per declaration, in order: one `header` line (the `DecisionSet` fields known before any flow, plus
`jsonl_version`), one `flow` line per flow in declaration order (a `FlowDecision`, exactly as in
the JSON output's `flows[]`), one `totals` line (`handler_totals` and `summary`). Every line is
one JSON object whose first key, `record`, says which. docs/json-output.md documents the format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from ftzlist.schema.decision import DecisionHeader, DecisionTotals, FlowDecision

JSONL_VERSION = 1
"""Version of the line format; a line kind or field removed or renamed is a new version."""


def _line(record: str, json_object: str) -> str:
    """`{"record": RECORD, ...json_object's members}` on one line."""
    return (
        f'{{"record":"{record}",{json_object[1:]}\n' if json_object != "{}" else f'{{"record":"{record}"}}\n'
    )


def header_line(header: DecisionHeader) -> str:
    return _line("header", f'{{"jsonl_version":{JSONL_VERSION},' + header.model_dump_json()[1:])


def flow_line(flow: FlowDecision) -> str:
    return _line("flow", flow.model_dump_json())


def totals_line(totals: DecisionTotals) -> str:
    return _line("totals", totals.model_dump_json())


def write(
    out: TextIO,
    header: DecisionHeader,
    flows: Iterable[FlowDecision],
    totals: Callable[[], DecisionTotals],
) -> None:
    """Write one decision set: `flows` is consumed one at a time (a generator streams), `totals`
    is called once they are all written."""
    out.write(header_line(header))
    for fd in flows:
        out.write(flow_line(fd))
    out.write(totals_line(totals()))


def write_document(
    out: TextIO,
    header: DecisionHeader,
    flows: Iterable[FlowDecision],
    totals: Callable[[], DecisionTotals],
) -> None:
    """Write one decision set as `--format json` prints it — byte for byte
    `DecisionSet.model_dump_json(indent=2)`, no newline after — one flow at a time."""
    head = header.model_dump_json(indent=2)
    out.write(head[: -len("\n}")] + ',\n  "flows": [')
    for i, fd in enumerate(flows):
        out.write(("\n" if i == 0 else ",\n") + "    " + fd.model_dump_json(indent=2).replace("\n", "\n    "))
    out.write("\n  ],\n" + totals().model_dump_json(indent=2)[len("{\n") :])
