"""The scan: stream a table batch by batch, run the detectors over each column, keep only counts,
a few masked examples and keyed hashes of person identifiers, and turn them into findings.

Deterministic by construction: counts add up the same whatever the batch size; examples are the
smallest matched values (not the first seen); a sample is the N rows whose seeded hash of the row
position is smallest (bottom-k), so the same table, seed and N give the same rows. Memory is one
batch plus the sample plus DuckDB's distinct-count state, which spills to disk under its limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist import __version__
from ftzlist.discovery.detectors import DETECTORS, NO, WEAK, Context, Kind
from ftzlist.discovery.findings import ColumnReport, Evidence, Finding, PersonFact, ScanReport
from ftzlist.discovery.hints import hint_for
from ftzlist.discovery.readers import Source
from ftzlist.identifiers.fixed_width import contains_any
from ftzlist.identifiers.masking import label, mask

EXAMPLES = 3


@dataclass(frozen=True)
class ScanOptions:
    as_of: dt.date
    sample: int | None = None
    seed: int = 0
    batch_rows: int = 131_072
    min_share: float = 0.05
    """A value detector's kind is reported when it matches at least this share of non-empty values
    (or any value at all when the column name agrees)."""
    workers: int = 2
    """Columns scanned at the same time (threads)."""
    memory_limit: str = "384MB"
    """DuckDB memory for the distinct-person state; beyond it, keyed hashes spill to a private temp dir."""

    def digest(self) -> str:
        doc = {
            "as_of": self.as_of.isoformat(),
            "sample": self.sample,
            "seed": self.seed,
            "min_share": self.min_share,
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


# --- sampling -----------------------------------------------------------------------------------------

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def row_hash(index: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64 of (seed, row position): a bijection, so no two rows tie."""
    with np.errstate(over="ignore"):
        z = index.astype(np.uint64) + np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def sample_batches(
    batches: Iterable[pa.RecordBatch], n: int, seed: int, rows: int
) -> tuple[list[pa.RecordBatch], int]:
    """The `n` rows with the smallest seeded position hash, in table order; and the rows read."""
    kept: pa.Table | None = None
    kept_h = np.zeros(0, dtype=np.uint64)
    kept_i = np.zeros(0, dtype=np.int64)
    start = 0
    for batch in batches:
        idx = np.arange(start, start + batch.num_rows, dtype=np.int64)
        start += batch.num_rows
        h = row_hash(idx, seed)
        t = pa.Table.from_batches([batch])
        kept = t if kept is None else pa.concat_tables([kept, t])
        kept_h = np.concatenate([kept_h, h])
        kept_i = np.concatenate([kept_i, idx])
        if kept.num_rows > n:
            keep = np.sort(np.argpartition(kept_h, n - 1)[:n]) if n > 0 else np.zeros(0, dtype=np.int64)
            kept = kept.take(pa.array(keep))
            kept_h, kept_i = kept_h[keep], kept_i[keep]
    if kept is None:
        return [], 0
    order = np.argsort(kept_i, kind="stable")
    kept = kept.take(pa.array(order)).combine_chunks()
    return [b for b in kept.to_batches(max_chunksize=rows)], start


# --- person facts: exact distinct counts of keyed hashes in DuckDB -------------------------------------


