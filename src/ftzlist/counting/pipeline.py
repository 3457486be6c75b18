"""Export logs -> de-duplicated persons -> counts and threshold crossing dates.

One run (`CountRun`) on one engine, in steps, each in its own module and each SQL through the
engine's dialect (plus one connected-components call):

1. `reading`: every file's mapped columns as text; headers, quoting, dates and the values of
   sensitivity and exemption columns checked;
2. `normalise`: each identifier column's distinct values normalised, digested; the row table;
3-4. `link`: strong identifiers join records (connected components), doubtful groups are not
   merged, weak identifiers attach records to at most one identified person;
5. `tally`: sensitivity resolved by the law's one rule, exemptions set apart, exact distinct
   persons per axis and breakdown; `crossings`: threshold crossing dates and projections.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ftzlist.counting import crossings, hashing, link, normalise, reading, tally
from ftzlist.counting.crossings import Watch
from ftzlist.counting.engine import DuckDBEngine, Engine
from ftzlist.counting.mapping import Mapping
from ftzlist.counting.result import CountResult, Quality, Rule
from ftzlist.counting.sources import LogFile, stage
from ftzlist.law import Vocabulary

READINGS = [
    "Persons are counted per axis: a person any of whose sensitive personal information was exported "
    "counts towards the sensitive threshold, and a person any of whose non-sensitive personal information "
    "was exported counts towards the non-sensitive thresholds; a person with both counts on both. "
    "CBDF Art. 7-8 set the non-sensitive thresholds on 'personal information (excluding sensitive personal "
    "information)' and the sensitive one on 'sensitive personal information'; counting the person on both "
    "axes never lowers either count.",
    "Sensitivity follows the category (PIPL Art. 28): a row's sensitivity column or an item tag may raise "
    "it, never lower it; only a reviewed sensitivity override in the mapping lowers it, and the output names "
    "each one used. Rows whose sensitivity stays open (no category, or a parent category with sensitive "
    "children, and no claim) count on both axes.",
    "Rows claiming an exemption ground the counting rule excludes are set apart and shown, not counted; "
    "rows claiming any other ground are counted.",
    "Only rows dated from the window start to as_of (inclusive) are read for counting and for linking. "
    "The day is the China Standard Time day: a timestamp with a UTC offset is converted to China time, "
    "one without an offset is read as China time.",
    "Links: strong identifiers (resident ID incl. HMT residence permits and 2023 foreigner PR numbers, "
    "passport with country, HMT travel permits, foreigner PR, internal customer id scoped to its system) "
    "join records; weak ones (phone, e-mail, device) only when the mapping sets link: true, and then only "
    "to attach records without a strong identifier to a single identified person. Invalid values never link.",
]


def _grounds(lists: Sequence[Any]) -> dict[str, str]:
    """Exemption values a log may hold -> exemption id: each id, and each ground name where it
    names one exemption across the lists in use."""
    ids: dict[str, str] = {}
    by_ground: dict[str, set[str]] = {}
    for lf in lists:
        for ex in getattr(lf, "exemptions", ()):
            ids[ex.id] = ex.id
            by_ground.setdefault(ex.ground, set()).add(ex.id)
        counting = getattr(lf, "counting", None)
        for x in counting.excluded_exemptions if counting else ():
            ids[x] = x
    for ground, found in by_ground.items():
        if len(found) == 1 and ground not in ids:
            ids[ground] = next(iter(found))
    return ids


class CountRun:
    """One count run on one engine: the inputs and what every step shares. Use `count_persons`."""

    def __init__(
        self,
        engine: Engine,
        files: Sequence[LogFile],
        mapping: Mapping,
        *,
        as_of: dt.date,
        key: bytes,
        lists: Sequence[Any] = (),
        vocabulary: Vocabulary,
        detail: bool = False,
        watch: Sequence[Watch] = (),
    ):
        self.e = engine
        self.d = engine.dialect
        self.files = list(files)
        self.sources = list(files)  # as given (run id), before any staging
        self.m = mapping
        self.as_of = as_of
        self.key = hashing.check_key(key)
        self.lists = list(lists)
        self.voc = vocabulary
        self.detail = detail
        self.watch = list(watch)
        self.rule_list = next((lf for lf in self.lists if getattr(lf, "counting", None)), None)
        rule = self.rule_list.counting if self.rule_list else None
        window = rule.window if rule else "current_year"
        self.window_start = reading.window_start(as_of, window)
        self.rule = Rule(
            list_id=self.rule_list.id if self.rule_list else None,
            window=window,
            excluded_exemptions=list(rule.excluded_exemptions) if rule else None,
            citation=str(rule.citation) if rule else None,
        )
        self.grounds = _grounds(self.lists)
        self.ids = list(mapping.identifiers)
        self.strong = [n for n, ic in enumerate(self.ids) if ic.links and ic.strong]
        self.weak = [n for n, ic in enumerate(self.ids) if ic.links and not ic.strong]
        self.timings: dict[str, float] = {}

    def _timed(self, name: str, fn: Any, *args: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(self, *args)
        finally:
            self.timings[name] = round(time.perf_counter() - t, 3)

    def run(self, evidence: Path | None = None) -> CountResult:
        if any(f.format == "xlsx" or f.text_encoding for f in self.files if not f.remote):
            self.files = stage(self.files, self.e.staging_dir())
        self.e.install_identifiers()
        self._timed("read", reading.read)
        total, in_window, before, after = self._timed("check_dates", reading.check)
        quality = Quality(
            files=[f.where for f in self.files],
            rows_read=total,
            rows_in_window=in_window,
            rows_before_window=before,
            rows_after_as_of=after,
        )
        cols = self._timed("normalise", normalise.dictionaries)
        self._timed("rows", normalise.rows)
        self._column_quality(cols)
        quality.identifiers = cols
        suspicious = self._timed("link", link.link, quality)
        overrides = self._timed("dims", tally.dims)
        quality.sensitivity_raised_rows = tally.raised_rows(self)
        self._timed("presence", tally.presence)
        quality.first_row_on = self.e.rows("SELECT min(d) FROM rows2")[0][0]
        totals, exempt, by_flow, by_subject, by_item, by_category = self._timed("summaries", tally.summaries)
        result = CountResult(
            as_of=self.as_of,
            window_start=self.window_start,
            rule=self.rule,
            totals=totals,
            exempt_totals=exempt,
            by_flow=by_flow,
            by_subject=by_subject,
            by_item=by_item,
            by_category=by_category,
            crossings=self._timed("crossings", crossings.crossings),
            watched=crossings.watched(self, self.watch),
            sensitivity_overrides=overrides,
            suspicious=suspicious,
            quality=quality,
            readings=READINGS,
            run_id=self._run_id(),
        )
        if evidence is not None:
            self.write_evidence(evidence)
        return result

    def _column_quality(self, cols: list) -> None:
        linking = [n for n, ic in enumerate(self.ids) if ic.links]
        counts = self.e.rows(
            "SELECT "
            + "".join(
                f"count(*) FILTER (WHERE bits & {1 << (2 * n)} <> 0), count(*) FILTER (WHERE bits & {1 << (2 * n + 1)} <> 0), "
                for n in linking
            )
            + "count(*) FROM rows"
        )[0]
        for j, n in enumerate(linking):
            cq = cols[n]
            cq.valid, cq.invalid = int(counts[2 * j]), int(counts[2 * j + 1])
            cq.present = cq.valid + cq.invalid
        for n, cq in enumerate(cols):
            if self.ids[n].links or self.m.linking.check_unlinked:
                v, i = self.e.rows(f"SELECT count(h), count(*) - count(h) FROM dict{n}")[0]
                cq.distinct_valid, cq.distinct_invalid = int(v), int(i)

    def write_evidence(self, path: Path) -> int:
        """Merged groups with the identifiers (hashed) that joined them, as Parquet; written to a
        temporary name and renamed, so a failed run leaves nothing half-written."""
        tmp = path.with_name(path.name + ".partial")
        d = self.d
        labels = (
            "CASE c " + " ".join(f"WHEN {n} THEN {d.lit(ic.label)}" for n, ic in enumerate(self.ids)) + " END"
        )
        self.e.write_parquet(
            f"""SELECT g.comp AS group_id, g.size AS identifiers_in_group, g.doubtful,
                   {labels} AS identifier_column,
                   'h:' || left({hashing.hmac_hex_sql(d, d.digest_hex("n.h"))}, 16) AS identifier_hash
            FROM sgroup g JOIN scomp c ON c.comp = g.comp JOIN snode n ON n.nid = c.nid
            WHERE g.size > 1 ORDER BY g.comp, n.nid""",
            tmp,
        )
        tmp.replace(path)
        return self.e.rows("SELECT count(*) FROM sgroup WHERE size > 1")[0][0]

    def _run_id(self) -> str:
        h = hashlib.sha256()
        for f in self.sources:
            if f.remote:
                h.update(f"{f.uri}\n".encode())
                continue
            st = f.path.stat()
            h.update(f"{f.path.name}|{st.st_size}|{int(st.st_mtime)}\n".encode())
        h.update(self.m.model_dump_json().encode())
        h.update(str(self.as_of).encode())
        h.update(json.dumps(sorted(lf.id for lf in self.lists)).encode())
        return "count-" + h.hexdigest()[:12]


def count_persons(
    files: Sequence[LogFile],
    mapping: Mapping,
    *,
    as_of: dt.date,
    key: bytes,
    lists: Sequence[Any] = (),
    vocabulary: Vocabulary | None = None,
    engine: Engine | None = None,
    evidence: Path | None = None,
    detail: bool = False,
    watch: Sequence[Watch] = (),
) -> CountResult:
    """Count de-duplicated natural persons in export logs for the window ending `as_of`.

    `lists` are the list files whose thresholds to report (the first with a counting rule sets
    the window and the exemptions set apart; their exemptions are the grounds a log may claim);
    `vocabulary` the categories (default: the bundled vocabulary) whose sensitivity and ancestry
    decide the rows; `detail` adds the per data item and per category breakdowns (what
    `fill_declaration` matches on); `watch` asks for further thresholds per flow (`Watch`).
    Raises `InputError` (file and line named) on input that would change the answer silently.
    """
    if vocabulary is None:
        from ftzlist.loader import load_law

        vocabulary = load_law().vocabulary
    own = engine is None
    eng = engine or DuckDBEngine()
    try:
        return CountRun(
            eng,
            files,
            mapping,
            as_of=as_of,
            key=key,
            lists=lists,
            vocabulary=vocabulary,
            detail=detail,
            watch=watch,
        ).run(evidence)
    finally:
        if own:
            eng.close()
