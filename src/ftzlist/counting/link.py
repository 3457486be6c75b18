"""Steps 3-4: who is one person (the merge policy of docs/counting.md).

3. Strong identifiers: records sharing a valid strong identifier are one person (connected
   components over identifiers). A group holding two different resident-identity numbers, or more
   identifiers than the limit, is *doubtful* and is not merged transitively: its records are keyed
   by their own resident-identity number or first identifier.
4. Weak identifiers (only columns the mapping marks `link: true`): a weak value may attach records
   that have no strong identifier to ONE strongly identified person; it never joins two. A weak
   value seen with two or more identified persons, or with more other identifiers than the limit,
   is shared (a switchboard, a family mailbox) and links nothing.

Records with no usable identifier are each their own person, keyed by a digest of the whole row,
so invalid identifiers never merge anything and identical repeated rows are one record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftzlist.counting import hashing
from ftzlist.counting.result import Quality, Suspicious

if TYPE_CHECKING:
    from ftzlist.counting.pipeline import CountRun

PERSON_KINDS = 4
"""Person keys (BIGINT) say where they come from in their last two bits: 4 x node id for a strong
group (or a doubtful group's own identifier), 4 x node id + 1 for a weak cluster, 4 x row id + 2
for a record without a usable identifier. Node and row ids need not be dense (Spark's are not)."""


def link(run: CountRun, quality: Quality) -> list[Suspicious]:
    e, d, lim = run.e, run.d, run.m.linking
    labels = {n: ic.label for n, ic in enumerate(run.ids)}
    suspicious: list[Suspicious] = []
    pairs = " UNION ".join(f"SELECT p AS a, n{n} AS b FROM rows WHERE n{n} <> p" for n in run.strong)
    e.create(
        "sedge", pairs or f"SELECT CAST(NULL AS {d.bigint}) AS a, CAST(NULL AS {d.bigint}) AS b WHERE FALSE"
    )
    e.connected_components("sedge", "snode", "scomp")
    e.create(
        "sgroup",
        f"""SELECT comp, count(*) AS size, count(*) FILTER (WHERE excl) AS n_excl,
               (count(*) FILTER (WHERE excl) > 1 OR count(*) > {lim.max_group_identifiers}) AS doubtful
        FROM scomp JOIN snode USING (nid) GROUP BY comp""",
    )
    e.create("smap", "SELECT c.nid, c.comp, g.doubtful FROM scomp c JOIN sgroup g USING (comp)")
    # the strong person of each row: its group; in a doubtful group, its own resident ID or first id
    keep = "".join(f"{c}, " for c in ["r.rn", *(f"r.n{n}" for n in run.weak)]) if run.weak else ""
    e.create(
        "rows1",
        f"""SELECT r.d, r.dimh, r.p, r.fp, {keep}
               CAST(CASE WHEN r.p IS NULL THEN NULL WHEN NOT m.doubtful THEN 4 * m.comp ELSE 4 * coalesce(r.xn, r.p) END AS {d.bigint}) AS person
        FROM rows r LEFT JOIN smap m ON m.nid = r.p""",
    )
    stats = e.rows(
        "SELECT count(*) FILTER (WHERE size > 1 AND NOT doubtful), count(*) FILTER (WHERE doubtful) FROM sgroup"
    )[0]
    quality.linked_groups, quality.doubtful_groups = int(stats[0] or 0), int(stats[1] or 0)
    # the groups and identifiers listed are chosen by digest, so every engine lists the same ones
    for comp, size, n_excl, _ in e.rows(
        f"""SELECT g.comp, g.size, g.n_excl, min({d.digest_hex("n.h")}) AS k
        FROM sgroup g JOIN scomp c ON c.comp = g.comp JOIN snode n ON n.nid = c.nid
        WHERE g.doubtful GROUP BY g.comp, g.size, g.n_excl ORDER BY g.size DESC, k LIMIT 20"""
    ):
        ids = e.rows(
            f"SELECT c, {d.digest_hex('h')} AS k FROM snode JOIN scomp USING (nid) WHERE comp = {comp} ORDER BY k LIMIT 10"
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
                identifiers=[f"{labels[int(c)]} {hashing.public_hash(run.key, h)}" for c, h in ids],
            )
        )
    if run.weak:
        suspicious += _link_weak(run, labels, quality)
    # records with nothing to link on: one person per distinct row
    e.create(
        "fpid",
        f"SELECT fp, 4 * {d.row_ids()} + 2 AS k FROM (SELECT DISTINCT fp FROM rows1 WHERE person IS NULL) t",
    )
    e.create(
        "rows2",
        """SELECT r.d, r.dimh, r.p, coalesce(r.person, f.k) AS person
        FROM rows1 r LEFT JOIN fpid f ON r.person IS NULL AND f.fp = r.fp""",
    )
    e.drop("rows", "rows1")
    quality.rows_without_linking_identifier = e.rows("SELECT count(*) FROM rows2 WHERE p IS NULL")[0][0]
    return suspicious


def _link_weak(run: CountRun, labels: dict[int, str], quality: Quality) -> list[Suspicious]:
    """Weak values attach records without a strong identifier to at most one identified person."""
    e, d, lim = run.e, run.d, run.m.linking
    occ = " UNION ALL ".join(f"SELECT rn AS r, n{n} AS w FROM rows1 WHERE n{n} IS NOT NULL" for n in run.weak)
    e.create("wocc", occ)
    # how many identified persons and how many other identifiers each weak value is seen with
    other = [
        f"SELECT o.w, 's' || CAST(r.person AS {d.text}) AS other FROM wocc o JOIN rows1 r ON r.rn = o.r WHERE r.person IS NOT NULL",
        f"SELECT a.w, 'w' || CAST(b.w AS {d.text}) AS other FROM wocc a JOIN wocc b ON a.r = b.r AND a.w <> b.w",
    ]
    e.create(
        "wstat",
        f"""WITH s AS (SELECT o.w, count(DISTINCT r.person) AS n_persons, min(r.person) AS person
                   FROM wocc o JOIN rows1 r ON r.rn = o.r WHERE r.person IS NOT NULL GROUP BY o.w),
             k AS (SELECT w, count(DISTINCT other) AS n_other FROM ({" UNION ALL ".join(other)}) u GROUP BY w)
        SELECT n.nid AS w, n.c, n.h, coalesce(s.n_persons, 0) AS n_persons, s.person,
               coalesce(k.n_other, 0) - coalesce(s.n_persons, 0) AS n_other,
               (coalesce(s.n_persons, 0) > 1 OR coalesce(k.n_other, 0) > {lim.max_weak_links}) AS shared
        FROM wnode n LEFT JOIN s ON s.w = n.nid LEFT JOIN k ON k.w = n.nid""",
    )
    e.create(
        "wuse",
        """SELECT o.r, o.w FROM wocc o JOIN rows1 r ON r.rn = o.r JOIN wstat s ON s.w = o.w
        WHERE r.person IS NULL AND NOT s.shared""",
    )
    e.create("wfirst", "SELECT r, min(w) AS a FROM wuse GROUP BY r")
    e.create("wedge", "SELECT DISTINCT f.a, u.w AS b FROM wfirst f JOIN wuse u ON u.r = f.r WHERE u.w <> f.a")
    e.connected_components("wedge", "wnode", "wcomp")
    e.create(
        "wgroup",
        f"""SELECT c.comp, count(*) AS size, count(DISTINCT s.person) AS n_persons, min(s.person) AS person,
               count(*) > {lim.max_group_identifiers} AS doubtful
        FROM wcomp c JOIN wstat s ON s.w = c.nid WHERE NOT s.shared GROUP BY c.comp""",
    )
    e.create(
        "wassign",
        """SELECT f.r, CASE
              WHEN g.doubtful THEN 4 * f.a + 1
              WHEN g.n_persons = 1 THEN g.person
              ELSE 4 * g.comp + 1 END AS person
        FROM wfirst f JOIN wcomp c ON c.nid = f.a JOIN wgroup g ON g.comp = c.comp""",
    )
    e.create(
        "rows1w",
        """SELECT r.d, r.dimh, r.p, r.fp, coalesce(r.person, w.person) AS person
        FROM rows1 r LEFT JOIN wassign w ON w.r = r.rn""",
    )
    e.drop("rows1")
    e.create("rows1", "SELECT * FROM rows1w")
    e.drop("rows1w", "wocc", "wuse", "wfirst", "wedge", "wassign")
    quality.weak_attached_rows = e.rows(
        "SELECT count(*) FROM rows1 WHERE p IS NULL AND person IS NOT NULL AND person % 4 = 0"
    )[0][0]
    quality.shared_weak_values = e.rows("SELECT count(*) FROM wstat WHERE shared")[0][0]
    out = []
    for c, h, n_persons, n_other in e.rows(
        f"SELECT c, {d.digest_hex('h')} AS k, n_persons, n_other FROM wstat WHERE shared "
        "ORDER BY n_persons + n_other DESC, k LIMIT 20"
    ):
        out.append(
            Suspicious(
                kind="shared_weak_value",
                reason=f"seen with {n_persons} identified persons and {n_other} other identifiers; links nothing",
                size=int(n_persons + n_other),
                identifiers=[f"{labels[int(c)]} {hashing.public_hash(run.key, h)}"],
            )
        )
    return out
