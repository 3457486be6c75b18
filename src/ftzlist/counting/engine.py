"""Engines the counting logic runs on. The logic (`pipeline.py`) is SQL plus one graph primitive,
`connected_components`; an engine supplies both. DuckDB is the embedded engine; a Spark adapter
implements the same four methods (SQL through `spark.sql`, components through GraphFrames or
`sql_connected_components` below) and the pipeline does not change.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from typing import Any, Protocol


class Engine(Protocol):
    def execute(self, sql: str, params: list[Any] | None = None) -> None: ...

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]: ...

    def connected_components(self, edges: str, nodes: int, out: str) -> None:
        """Create table `out(nid INTEGER, comp INTEGER)` for node ids 0..nodes-1 from the
        undirected edge relation `edges(a INTEGER, b INTEGER)`; comp = smallest nid of the component."""
        ...

    def install_identifiers(self) -> None: ...

    def register(self, name: str, table: Any) -> None:
        """Expose an Arrow table (small: dimension masks) to SQL under `name`."""
        ...

    def unregister(self, name: str) -> None: ...


class DuckDBEngine:
    """DuckDB in memory, spilling to a private temporary folder that is removed on close."""

    def __init__(self, *, memory_limit: str | None = None, threads: int | None = None):
        import duckdb

        self._tmp = tempfile.mkdtemp(prefix="ftzlist-count-")  # mode 0700
        # removed on close(), and at garbage collection or interpreter exit if close() is missed
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._tmp, True)
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute(f"SET temp_directory = '{self._tmp}'")
        self.con.execute("SET preserve_insertion_order = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.con.execute(sql, params)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def register(self, name: str, table: Any) -> None:
        self.con.register(name, table)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def install_identifiers(self) -> None:
        from ftzlist.identifiers import sql as idsql

        idsql.install(self.con)

    def connected_components(self, edges: str, nodes: int, out: str) -> None:
        import numpy as np
        import pyarrow as pa
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        arr = self.con.execute(f"SELECT a, b FROM {edges}").fetchnumpy()
        a = np.asarray(arr["a"], dtype=np.int32)
        b = np.asarray(arr["b"], dtype=np.int32)
        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(nodes, nodes)).tocsr()
        del a, b, arr
        _, labels = connected_components(graph, directed=True, connection="weak")
        del graph
        # scipy labels are arbitrary; the smallest node id of each component is the stable label
        rep = np.full(labels.max() + 1 if len(labels) else 0, np.iinfo(np.int32).max, dtype=np.int64)
        np.minimum.at(rep, labels, np.arange(len(labels), dtype=np.int64))
        table = pa.table({"nid": np.arange(nodes, dtype=np.int32), "comp": rep[labels].astype(np.int32)})
        self.con.register("_ftz_cc", table)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT nid, comp FROM _ftz_cc")
        self.con.unregister("_ftz_cc")

    def close(self) -> None:
        self.con.close()
        self._cleanup()


class SqlComponentsEngine(DuckDBEngine):
    """DuckDB running connected components as portable iterative SQL (min-label propagation, as
    Splink does), the form a Spark adapter can reuse. Slower; used to check the two agree."""

    def connected_components(self, edges: str, nodes: int, out: str) -> None:
        sql_connected_components(self, edges, nodes, out)


def sql_connected_components(
    engine: Engine, edges: str, nodes: int, out: str, max_rounds: int = 10_000
) -> None:
    """Connected components in plain SQL: every node takes the smallest label among itself and its
    neighbours, then jumps to its label's label, until nothing changes."""
    engine.execute(
        "CREATE OR REPLACE TEMP TABLE _cc_e AS SELECT a, b FROM " + edges + " UNION SELECT b, a FROM " + edges
    )
    engine.execute(
        f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT CAST(i AS INTEGER) AS nid, CAST(i AS INTEGER) AS comp FROM range({nodes}) t(i)"
    )
    for _ in range(max_rounds):
        engine.execute(
            f"CREATE OR REPLACE TEMP TABLE _cc_n AS SELECT l.nid, least(l.comp, coalesce(min(r.comp), l.comp)) AS comp "
            f"FROM {out} l LEFT JOIN _cc_e e ON e.a = l.nid LEFT JOIN {out} r ON r.nid = e.b GROUP BY l.nid, l.comp"
        )
        engine.execute(
            "CREATE OR REPLACE TEMP TABLE _cc_j AS SELECT n.nid, least(n.comp, p.comp) AS comp "
            "FROM _cc_n n JOIN _cc_n p ON p.nid = n.comp"
        )
        changed = engine.rows(
            f"SELECT count(*) FROM _cc_j j JOIN {out} o USING (nid) WHERE j.comp <> o.comp"
        )[0][0]
        engine.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT nid, comp FROM _cc_j")
        if changed == 0:
            break
    engine.execute("DROP TABLE IF EXISTS _cc_e; DROP TABLE IF EXISTS _cc_n; DROP TABLE IF EXISTS _cc_j")
