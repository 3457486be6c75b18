"""Export logs -> de-duplicated persons -> counts and threshold crossing dates.

The steps, each SQL on the engine (plus one connected-components call):

1. read: every file's mapped columns as text; check columns, dates, emptiness;
2. normalise: each identifier column's DISTINCT values through `ftzlist.identifiers.sql`, then
   keyed-hashed (HMAC-SHA256); from here on only hashes exist;
3. link (strong): records sharing a valid strong identifier are one person (connected components
   over identifiers). A group holding two different resident-identity numbers, or more identifiers
   than the limit, is *doubtful* and is not merged transitively: its records are keyed by their own
   resident-identity number or first identifier;
4. link (weak, only for columns the mapping marks `link: true`): a weak value may attach records
   that have no strong identifier to ONE strongly identified person; it never joins two strongly
   identified persons. A weak value seen with two or more strongly identified persons, or with more
   other identifiers than the limit, is shared (a switchboard, a family mailbox) and links nothing;
5. count: exact COUNT(DISTINCT person) per axis, flow, subject and item; rows whose exemption
   ground the counting rule excludes are set apart and shown; crossing dates from the cumulative
   count of first appearances.

Records with no usable identifier are each their own person (keyed by a hash of the whole row),
so invalid identifiers never merge anything and identical repeated rows are one record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ftzlist.counting import hashing
from ftzlist.counting.engine import DuckDBEngine, Engine
from ftzlist.counting.mapping import Column, Mapping
from ftzlist.counting.result import (
    Axes,
    Breakdown,
    ColumnQuality,
    CountResult,
    Crossing,
    Quality,
    Rule,
    Suspicious,
)
from ftzlist.counting.sources import LogFile
from ftzlist.errors import InputError
from ftzlist.identifiers import sql as idsql
from ftzlist.identifiers.masking import mask, redact

WEAK_BASE = 1 << 32
ROW_BASE = 1 << 33
"""Person keys (BIGINT): strong groups use identifier node ids (< 2^31); weak clusters
WEAK_BASE + id; records without a usable identifier ROW_BASE + a dense id of their row digest."""

SENSITIVE_AXIS = "sens IN ('sensitive', 'unknown')"
NON_SENSITIVE_AXIS = "sens IN ('non_sensitive', 'unknown')"

READINGS = [
    "Persons are counted per axis: a person any of whose sensitive personal information was exported "
    "counts towards the sensitive threshold, and a person any of whose non-sensitive personal information "
    "was exported counts towards the non-sensitive thresholds; a person with both counts on both. "
    "CBDF Art. 7-8 set the non-sensitive thresholds on 'personal information (excluding sensitive personal "
    "information)' and the sensitive one on 'sensitive personal information'; counting the person on both "
    "axes never lowers either count.",
    "Rows whose sensitivity cannot be determined (no sensitivity column value, no item tag, no category) "
    "count on both axes.",
    "Rows claiming an exemption ground the counting rule excludes are set apart and shown, not counted; "
    "rows claiming any other ground are counted.",
    "Only rows dated from the window start to as_of (inclusive) are read for counting and for linking; "
    "dates are taken as written (a China-time date is expected).",
    "Links: strong identifiers (resident ID incl. HMT residence permits and 2023 foreigner PR numbers, "
    "passport with country, HMT travel permits, foreigner PR, internal customer id scoped to its system) "
    "join records; weak ones (phone, e-mail, device) only when the mapping sets link: true, and then only "
    "to attach records without a strong identifier to a single identified person. Invalid values never link.",
]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str | None) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _column_expr(col: Column | None) -> str:
    """SQL for a mapped column's value (recoded), NULL when not mapped or blank."""
    if col is None:
        return "NULL"
    if col.value is not None:
        return _lit(col.value)
    raw = f"nullif(trim(CAST(s.{_q(col.column)} AS VARCHAR)), '')"
    if not col.values:
        return raw
    whens = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in col.values.items())
    return f"CASE {raw} {whens} ELSE {raw} END"


def _date_expr(col: Column, raw: str) -> str:
    if col.value is not None:
        return f"CAST({_lit(col.value)} AS DATE)"
    if col.format:
        return f"CAST(try_strptime({raw}, {_lit(col.format)}) AS DATE)"
    return f"coalesce(TRY_CAST({raw} AS DATE), CAST(TRY_CAST({raw} AS TIMESTAMP) AS DATE))"