class PersonStore:
    """Normalised identifiers go in as keyed MD5 (128-bit) hashes with an under-14 flag; only counts
    come out. The hashes live in a DuckDB database file in a private temporary directory (deleted on
    close), so DuckDB can keep them on disk and memory stays within its limit however many persons."""

    def __init__(self, memory_limit: str):
        import duckdb

        self.tmp = tempfile.TemporaryDirectory(prefix="ftzlist-scan-")
        self.con = duckdb.connect(
            os.path.join(self.tmp.name, "persons.duckdb"),
            config={"memory_limit": memory_limit, "threads": 2, "temp_directory": self.tmp.name},
        )
        self.salt = os.urandom(16).hex()
        self.lock = threading.Lock()
        self.tables: dict[tuple[str, str], str] = {}

    def add(self, column: str, kind: str, keys: pa.Array, minor: np.ndarray | None) -> None:
        if len(keys) == 0:
            return
        with self.lock:
            name = self.tables.get((column, kind))
            if name is None:
                name = self.tables[(column, kind)] = f"p{len(self.tables)}"
                self.con.execute(f"CREATE TABLE {name} (h UHUGEINT, minor BOOLEAN)")
        flags = pa.array(minor if minor is not None else np.zeros(len(keys), dtype=bool))
        chunk = pa.table({"k": keys, "m": flags})  # noqa: F841 - read by DuckDB by name
        with self.lock:
            self.con.execute(
                f"INSERT INTO {name} SELECT md5_number(? || k), m FROM chunk WHERE k IS NOT NULL", [self.salt]
            )

    def counts(self, column: str, kind: str) -> tuple[int, int, int] | None:
        """(identifier values, distinct, distinct under 14)."""
        name = self.tables.get((column, kind))
        if name is None:
            return None
        row = self.con.execute(
            f"SELECT count(*), count(DISTINCT h), count(DISTINCT h) FILTER (WHERE minor) FROM {name}"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def close(self) -> None:
        self.con.close()
        self.tmp.cleanup()


# --- accumulation ---------------------------------------------------------------------------------------


@dataclass
class _KindTally:
    """One kind in one column, whichever detectors found it (names: plain, dotted, Latin)."""

    kind: Kind
    embedded: bool
    detectors: list[str] = field(default_factory=list)
    matched: int = 0
    examples: list[str] = field(default_factory=list)

    def add_examples(self, values: pa.Array) -> None:
        """Keep the smallest distinct matched values: distinct first, so a column whose smallest
        value repeats (the commonest name, 57 times) still shows, and counts as, several values."""
        if len(values) == 0:
            return
        distinct = pc.unique(values)
        k = min(len(distinct), EXAMPLES * 4)
        idx = pc.select_k_unstable(distinct, k=k, sort_keys=[("dummy", "ascending")])
        pool = set(self.examples) | {v for v in distinct.take(idx).to_pylist() if v is not None}
        self.examples = sorted(pool)[:EXAMPLES]


@dataclass
class _ColumnTally:
    name: str
    source_type: str
    ctx: Context
    hint: tuple[str, str, str] | None  # (rule kind, category, word)
    values: int = 0
    non_empty: int = 0
    kinds: dict[tuple[str, bool], _KindTally] = field(default_factory=dict)


def _mask(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False), dtype=bool)


_CLASS = np.full(256, 3, dtype=np.int8)  # p: punctuation, sign, space
_CLASS[48:58] = 0  # d
_CLASS[65:91] = 1  # a
_CLASS[97:123] = 1
_CLASS[128:] = 2  # h: non-ASCII
_WS = np.zeros(256, dtype=bool)
_WS[[9, 10, 11, 12, 13, 32]] = True
_WS_LEAD = np.zeros(256, dtype=bool)
_WS_LEAD[[0xC2, 0xE1, 0xE2, 0xE3]] = True  # lead bytes of U+0085, U+00A0, U+1680, U+2000-205F, U+3000
_LUT = {d.name: np.array([c in d.first for c in "dahp"]) for d in DETECTORS}


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    off = off[arr.offset : arr.offset + len(arr) + 1].astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return off, data


def _scatter(base: pa.Array, positions: np.ndarray, replacement: pa.Array) -> pa.Array:
    """`base` with the values at `positions` replaced by `replacement` (same order)."""
    pos = np.full(len(base), -1, dtype=np.int64)
    pos[positions] = np.arange(positions.size)
    return pc.if_else(pa.array(pos >= 0), replacement.take(pa.array(np.maximum(pos, 0))), base)


