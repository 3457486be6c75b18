"""Connected components in plain SQL, for engines without a graph library (Spark).

Min-label propagation with pointer jumping, as Splink does: every node takes the smallest label
among itself and its neighbours, then the label of that label, until nothing changes. Only nodes
that have an edge take part; every other node is its own component. Identifier groups are small
(a person has a handful of identifiers), so the loop ends in a few rounds whatever the log's size;
each round is two joins over the edges, which a distributed engine spreads across its workers.
"""

from __future__ import annotations

from typing import Any


def sql_connected_components(engine: Any, edges: str, nodes: str, out: str, max_rounds: int = 1_000) -> int:
    """Create `out(nid, comp)` for every nid of `nodes` (comp = smallest nid of its component) from
    the undirected edges `edges(a, b)`; return the number of rounds taken."""
    e = engine
    e.create("_cc_e", f"SELECT a, b FROM {edges} WHERE a <> b UNION SELECT b, a FROM {edges} WHERE a <> b")
    e.create("_cc_l", "SELECT a AS nid, least(a, min(b)) AS comp FROM _cc_e GROUP BY a")
    rounds = 0
    for rounds in range(1, max_rounds + 1):  # noqa: B007 - the count is returned
        e.create(
            "_cc_n",
            """SELECT l.nid, least(l.comp, min(r.comp)) AS comp
            FROM _cc_l l JOIN _cc_e x ON x.a = l.nid JOIN _cc_l r ON r.nid = x.b
            GROUP BY l.nid, l.comp""",
        )
        e.create(
            "_cc_j", "SELECT n.nid, least(n.comp, p.comp) AS comp FROM _cc_n n JOIN _cc_n p ON p.nid = n.comp"
        )
        changed = e.rows("SELECT count(*) FROM _cc_j j JOIN _cc_l o ON o.nid = j.nid WHERE j.comp <> o.comp")[
            0
        ][0]
        e.create("_cc_l", "SELECT nid, comp FROM _cc_j")
        if changed == 0:
            break
    e.create(
        out,
        f"SELECT v.nid, coalesce(l.comp, v.nid) AS comp FROM {nodes} v LEFT JOIN _cc_l l ON l.nid = v.nid",
    )
    e.drop("_cc_e", "_cc_n", "_cc_j", "_cc_l")
    return rounds