class Counter:
    """One count run on one engine. Use `count_persons` rather than this class directly."""

    def __init__(
        self,
        engine: Engine,
        files: Sequence[LogFile],
        mapping: Mapping,
        *,
        as_of: dt.date,
        key: bytes,
        lists: Sequence[Any] = (),
        category_sensitivity: dict[str, bool] | None = None,
        detail: bool = False,
    ):
        self.e = engine
        self.detail = detail
        self.files = list(files)
        self.m = mapping
        self.as_of = as_of
        self.key = hashing.check_key(key)
        self.lists = list(lists)
        self.cat_sens = category_sensitivity or {}
        self.rule_list = next((lf for lf in self.lists if getattr(lf, "counting", None)), None)
        rule = self.rule_list.counting if self.rule_list else None
        window = rule.window if rule else "current_year"
        self.window_start = dt.date(as_of.year - (1 if window == "previous_and_current_year" else 0), 1, 1)
        self.rule = Rule(
            list_id=self.rule_list.id if self.rule_list else None,
            window=window,
            excluded_exemptions=list(rule.excluded_exemptions) if rule else None,
            citation=str(rule.citation) if rule else None,
        )
        self.ids = list(mapping.identifiers)
        self.strong = [n for n, ic in enumerate(self.ids) if ic.links and ic.strong]
        self.weak = [n for n, ic in enumerate(self.ids) if ic.links and not ic.strong]
        self.timings: dict[str, float] = {}

    def _timed(self, name: str, fn: Any, *args: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.timings[name] = round(time.perf_counter() - t, 3)

    # ------------------------------------------------------------------ 1. read
    def _read(self) -> None:
        import duckdb

        cols = self.m.columns()
        parts = []
        for n, f in enumerate(self.files):
            try:
                have = [r[0] for r in self.e.rows(f.columns_sql())]
            except duckdb.Error as exc:
                raise InputError(_duck_message(exc, f), where=str(f.path)) from None
            missing = [c for c in cols if c not in have]
            if missing and f.format == "csv" and len(have) == 1 and any(ch in have[0] for ch in ",;\t|"):
                raise InputError(
                    "cannot split the CSV into columns (unbalanced quotes or mixed delimiters?)",
                    where=str(f.path),
                )
            if missing:
                shown = redact(", ".join(have[:30]))
                raise InputError(
                    f"column {', '.join(repr(c) for c in missing)} named by the mapping is missing "
                    f"(the file has: {shown})",
                    where=str(f.path),
                )
            parts.append(f.select_sql(cols, prefix=f"{n} AS _f, "))
        self.e.execute("CREATE OR REPLACE TEMP VIEW src AS " + "\nUNION ALL\n".join(parts))

    def _dim_exprs(self) -> dict[str, str]:
        """The descriptive columns of a row (everything but date and identifiers), as SQL over src."""
        m = self.m
        sens = _column_expr(m.sensitivity)
        if m.sensitivity is not None:
            sens = f"CASE WHEN {sens} IN ('sensitive', 'non_sensitive') THEN {sens} END"
        return {
            "flow": _column_expr(m.flow),
            "item": _column_expr(m.data_item),
            "subject": _column_expr(m.subject),
            "category": _column_expr(m.category),
            "scenario": _column_expr(m.scenario),
            "sens": sens,
            "exempt": _column_expr(m.exemption),
        }

    def _dim_hash(self) -> str:
        return "hash(" + ", ".join(self._dim_exprs().values()) + ")"

    def _check_dates(self) -> tuple[int, int, int, int]:
        """One scan: per file, rows, empty and unreadable dates, rows outside the window; and the
        distinct descriptive combinations (`dims`) of the in-window rows."""
        import duckdb

        date_col = self.m.date
        raw = f"nullif(trim(s.{_q(date_col.column)}), '')" if date_col.column else _lit(date_col.value)
        d = _date_expr(date_col, raw)
        dims = self._dim_exprs()
        inside = f"d BETWEEN DATE '{self.window_start}' AND DATE '{self.as_of}'"
        sel = ", ".join(f"{v} AS {k}" for k, v in dims.items())
        try:
            self.e.execute(
                f"""CREATE OR REPLACE TEMP TABLE filestats AS
                SELECT _f, CASE WHEN {inside} THEN dimh END AS dimh, {", ".join(f"CASE WHEN {inside} THEN {k} END AS {k}" for k in dims)},
                       count(*) AS n, count(*) FILTER (WHERE raw IS NULL) AS empty,
                       count(*) FILTER (WHERE raw IS NOT NULL AND d IS NULL) AS bad,
                       count(*) FILTER (WHERE d < DATE '{self.window_start}') AS before,
                       count(*) FILTER (WHERE d > DATE '{self.as_of}') AS after
                FROM (SELECT _f, {raw} AS raw, {d} AS d, {self._dim_hash()} AS dimh, {sel} FROM src s)
                GROUP BY ALL"""
            )
            stats = {
                r[0]: r[1:]
                for r in self.e.rows(
                    "SELECT _f, sum(n), sum(empty), sum(bad), sum(before), sum(after) FROM filestats GROUP BY _f"
                )
            }
        except duckdb.Error as exc:
            raise InputError(_duck_message(exc, None)) from None
        for n, f in enumerate(self.files):
            if n not in stats:
                raise InputError("the file has no data rows", where=str(f.path))
            _, empty, bad, _, _ = stats[n]
            if empty or bad:
                self._locate_bad_date(f, date_col, empty_only=not bad)
        total = int(sum(v[0] for v in stats.values()))
        before = int(sum(v[3] for v in stats.values()))
        after = int(sum(v[4] for v in stats.values()))
        return total, total - before - after, before, after

    def _dims(self, counted: str) -> None:
        """Distinct descriptive combinations with item tags and category sensitivity resolved, and
        the flags counting needs (counted under the rule, on the sensitive / non-sensitive axis)."""
        m = self.m
        self.e.execute(
            "CREATE OR REPLACE TEMP TABLE ftz_items (item VARCHAR, category VARCHAR, subject VARCHAR, sens VARCHAR)"
        )
        for item, tags in m.items.items():
            sens = None if tags.sensitive is None else ("sensitive" if tags.sensitive else "non_sensitive")
            self.e.execute(
                "INSERT INTO ftz_items VALUES (?, ?, ?, ?)", [item, tags.category, tags.subject, sens]
            )
        self.e.execute("CREATE OR REPLACE TEMP TABLE ftz_cats (category VARCHAR, sens VARCHAR)")
        if self.cat_sens:
            values = ", ".join(
                f"({_lit(c)}, {_lit('sensitive' if s else 'non_sensitive')})"
                for c, s in sorted(self.cat_sens.items())
            )
            self.e.execute(f"INSERT INTO ftz_cats VALUES {values}")
        self.e.execute(
            f"""CREATE OR REPLACE TEMP TABLE dims AS
            SELECT *, {counted} AS c, {SENSITIVE_AXIS} AS s, {NON_SENSITIVE_AXIS} AS n FROM (
              SELECT b.dimh, b.flow, b.item, coalesce(b.subject, it.subject) AS subject,
                     coalesce(b.category, it.category) AS category, b.scenario,
                     coalesce(b.sens, it.sens, ct.sens, 'unknown') AS sens, b.exempt
              FROM (SELECT DISTINCT dimh, flow, item, subject, category, scenario, sens, exempt
                    FROM filestats WHERE dimh IS NOT NULL) b
              LEFT JOIN ftz_items it ON it.item = b.item
              LEFT JOIN ftz_cats ct ON ct.category = coalesce(b.category, it.category))"""
        )
        n, distinct = self.e.rows("SELECT count(*), count(DISTINCT dimh) FROM dims")[0]
        if n != distinct:  # a 64-bit hash collision between two descriptive combinations
            raise RuntimeError("descriptive columns collide under hash(); report this input")

    def _locate_bad_date(self, f: LogFile, col: Column, *, empty_only: bool) -> None:
        raw = f"nullif(trim(CAST(s.{_q(col.column)} AS VARCHAR)), '')"
        d = _date_expr(col, raw)
        self.e.execute("SET threads = 1")
        try:
            hit = self.e.rows(
                f"SELECT _rowno, {raw} FROM {f.numbered_sql([col.column])} s WHERE {raw} IS NULL OR {d} IS NULL ORDER BY _rowno LIMIT 1"
            )
        finally:
            self.e.execute("RESET threads")
        rowno, value = hit[0] if hit else (None, None)
        line = (rowno + 1) if (rowno is not None and f.format == "csv") else rowno  # csv: header is line 1
        where = f"{f.path}:{line}" if line is not None else str(f.path)
        label = f.row_label()
        expected = f"format {col.format!r}" if col.format else "an ISO 8601 date (YYYY-MM-DD) or timestamp"
        if value is None:
            raise InputError(f"{label} {line}, column {col.column!r}: the export date is empty", where=where)
        text = str(value)
        shown = (
            text if len(text) <= 24 and re.fullmatch(r"[0-9]+[-/.: ][0-9A-Za-z/.:+ -]*", text) else mask(text)
        )
        raise InputError(
            f"{label} {line}, column {col.column!r}: cannot read {shown!r} as a date (expected {expected})",
            where=where,
        )

    # ------------------------------------------------------------------ 2. normalise + hash
    def _dicts(self) -> list[ColumnQuality]:
        """Per identifier column: each distinct raw value -> digest of its normalised key (NULL if
        invalid), whether it is exclusive (a resident-identity number), and a dense node id."""
        i_pad, o_pad = hashing.pads(self.key)
        self.e.execute("CREATE OR REPLACE TEMP TABLE ftz_key (ipad BLOB, opad BLOB)")
        self.e.execute("INSERT INTO ftz_key VALUES (?, ?)", [i_pad, o_pad])
        window = f"{self._date_sql()} BETWEEN DATE '{self.window_start}' AND DATE '{self.as_of}'"
        quality = []
        for n, ic in enumerate(self.ids):
            quality.append(ColumnQuality(label=ic.label, kind=ic.kind.value, links=ic.links))
            if not ic.links and not self.m.linking.check_unlinked:
                continue  # not needed for counting; validated only on request
            col = f"nullif(trim(CAST(s.{_q(ic.column)} AS VARCHAR)), '')"
            if ic.kind.value == "passport":
                rel = f"SELECT DISTINCT {col} AS raw, {self._country(ic)} AS country FROM src s WHERE {col} IS NOT NULL AND {window}"
            else:
                rel = f"SELECT DISTINCT {col} AS raw FROM src s WHERE {col} IS NOT NULL AND {window}"
            keys = idsql.keys_query(ic.kind, rel, namespace=ic.namespace)
            extra = ", country" if ic.kind.value == "passport" else ""
            self.e.execute(
                f"CREATE OR REPLACE TEMP TABLE dict{n} AS SELECT raw{extra}, {hashing.digest_sql('key')} AS h, "
                f"coalesce(starts_with(key, 'rid:'), false) AS x FROM ({keys})"
            )
        # dense node ids: strong identifiers share one id space, linking weak ones another
        for name, cols in (("snode", self.strong), ("wnode", self.weak)):
            union = " UNION ALL ".join(
                f"SELECT h, x, {n} AS c FROM dict{n} WHERE h IS NOT NULL" for n in cols
            )
            if not cols:
                union = "SELECT CAST(NULL AS UHUGEINT) AS h, false AS x, 0 AS c WHERE false"
            self.e.execute(
                f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT h, excl, c, CAST(row_number() OVER () - 1 AS INTEGER) AS nid "
                f"FROM (SELECT h, bool_or(x) AS excl, min(c) AS c FROM ({union}) GROUP BY h)"
            )
            for n in cols:
                self.e.execute(
                    f"CREATE OR REPLACE TEMP TABLE dict{n} AS SELECT d.*, s.nid FROM dict{n} d LEFT JOIN {name} s ON s.h = d.h"
                )
        return quality

    def _country(self, ic: Any) -> str:
        if ic.country_column:
            return f"nullif(trim(CAST(s.{_q(ic.country_column)} AS VARCHAR)), '')"
        return _lit(ic.country)

    def _date_sql(self) -> str:
        c = self.m.date
        raw = f"nullif(trim(CAST(s.{_q(c.column)} AS VARCHAR)), '')" if c.column else _lit(c.value)
        return _date_expr(c, raw)

    def _rows(self) -> None:
        """The in-window rows: date, descriptive combination, node ids of linking identifiers, a bit
        per column whose value was present but invalid. Raw values end here."""
        m = self.m
        joins, cols, bits = [], [], []
        for n, ic in enumerate(self.ids):
            if not ic.links:
                continue  # non-linking columns: quality from their dictionary, no join needed
            col = f"nullif(trim(CAST(s.{_q(ic.column)} AS VARCHAR)), '')"
            on = f"d{n}.raw = {col}"
            if ic.kind.value == "passport":
                on += f" AND d{n}.country IS NOT DISTINCT FROM {self._country(ic)}"
            joins.append(f"LEFT JOIN dict{n} d{n} ON {on}")
            cols.append(f"d{n}.nid AS n{n}")
            bits.append(
                f"CASE WHEN {col} IS NULL THEN 0 WHEN d{n}.h IS NULL THEN {1 << (2 * n + 1)} ELSE {1 << (2 * n)} END"
            )
        all_raw = " || chr(31) || ".join(
            f"coalesce(CAST(s.{_q(c)} AS VARCHAR), chr(30))" for c in m.columns()
        )
        st = self.strong
        p_sql = ("coalesce(" + ", ".join(f"d{n}.nid" for n in st) + ")") if st else "CAST(NULL AS INTEGER)"
        x_sql = (
            ("coalesce(" + ", ".join(f"CASE WHEN d{n}.x THEN d{n}.nid END" for n in st) + ")")
            if st
            else "CAST(NULL AS INTEGER)"
        )
        self.e.execute(
            f"""CREATE OR REPLACE TEMP TABLE rows AS
            SELECT {self._date_sql()} AS d, {self._dim_hash()} AS dimh,{" row_number() OVER () AS rn," if self.weak else ""}
                   {", ".join(cols)}, {p_sql} AS p, {x_sql} AS xn, CAST({" + ".join(bits) or "0"} AS UBIGINT) AS bits,
                   CASE WHEN {p_sql} IS NULL THEN {hashing.digest_sql("'row' || chr(31) || " + all_raw)} END AS fp
            FROM src s {" ".join(joins)}
            WHERE {self._date_sql()} BETWEEN DATE '{self.window_start}' AND DATE '{self.as_of}'"""
        )

    # ------------------------------------------------------------------ 3-4. link
    def _link(self, quality: Quality) -> list[Suspicious]:
        e, lim = self.e, self.m.linking
        labels = {n: ic.label for n, ic in enumerate(self.ids)}
        suspicious: list[Suspicious] = []
        n_nodes = e.rows("SELECT count(*) FROM snode")[0][0]
        pairs = " UNION ".join(f"SELECT p AS a, n{n} AS b FROM rows WHERE n{n} <> p" for n in self.strong)
        e.execute(
            "CREATE OR REPLACE TEMP TABLE sedge AS "
            + (pairs or "SELECT CAST(NULL AS INTEGER) AS a, CAST(NULL AS INTEGER) AS b WHERE false")
        )
        e.connected_components("sedge", n_nodes, "scomp")
        e.execute(
            f"""CREATE OR REPLACE TEMP TABLE sgroup AS
            SELECT comp, count(*) AS size, count(*) FILTER (WHERE excl) AS n_excl,
                   (count(*) FILTER (WHERE excl) > 1 OR count(*) > {lim.max_group_identifiers}) AS doubtful
            FROM scomp JOIN snode USING (nid) GROUP BY comp"""
        )
        e.execute(
            "CREATE OR REPLACE TEMP TABLE smap AS SELECT c.nid, c.comp, g.doubtful FROM scomp c JOIN sgroup g USING (comp)"
        )
        # the strong person of each row: its group; in a doubtful group, its own resident ID or first id
        keep = ", ".join(["r.rn", *(f"r.n{n}" for n in self.weak)]) if self.weak else ""
        e.execute(
            f"""CREATE OR REPLACE TEMP TABLE rows AS
            SELECT r.d, r.dimh, r.p, r.fp, {keep + "," if keep else ""}
                   CAST(CASE WHEN r.p IS NULL THEN NULL WHEN NOT m.doubtful THEN m.comp ELSE coalesce(r.xn, r.p) END AS BIGINT) AS person
            FROM rows r LEFT JOIN smap m ON m.nid = r.p"""
        )
        stats = e.rows(
            "SELECT count(*) FILTER (WHERE size > 1 AND NOT doubtful), count(*) FILTER (WHERE doubtful) FROM sgroup"
        )[0]
        quality.linked_groups, quality.doubtful_groups = int(stats[0]), int(stats[1])
        for comp, size, n_excl in e.rows(
            "SELECT comp, size, n_excl FROM sgroup WHERE doubtful ORDER BY size DESC, comp LIMIT 20"
        ):
            ids = e.rows(
                f"SELECT c, h FROM snode JOIN scomp USING (nid) WHERE comp = {comp} ORDER BY nid LIMIT 10"
            )
            reason = (
                f"{n_excl} different resident identity numbers joined through other identifiers"
                if n_excl > 1
                else f"{size} identifiers in one group (limit {lim.max_group_identifiers})"
            )
            suspicious.append(
                Suspicious(
                    kind="strong_group",
                    reason=reason + "; not merged: its records are counted by their own identifiers",
                    size=int(size),
                    identifiers=[f"{labels[int(c)]} {hashing.public_hash(self.key, h)}" for c, h in ids],
                )
            )
        if self.weak:
            suspicious += self._link_weak(labels, quality)
        # records with nothing to link on: one person per distinct row
        e.execute(
            f"""CREATE OR REPLACE TEMP TABLE fpid AS
            SELECT fp, {ROW_BASE} + row_number() OVER () AS k FROM (SELECT DISTINCT fp FROM rows WHERE person IS NULL)"""
        )
        e.execute(
            """CREATE OR REPLACE TEMP TABLE rows AS
            SELECT r.d, r.dimh, r.p, coalesce(r.person, f.k) AS person
            FROM rows r LEFT JOIN fpid f ON r.person IS NULL AND f.fp = r.fp"""
        )
        quality.rows_without_linking_identifier = e.rows("SELECT count(*) FROM rows WHERE p IS NULL")[0][0]
        return suspicious

    def _link_weak(self, labels: dict[int, str], quality: Quality) -> list[Suspicious]:
        """Weak values attach records without a strong identifier to at most one identified person."""
        e, lim = self.e, self.m.linking
        occ = " UNION ALL ".join(
            f"SELECT rn AS r, n{n} AS w FROM rows WHERE n{n} IS NOT NULL" for n in self.weak
        )
        e.execute(f"CREATE OR REPLACE TEMP TABLE wocc AS {occ}")
        # how many identified persons and how many other identifiers each weak value is seen with
        other = [
            "SELECT o.w, 's' || CAST(r.person AS VARCHAR) AS other FROM wocc o JOIN rows r ON r.rn = o.r WHERE r.person IS NOT NULL",
            "SELECT a.w, 'w' || CAST(b.w AS VARCHAR) FROM wocc a JOIN wocc b ON a.r = b.r AND a.w <> b.w",
        ]
        e.execute(
            f"""CREATE OR REPLACE TEMP TABLE wstat AS
            WITH s AS (SELECT o.w, count(DISTINCT r.person) AS n_persons, min(r.person) AS person
                       FROM wocc o JOIN rows r ON r.rn = o.r WHERE r.person IS NOT NULL GROUP BY o.w),
                 k AS (SELECT w, count(DISTINCT other) AS n_other FROM ({" UNION ALL ".join(other)}) GROUP BY w)
            SELECT n.nid AS w, n.c, n.h, coalesce(s.n_persons, 0) AS n_persons, s.person,
                   coalesce(k.n_other, 0) - coalesce(s.n_persons, 0) AS n_other,
                   (coalesce(s.n_persons, 0) > 1 OR coalesce(k.n_other, 0) > {lim.max_weak_links}) AS shared
            FROM wnode n LEFT JOIN s ON s.w = n.nid LEFT JOIN k ON k.w = n.nid"""
        )
        n_w = e.rows("SELECT count(*) FROM wnode")[0][0]
        e.execute(
            """CREATE OR REPLACE TEMP TABLE wuse AS
            SELECT o.r, o.w FROM wocc o JOIN rows r ON r.rn = o.r JOIN wstat s ON s.w = o.w
            WHERE r.person IS NULL AND NOT s.shared"""
        )
        e.execute(
            """CREATE OR REPLACE TEMP TABLE wfirst AS SELECT r, min(w) AS a FROM wuse GROUP BY r;
            CREATE OR REPLACE TEMP TABLE wedge AS
            SELECT DISTINCT f.a, u.w AS b FROM wfirst f JOIN wuse u ON u.r = f.r WHERE u.w <> f.a"""
        )
        e.connected_components("wedge", n_w, "wcomp")
        e.execute(
            f"""CREATE OR REPLACE TEMP TABLE wgroup AS
            SELECT c.comp, count(*) AS size, count(DISTINCT s.person) AS n_persons, min(s.person) AS person,
                   count(*) > {lim.max_group_identifiers} AS doubtful
            FROM wcomp c JOIN wstat s ON s.w = c.nid WHERE NOT s.shared GROUP BY c.comp"""
        )
        e.execute(
            f"""CREATE OR REPLACE TEMP TABLE wassign AS
            SELECT f.r, CASE
                  WHEN g.doubtful THEN {WEAK_BASE} + f.a
                  WHEN g.n_persons = 1 THEN g.person
                  ELSE {WEAK_BASE} + g.comp END AS person
            FROM wfirst f JOIN wcomp c ON c.nid = f.a JOIN wgroup g ON g.comp = c.comp"""
        )
        e.execute(
            """CREATE OR REPLACE TEMP TABLE rows AS
            SELECT r.d, r.dimh, r.p, r.fp, coalesce(r.person, w.person) AS person
            FROM rows r LEFT JOIN wassign w ON w.r = r.rn"""
        )
        quality.weak_attached_rows = e.rows(
            f"SELECT count(*) FROM rows WHERE p IS NULL AND person IS NOT NULL AND person < {WEAK_BASE}"
        )[0][0]
        quality.shared_weak_values = e.rows("SELECT count(*) FROM wstat WHERE shared")[0][0]
        out = []
        for c, h, n_persons, n_other in e.rows(
            "SELECT c, h, n_persons, n_other FROM wstat WHERE shared ORDER BY n_persons + n_other DESC, w LIMIT 20"
        ):
            out.append(
                Suspicious(
                    kind="shared_weak_value",
                    reason=f"seen with {n_persons} identified persons and {n_other} other identifiers; links nothing",
                    size=int(n_persons + n_other),
                    identifiers=[f"{labels[int(c)]} {hashing.public_hash(self.key, h)}"],
                )
            )
        return out

    # ------------------------------------------------------------------ 5. count
    def _counted(self, excluded: list[str] | None) -> str:
        if excluded is None:
            return "exempt IS NULL"
        if not excluded:
            return "true"
        return "(exempt IS NULL OR exempt NOT IN (" + ", ".join(_lit(x) for x in excluded) + "))"

    def _presence(self) -> None:
        """One row per (descriptive combination, person): its rows and first date."""
        self.e.execute(
            """CREATE OR REPLACE TEMP TABLE presence AS
            SELECT dimh, person, count(*) AS nrows, min(d) AS first FROM rows GROUP BY dimh, person"""
        )

    def _summaries(
        self,
    ) -> tuple[Axes, Axes, list[Breakdown], list[Breakdown], list[Breakdown], list[Breakdown]]:
        """Exact distinct persons for every breakdown in one aggregation per person.

        Each breakdown group (the handler, a flow, a subject type, a flow's data item, a flow's
        category and subject) gets six bits (counted sensitive / non-sensitive / any, set apart
        sensitive / non-sensitive / any); every descriptive combination carries the bits of the
        groups it belongs to. OR-ing a person's bits and counting persons per bit gives every
        distinct count at once; persons share few bit patterns, so the patterns are counted in SQL
        and expanded here.
        """
        dims = self.e.rows("SELECT dimh, flow, item, subject, category, c, s, n FROM dims ORDER BY dimh")
        kinds: list[tuple[str, ...]] = [(), ("flow",), ("subject",)]
        if self.detail:
            kinds += [("flow", "item"), ("flow", "category", "subject")]
        buckets: dict[tuple, int] = {}
        masks: dict[int, int] = {}
        rows_by_dim: dict[int, tuple] = {}
        for dimh, flow, item, subject, category, c, s, n in dims:
            vals = {"flow": flow, "item": item, "subject": subject, "category": category}
            flags = (c and s, c and n, c, (not c) and s, (not c) and n, not c)
            bits = 0
            for kind in kinds:
                key = (kind, tuple(vals[k] for k in kind))
                b = buckets.setdefault(key, len(buckets))
                for j, on in enumerate(flags):
                    if on:
                        bits |= 1 << (6 * b + j)
            masks[dimh] = bits
            rows_by_dim[dimh] = (vals, bool(c))
        width = max(1, (6 * len(buckets) + 63) // 64)
        cols = [f"m{k}" for k in range(width)]
        import pyarrow as pa

        chunk = (1 << 64) - 1
        table = pa.table(
            {
                "dimh": pa.array(list(masks), type=pa.uint64()),
                **{
                    c: pa.array([(m >> (64 * k)) & chunk for m in masks.values()], type=pa.uint64())
                    for k, c in enumerate(cols)
                },
            }
        )
        self.e.register("ftz_dimmask_arrow", table)
        self.e.execute("CREATE OR REPLACE TEMP TABLE dimmask AS SELECT * FROM ftz_dimmask_arrow")
        self.e.unregister("ftz_dimmask_arrow")
        ors = ", ".join(f"bit_or(m.{c}) AS {c}" for c in cols)
        patterns = self.e.rows(
            f"""SELECT {", ".join(cols)}, count(*) FROM (
                  SELECT p.person, {ors} FROM presence p JOIN dimmask m USING (dimh) GROUP BY p.person)
                GROUP BY ALL"""
        )
        per_bit = [0] * (64 * width)
        for *ms, k in patterns:
            for i, m in enumerate(ms):
                while m:
                    low = m & -m
                    per_bit[64 * i + low.bit_length() - 1] += k
                    m ^= low
        row_counts: dict[int, list[int]] = {b: [0, 0] for b in buckets.values()}
        for dimh, nrows in self.e.rows("SELECT dimh, sum(nrows) FROM presence GROUP BY dimh"):
            vals, counted = rows_by_dim[dimh]
            for kind in kinds:
                b = buckets[(kind, tuple(vals[k] for k in kind))]
                row_counts[b][0 if counted else 1] += int(nrows)
        out: dict[tuple, list[Breakdown]] = {k: [] for k in kinds}
        names = {"flow": "flow", "item": "data_item", "subject": "subject", "category": "category"}
        for (kind, key), b in buckets.items():
            c = [
                row_counts[b][0],
                *per_bit[6 * b : 6 * b + 3],
                row_counts[b][1],
                *per_bit[6 * b + 3 : 6 * b + 6],
            ]
            out[kind].append(
                _breakdown(
                    [c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]],
                    **{names[k]: v for k, v in zip(kind, key, strict=True)},
                )
            )
        for kind in out:
            out[kind].sort(
                key=lambda b: tuple(
                    (v is not None, v or "") for v in (b.flow, b.data_item, b.subject, b.category)
                )
            )
        total = out[()][0] if out[()] else _breakdown([0] * 8)
        return (
            total.persons,
            total.exempt_persons,
            out[("flow",)],
            out[("subject",)],
            out.get(("flow", "item"), []),
            out.get(("flow", "category", "subject"), []),
        )

    def _item_filter(self, item: Any) -> tuple[str, list[str]]:
        """SQL selecting the rows a list item's conditions catch; conditions the log cannot show
        are dropped (more rows, a larger count) and named in the note."""
        conds, unknown = [], []
        if item.sensitivity is not None:
            conds.append(SENSITIVE_AXIS if item.sensitivity == "sensitive" else NON_SENSITIVE_AXIS)
        for attr, col, mapped in (
            (
                "categories",
                "category",
                self.m.category is not None or any(t.category for t in self.m.items.values()),
            ),
            (
                "subjects",
                "subject",
                self.m.subject is not None or any(t.subject for t in self.m.items.values()),
            ),
            ("scenarios", "scenario", self.m.scenario is not None),
        ):
            wanted = getattr(item, attr, None)
            if not wanted:
                continue
            if not mapped:
                unknown.append(attr)
                continue
            ors = " OR ".join(f"{col} = {_lit(w)} OR starts_with({col}, {_lit(w + '.')})" for w in wanted)
            conds.append(f"({ors})")
        return (" AND ".join(conds) or "true"), unknown

    def _crossings(self) -> list[Crossing]:
        groups: dict[tuple, dict] = {}
        for lf in self.lists:
            rule = lf.counting or (self.rule_list.counting if self.rule_list else None)
            excluded = list(rule.excluded_exemptions) if rule else None
            for item in lf.items:
                if item.persons is None or item.persons.min <= 0:
                    continue
                where, unknown = self._item_filter(item)
                sens = item.sensitivity.value if item.sensitivity is not None else None
                k = (
                    lf.id,
                    item.group,
                    sens,
                    item.persons.min,
                    where,
                    tuple(excluded or ()) if excluded is not None else None,
                )
                g = groups.setdefault(
                    k, {"items": [], "unknown": set(), "excluded": excluded, "where": where, "sectors": set()}
                )
                g["items"].append(item.id)
                g["unknown"].update(unknown)
                g["sectors"].update(item.sectors or ())
        out: list[Crossing] = []
        cache: dict[tuple, list[tuple[dt.date, int]]] = {}
        days_elapsed = (self.as_of - self.window_start).days + 1
        window_end = dt.date(self.as_of.year, 12, 31)
        for (list_id, group, sens, threshold, where, _), g in groups.items():
            ck = (where, tuple(g["excluded"]) if g["excluded"] is not None else None)
            if ck not in cache:
                cache[ck] = [
                    (d, int(c))
                    for d, c in self.e.rows(
                        f"""SELECT d, sum(count(*)) OVER (ORDER BY d) FROM (
                            SELECT p.person, min(p.first) AS d FROM presence p JOIN dims USING (dimh)
                            WHERE {self._counted(g["excluded"])} AND {where} GROUP BY p.person)
                            GROUP BY d ORDER BY d"""
                    )
                ]
            series = cache[ck]
            count = series[-1][1] if series else 0
            crossed = next((d for d, c in series if c >= threshold), None)
            projected, within = None, None
            if crossed is None and count > 0:
                rate = count / days_elapsed
                days = math.ceil((threshold - count) / rate)
                within = days <= (window_end - self.as_of).days
                projected = self.as_of + dt.timedelta(days=days) if days < 36500 else None
            notes = []
            if g["sectors"]:
                notes.append("applies to handlers in sector " + ", ".join(sorted(g["sectors"])))
            if g["unknown"]:
                notes.append(
                    "the log does not show "
                    + ", ".join(sorted(g["unknown"]))
                    + "; every row counted (over-counts)"
                )
            note = "; ".join(notes) or None
            out.append(
                Crossing(
                    list_id=list_id,
                    group=group,
                    sensitivity=sens,
                    threshold=threshold,
                    items=sorted(g["items"]),
                    count=count,
                    crossed_on=crossed,
                    projected_on=projected,
                    projected_within_window=within,
                    note=note,
                )
            )
        out.sort(key=lambda c: (c.list_id, c.group or "", c.sensitivity or "", c.threshold))
        return out

    # ------------------------------------------------------------------ evidence
    def write_evidence(self, path: Path) -> int:
        """Merged groups with the identifiers (hashed) that joined them, as Parquet; written to a
        temporary name and renamed, so a failed run leaves nothing half-written."""
        tmp = path.with_name(path.name + ".partial")
        labels = (
            "CASE c " + " ".join(f"WHEN {n} THEN {_lit(ic.label)}" for n, ic in enumerate(self.ids)) + " END"
        )
        self.e.execute(
            f"""COPY (
              SELECT g.comp AS group_id, g.size AS identifiers_in_group, g.doubtful,
                     {labels} AS identifier_column, 'h:' || left({hashing.hmac_hex_sql(hashing.digest_hex_sql("n.h"))}, 16) AS identifier_hash
              FROM sgroup g JOIN scomp c ON c.comp = g.comp JOIN snode n ON n.nid = c.nid
              WHERE g.size > 1 ORDER BY g.comp, n.nid
            ) TO '{str(tmp).replace("'", "''")}' (FORMAT parquet)"""
        )
        tmp.replace(path)
        return self.e.rows("SELECT count(*) FROM sgroup WHERE size > 1")[0][0]

    # ------------------------------------------------------------------ run
    def run(self, evidence: Path | None = None) -> CountResult:
        self.e.install_identifiers()
        self._timed("read", self._read)
        total, in_window, before, after = self._timed("check_dates", self._check_dates)
        quality = Quality(
            files=[str(f.path) for f in self.files],
            rows_read=total,
            rows_in_window=in_window,
            rows_before_window=before,
            rows_after_as_of=after,
        )
        cols = self._timed("normalise", self._dicts)
        self._timed("rows", self._rows)
        linking = [n for n, ic in enumerate(self.ids) if ic.links]
        bits = self.e.rows(
            "SELECT "
            + ", ".join(
                f"count(*) FILTER (WHERE bits & {1 << (2 * n)} <> 0), count(*) FILTER (WHERE bits & {1 << (2 * n + 1)} <> 0)"
                for n in linking
            )
            + (", " if linking else "")
            + "count(*) FROM rows"
        )[0]
        for j, n in enumerate(linking):
            cq = cols[n]
            cq.valid, cq.invalid = int(bits[2 * j]), int(bits[2 * j + 1])
            cq.present = cq.valid + cq.invalid
        for n, cq in enumerate(cols):
            if self.ids[n].links or self.m.linking.check_unlinked:
                v, i = self.e.rows(f"SELECT count(h), count(*) - count(h) FROM dict{n}")[0]
                cq.distinct_valid, cq.distinct_invalid = int(v), int(i)
        quality.identifiers = cols
        suspicious = self._timed("link", self._link, quality)
        self._timed("dims", self._dims, self._counted(self.rule.excluded_exemptions))
        self._timed("presence", self._presence)
        totals, exempt, by_flow, by_subject, by_item, by_category = self._timed("summaries", self._summaries)
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
            crossings=self._timed("crossings", self._crossings),
            suspicious=suspicious,
            quality=quality,
            readings=READINGS,
            run_id=self._run_id(),
        )
        if evidence is not None:
            self.write_evidence(evidence)
        return result

    def _run_id(self) -> str:
        h = hashlib.sha256()
        for f in self.files:
            st = f.path.stat()
            h.update(f"{f.path.name}|{st.st_size}|{int(st.st_mtime)}\n".encode())
        h.update(self.m.model_dump_json().encode())
        h.update(str(self.as_of).encode())
        h.update(json.dumps(sorted(lf.id for lf in self.lists)).encode())
        return "count-" + h.hexdigest()[:12]