def prepare(column: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Non-empty values with surrounding whitespace removed, their byte lengths and first-byte
    classes. Only values that may start or end with whitespace (judged from their first and last
    bytes, in numpy) are passed to the trim kernel; the rest are used as they are."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if arr.null_count:
        arr = pc.drop_null(arr)
    if len(arr) == 0:
        return arr, np.zeros(0, np.int64), np.zeros(0, np.int8)
    off, data = _buffers(arr)
    lens = np.diff(off)
    has = lens > 0
    safe_first = np.minimum(off[:-1], max(len(data) - 1, 0))
    first = data[safe_first] if len(data) else np.zeros(len(arr), np.uint8)
    last = data[np.maximum(off[1:] - 1, 0)] if len(data) else np.zeros(len(arr), np.uint8)
    suspect = has & (_WS[first] | _WS[last] | _WS_LEAD[first])
    end2 = data[np.maximum(off[1:] - 2, 0)] if len(data) else first
    end3 = data[np.maximum(off[1:] - 3, 0)] if len(data) else first
    suspect |= has & (lens >= 2) & (end2 == 0xC2)
    suspect |= has & (lens >= 3) & _WS_LEAD[end3] & ((end2 == 0x80) | (end2 == 0x81) | (end2 == 0x9A))
    sus = np.flatnonzero(suspect)
    if sus.size:
        arr = _scatter(arr, sus, pc.utf8_trim_whitespace(arr.take(pa.array(sus))))
        off, data = _buffers(arr)
        lens = np.diff(off)
        has = lens > 0
    if not has.all():
        arr = arr.filter(pa.array(has))
        off, data = _buffers(arr)
        lens = np.diff(off)
    first = data[off[:-1]] if len(arr) else np.zeros(0, np.uint8)
    return arr, lens, _CLASS[first]


def _scan_column(tally: _ColumnTally, column: pa.Array, persons: PersonStore) -> None:
    tally.values += len(column)
    vals, nbytes, cls = prepare(column)
    n = len(vals)
    if n == 0:
        return
    tally.non_empty += n
    claimed = np.zeros(n, dtype=bool)
    for det in DETECTORS:
        if not det.applies(tally.ctx):
            continue
        allowed = _LUT[det.name][cls]
        cand = ~claimed & allowed & (nbytes >= det.min_bytes) & (nbytes <= det.max_bytes)
        idx = np.flatnonzero(cand)
        if idx.size == 0:
            continue
        sub = vals.take(pa.array(idx)) if idx.size < n else vals
        if det.requires:
            has = contains_any(sub, tuple(r.encode() for r in det.requires))
            if not has.all():
                idx = idx[has]
                if idx.size == 0:
                    continue
                sub = sub.filter(pa.array(has))
        res = det.vector(sub, tally.ctx)
        hit = res.label != NO
        if not hit.any():
            continue
        claimed[idx[hit]] = True
        for k in np.unique(res.label[hit]).tolist():
            sel = res.label == k
            kind = det.kinds[k]
            t = tally.kinds.setdefault((kind.name, det.embedded), _KindTally(kind, det.embedded))
            label = det.name if len(det.kinds) == 1 or det.name == kind.name else f"{det.name}:{kind.name}"
            if label not in t.detectors:
                t.detectors.append(label)
            t.matched += int(sel.sum())
            shown = res.examples if res.examples is not None else sub
            t.add_examples(shown.filter(pa.array(sel)))
            if kind.person and res.keys is not None and not det.embedded:
                persons.add(
                    tally.name,
                    kind.name,
                    res.keys.filter(pa.array(sel)),
                    res.minor[sel] if res.minor is not None else None,
                )


# --- from tallies to findings -------------------------------------------------------------------------


def masked_examples(values: list[str], kind: str) -> list[str]:
    """Masked, de-duplicated. Names keep only the surname's first character: a short value keeps
    too much under the general rule (a third of it)."""
    out: list[str] = []
    for v in values:
        m = v[0] + "*" * (len(v) - 1) if kind in ("chinese_name", "name") else mask(v)
        if m not in out:
            out.append(m)
    return out


def _confidence(kind: Kind, share: float, hint_agrees: bool) -> float:
    conf = kind.strength * (0.6 + 0.4 * min(1.0, share / 0.9))
    if hint_agrees:
        conf += (1 - conf) * 0.5
    return round(min(conf, 0.99), 2)


def _hint_agrees(hint_kind: str | None, kind: Kind) -> bool:
    if hint_kind is None:
        return False
    aliases = {
        "resident_id": {"resident_id", "hmt_residence_permit", "foreign_pr"},
        "hmt_permit": {"hmt_permit", "hmt_residence_permit"},
        "foreign_pr": {"foreign_pr"},
        "chinese_name": {"chinese_name", "name"},
        "latitude": {"coordinate", "coordinates", "coordinates_coarse"},
        "longitude": {"coordinate", "coordinates", "coordinates_coarse"},
        "coordinates": {"coordinate", "coordinates", "coordinates_coarse"},
    }
    return kind.name in aliases.get(hint_kind, {hint_kind})


def _finding(
    kind: Kind, conf: float, evidence: list[Evidence], vocab: object, embedded: bool = False
) -> Finding:
    personal = vocab.kind(kind.category).value == "personal_information"  # type: ignore[attr-defined]
    ground = vocab.sensitive_ground(kind.category)  # type: ignore[attr-defined]
    return Finding(
        kind=kind.name,
        category=kind.category,
        personal=personal,
        sensitive=ground is not None,
        sensitive_ground=ground,
        confidence=conf,
        embedded=embedded,
        evidence=evidence,
    )


def _column_findings(tally: _ColumnTally, options: ScanOptions, vocab: object) -> list[Finding]:
    hint_kind = tally.hint[0] if tally.hint else None
    out: list[Finding] = []
    value_kinds: set[str] = set()
    for _, t in sorted(tally.kinds.items()):
        kind, embedded = t.kind, t.embedded
        share = t.matched / tally.non_empty if tally.non_empty else 0.0
        agrees = _hint_agrees(hint_kind, kind)
        if kind.needs_hint and not agrees:
            continue
        if not embedded and share < options.min_share and not agrees:
            continue
        weak = kind.strength < WEAK
        if weak and t.matched >= 10 and len(t.examples) < 2:
            continue  # one distinct value ("高血压" repeated) is not a column of people's data
        ev = [
            Evidence(
                detector="+".join(sorted(t.detectors)),
                method=kind.method,
                matched=t.matched,
                examined=tally.non_empty,
                examples=masked_examples(t.examples, kind.name),
            )
        ]
        if agrees and tally.hint:
            ev.append(
                Evidence(
                    detector="column-name", method="column name", matched=0, examined=0, hint=tally.hint[2]
                )
            )
        conf = _confidence(kind, share, agrees)
        if weak and hint_kind is not None and not agrees:
            conf = round(conf * 0.5, 2)  # the column name says it is something else
        if embedded:
            conf = round(kind.strength * min(1.0, 0.5 + share), 2)
        out.append(_finding(kind, conf, ev, vocab, embedded=embedded))
        value_kinds.add(kind.category)
    if tally.hint and tally.hint[1] not in value_kinds:
        rule_kind, category, word = tally.hint
        has_detector = any(_hint_agrees(rule_kind, kd) for d in DETECTORS for kd in d.kinds)
        hint_only = Kind(rule_kind, category, 0.6 if not has_detector else 0.3, "column name")
        ev = [Evidence(detector="column-name", method="column name", matched=0, examined=0, hint=word)]
        out.append(_finding(hint_only, hint_only.strength, ev, vocab))
    out.sort(key=lambda f: (-f.confidence, f.kind, f.embedded))
    return out


def column_label(name: str) -> str:
    """A column name as every output shows it: identifier-shaped parts masked (a file without a
    header row that was not recognised as one must not print its first row), controls visible."""
    return label(name)


def _person_facts(
    tallies: list[_ColumnTally], reports: list[ColumnReport], persons: PersonStore, sampled: bool
) -> list[PersonFact]:
    strength = {kd.name: kd.person for d in DETECTORS if not d.embedded for kd in d.kinds if kd.person}
    facts: list[PersonFact] = []
    for tally, rep in zip(tallies, reports, strict=True):
        for f in rep.findings:
            if f.embedded or f.kind not in strength:
                continue
            got = persons.counts(tally.name, f.kind)
            if got is None:
                continue
            n, distinct, minors = got
            is_id = f.kind in ("resident_id", "hmt_residence_permit", "foreign_pr")
            facts.append(
                PersonFact(
                    column=rep.name,
                    kind=f.kind,
                    strength=strength[f.kind],  # type: ignore[arg-type]
                    identifiers=n,
                    distinct_persons=distinct,
                    minors_under_14=minors if is_id else None,
                    scope="sample" if sampled else "all_rows",
                )
            )
    return facts


def scan(source: Source, options: ScanOptions, vocab: object | None = None) -> ScanReport:
    """Scan every column of `source`; pure apart from reading the source (no printing, no env)."""
    if vocab is None:
        from ftzlist.discovery.taxonomy import detector_vocabulary

        vocab = detector_vocabulary()
    tallies = []
    for c in source.columns:
        h = hint_for(c.name)
        hint = (h[0].kind, h[0].category, h[1]) if h else None
        tallies.append(
            _ColumnTally(c.name, c.source_type, Context(options.as_of, hint[0] if hint else None), hint)
        )
    persons = PersonStore(options.memory_limit)
    try:
        stream: Iterator[pa.RecordBatch] | list[pa.RecordBatch] = source.batches(options.batch_rows)
        total = None
        if options.sample is not None:
            stream, total = sample_batches(stream, options.sample, options.seed, options.batch_rows)
        scanned = 0
        with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
            for batch in stream:
                scanned += batch.num_rows
                # columns are independent (own tally, own context), so they can run side by side;
                # Arrow and numpy kernels release the GIL. Each batch finishes before the next starts.
                list(pool.map(_scan_column, tallies, batch.columns, [persons] * len(tallies)))
        reports = [
            ColumnReport(
                name=column_label(t.name),
                source_type=t.source_type,
                values=t.values,
                non_empty=t.non_empty,
                findings=_column_findings(t, options, vocab),
            )
            for t in tallies
        ]
        sampled = options.sample is not None and total is not None and total > scanned
        facts = _person_facts(tallies, reports, persons, sampled)
    finally:
        persons.close()
    return ScanReport(
        engine=f"ftzlist {__version__}",
        source=source.label,
        table=source.table,
        as_of=options.as_of,
        rows_scanned=scanned,
        rows_total=total if total is not None else scanned,
        sample=options.sample,
        seed=options.seed,
        options_sha256=options.digest(),
        columns=reports,
        persons=facts,
        notes=list(getattr(source, "notes", [])),
    )


__all__ = ["PersonStore", "ScanOptions", "row_hash", "sample_batches", "scan"]
