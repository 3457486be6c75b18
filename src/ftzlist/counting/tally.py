"""Step 5: exact distinct persons per axis, flow, subject type, data item and category.

`dims` resolves every distinct descriptive combination once: the data item's tags, the row's
sensitivity under the one rule of `ftzlist.law` (a row or an item tag may raise sensitivity, never
lower it; only a reviewed override in the mapping lowers a sensitive category, and the output
names it), and whether the row is counted under the rule's exemptions. `presence` holds one row per
(combination, person) with its rows and first day; every breakdown comes from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ftzlist.counting.result import Axes, Breakdown, OverrideUse
from ftzlist.law import category_sensitivity_rows, sensitivity_sql

if TYPE_CHECKING:
    from ftzlist.counting.pipeline import CountRun

SENSITIVE_AXIS = "sens IN ('sensitive', 'unknown')"
NON_SENSITIVE_AXIS = "sens IN ('non_sensitive', 'unknown')"


def counted_sql(run: CountRun, excluded: list[str] | None) -> str:
    """Rows counted under a rule that sets apart `excluded` exemption ids (None: every ground)."""
    if excluded is None:
        return "exempt IS NULL"
    if not excluded:
        return "TRUE"
    return "(exempt IS NULL OR exempt NOT IN (" + ", ".join(run.d.lit(x) for x in excluded) + "))"


def _claim(value: bool | None) -> str | None:
    return None if value is None else ("sensitive" if value else "non_sensitive")


def dims(run: CountRun) -> list[OverrideUse]:
    """`dims(dimh, flow, item, subject, category, scenario, sens, exempt, raised, ovr, c, s, n)`;
    returns the sensitivity overrides the rows used."""
    import pyarrow as pa

    e, m = run.e, run.m
    tags = sorted(m.items.items())
    e.load(
        "ftz_items",
        pa.table(
            {
                "item": pa.array([k for k, _ in tags], pa.string()),
                "category": pa.array([t.category for _, t in tags], pa.string()),
                "subject": pa.array([t.subject for _, t in tags], pa.string()),
                "sens": pa.array([_claim(t.sensitive) for _, t in tags], pa.string()),
                "ovr": pa.array(
                    [
                        _claim(t.sensitivity_override.sensitive) if t.sensitivity_override else None
                        for _, t in tags
                    ],
                    pa.string(),
                ),
            }
        ),
    )
    cats = category_sensitivity_rows(run.voc)
    e.load(
        "ftz_cats",
        pa.table(
            {
                "category": pa.array([c for c, _ in cats], pa.string()),
                "sens": pa.array([s for _, s in cats], pa.string()),
            }
        ),
    )
    resolved = sensitivity_sql("ct.sens", ["b.sens", "it.sens"], "it.ovr")
    e.create(
        "dims",
        f"""SELECT *, {counted_sql(run, run.rule.excluded_exemptions)} AS c, {SENSITIVE_AXIS} AS s,
                  {NON_SENSITIVE_AXIS} AS n FROM (
              SELECT b.dimh, b.flow, b.item, coalesce(b.subject, it.subject) AS subject,
                     coalesce(b.category, it.category) AS category, b.scenario,
                     {resolved} AS sens, b.exempt,
                     ({resolved} = 'sensitive' AND (b.sens = 'non_sensitive' OR it.sens = 'non_sensitive')) AS raised,
                     CASE WHEN it.ovr IS NOT NULL AND b.sens IS DISTINCT FROM 'sensitive'
                               AND it.sens IS DISTINCT FROM 'sensitive' THEN it.item END AS ovr
              FROM (SELECT DISTINCT dimh, flow, item, subject, category, scenario, sens, exempt
                    FROM filestats WHERE dimh IS NOT NULL) b
              LEFT JOIN ftz_items it ON it.item = b.item
              LEFT JOIN ftz_cats ct ON ct.category = coalesce(b.category, it.category)) t""",
    )
    n, distinct = e.rows("SELECT count(*), count(DISTINCT dimh) FROM dims")[0]
    if n != distinct:  # a 64-bit hash collision between two descriptive combinations
        raise RuntimeError("descriptive columns collide under their 64-bit hash; report this input")
    uses = []
    for item, rows in e.rows(
        "SELECT ovr, sum(f.n) FROM dims JOIN filestats f USING (dimh) WHERE ovr IS NOT NULL GROUP BY ovr ORDER BY ovr"
    ):
        o = m.items[item].sensitivity_override
        uses.append(
            OverrideUse(
                data_item=item,
                sensitive=o.sensitive,
                reviewed_by=o.reviewed_by,
                reviewed_on=o.reviewed_on,
                basis=o.basis,
                rows=int(rows),
            )
        )
    return uses


def raised_rows(run: CountRun) -> int:
    """In-window rows whose own or item claim of `non_sensitive` was overruled by the category."""
    return int(
        run.e.rows("SELECT coalesce(sum(f.n), 0) FROM dims JOIN filestats f USING (dimh) WHERE raised")[0][0]
    )


def presence(run: CountRun) -> None:
    """One row per (descriptive combination, person): its rows and first date."""
    run.e.create(
        "presence", "SELECT dimh, person, count(*) AS nrows, min(d) AS first FROM rows2 GROUP BY dimh, person"
    )


def _signed(x: int) -> int:
    return x - (1 << 64) if x >= 1 << 63 else x


def summaries(
    run: CountRun,
) -> tuple[Axes, Axes, list[Breakdown], list[Breakdown], list[Breakdown], list[Breakdown]]:
    """Exact distinct persons for every breakdown in one aggregation per person.

    Each breakdown group (the handler, a flow, a subject type, a flow's data item, a flow's
    category and subject) gets six bits (counted sensitive / non-sensitive / any, set apart
    sensitive / non-sensitive / any); every descriptive combination carries the bits of the
    groups it belongs to. OR-ing a person's bits and counting persons per bit gives every
    distinct count at once; persons share few bit patterns, so the patterns are counted in SQL
    and expanded here.
    """
    import pyarrow as pa

    e = run.e
    dims_rows = e.rows("SELECT dimh, flow, item, subject, category, c, s, n FROM dims ORDER BY dimh")
    kinds: list[tuple[str, ...]] = [(), ("flow",), ("subject",)]
    if run.detail:
        kinds += [("flow", "item"), ("flow", "category", "subject")]
    buckets: dict[tuple, int] = {}
    masks: dict[int, int] = {}
    rows_by_dim: dict[int, tuple] = {}
    for dimh, flow, item, subject, category, c, s, n in dims_rows:
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
    chunk = (1 << 64) - 1
    e.load(
        "dimmask",
        pa.table(
            {
                "dimh": pa.array(list(masks), type=pa.int64()),
                **{
                    c: pa.array([_signed((m >> (64 * k)) & chunk) for m in masks.values()], type=pa.int64())
                    for k, c in enumerate(cols)
                },
            }
        ),
    )
    ors = ", ".join(f"bit_or(m.{c}) AS {c}" for c in cols)
    patterns = e.rows(
        f"""SELECT {", ".join(cols)}, count(*) FROM (
              SELECT p.person, {ors} FROM presence p JOIN dimmask m ON m.dimh = p.dimh GROUP BY p.person) t
            GROUP BY ALL"""
    )
    per_bit = [0] * (64 * width)
    for *ms, k in patterns:
        for i, m in enumerate(ms):
            m &= chunk
            while m:
                low = m & -m
                per_bit[64 * i + low.bit_length() - 1] += k
                m ^= low
    row_counts: dict[int, list[int]] = {b: [0, 0] for b in buckets.values()}
    for dimh, nrows in e.rows("SELECT dimh, sum(nrows) FROM presence GROUP BY dimh"):
        vals, counted = rows_by_dim[dimh]
        for kind in kinds:
            b = buckets[(kind, tuple(vals[k] for k in kind))]
            row_counts[b][0 if counted else 1] += int(nrows)
    out: dict[tuple, list[Breakdown]] = {k: [] for k in kinds}
    names = {"flow": "flow", "item": "data_item", "subject": "subject", "category": "category"}
    for (kind, key), b in buckets.items():
        c = [row_counts[b][0], *per_bit[6 * b : 6 * b + 3], row_counts[b][1], *per_bit[6 * b + 3 : 6 * b + 6]]
        out[kind].append(breakdown(c, **{names[k]: v for k, v in zip(kind, key, strict=True)}))
    for kind in out:
        out[kind].sort(
            key=lambda b: tuple(
                (v is not None, v or "") for v in (b.flow, b.data_item, b.subject, b.category)
            )
        )
    total = out[()][0] if out[()] else breakdown([0] * 8)
    return (
        total.persons,
        total.exempt_persons,
        out[("flow",)],
        out[("subject",)],
        out.get(("flow", "item"), []),
        out.get(("flow", "category", "subject"), []),
    )


def breakdown(c: list[Any], **keys: Any) -> Breakdown:
    c = [int(x or 0) for x in c]
    return Breakdown(
        **keys,
        rows=c[0],
        persons=Axes(sensitive=c[1], non_sensitive=c[2], any=c[3]),
        exempt_rows=c[4],
        exempt_persons=Axes(sensitive=c[5], non_sensitive=c[6], any=c[7]),
    )