def _breakdown(c: list[Any], **keys: Any) -> Breakdown:
    c = [int(x or 0) for x in c]
    return Breakdown(
        **keys,
        rows=c[0],
        persons=Axes(sensitive=c[1], non_sensitive=c[2], any=c[3]),
        exempt_rows=c[4],
        exempt_persons=Axes(sensitive=c[5], non_sensitive=c[6], any=c[7]),
    )


def _duck_message(exc: Exception, f: LogFile | None) -> str:
    """First line of a DuckDB error, without query text (which could quote a cell)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    what = f"cannot read as {f.format.upper()}: " if f else "cannot read the logs: "
    return what + redact(text[:300])


def count_persons(
    files: Sequence[LogFile],
    mapping: Mapping,
    *,
    as_of: dt.date,
    key: bytes,
    lists: Sequence[Any] = (),
    category_sensitivity: dict[str, bool] | None = None,
    engine: Engine | None = None,
    evidence: Path | None = None,
    detail: bool = False,
) -> CountResult:
    """Count de-duplicated natural persons in export logs for the window ending `as_of`.

    `lists` are the list files whose thresholds to report (the first with a counting rule sets
    the window and the exemptions set apart); `category_sensitivity` maps taxonomy category ids
    to sensitive (True) or not, for rows whose sensitivity follows from their category; `detail`
    adds the per data item and per category breakdowns (what `fill_declaration` matches on).
    """
    own = engine is None
    eng = engine or DuckDBEngine()
    try:
        return Counter(
            eng,
            files,
            mapping,
            as_of=as_of,
            key=key,
            lists=lists,
            category_sensitivity=category_sensitivity,
            detail=detail,
        ).run(evidence)
    finally:
        if own:
            eng.close()  # type: ignore[union-attr]
