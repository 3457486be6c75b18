"""The SQL pipeline against a plain-Python oracle (union-find) on generated logs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from tests.counting.conftest import run
from tests.counting.test_properties import log_rows

from ftzlist.identifiers import Kind, identity_key

EXCLUDED = {"HR": True, "CT": True}


def oracle(rows: list[dict]) -> dict:
    """Strong-only linking with the doubtful-group rule, per-axis distinct persons."""
    keyed = []
    for r in rows:
        ks = [
            identity_key(Kind.resident_id, r.get("rid") or None),
            identity_key(Kind.passport, r.get("pp") or None, country=r.get("ppc") or None),
            identity_key(Kind.customer_id, r.get("cust") or None, namespace="crm"),
        ]
        keyed.append([k for k in ks if k])
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ks in keyed:
        for k in ks[1:]:
            a, b = find(ks[0]), find(k)
            if a != b:
                parent[max(a, b)] = min(a, b)
    comps: dict[str, set[str]] = {}
    for k in list(parent):
        comps.setdefault(find(k), set()).add(k)
    doubtful = {c for c, members in comps.items() if sum(m.startswith("rid:") for m in members) > 1}
    persons = []
    for r, ks in zip(rows, keyed, strict=True):
        if not ks:
            persons.append(("row", tuple(sorted(r.items()))))
            continue
        c = find(ks[0])
        if c in doubtful:
            persons.append(("id", next((k for k in ks if k.startswith("rid:")), ks[0])))
        else:
            persons.append(("comp", c))
    out = {"ns": set(), "s": set(), "exempt": set(), "flows": {}}
    for r, p in zip(rows, persons, strict=True):
        if r.get("ground") in EXCLUDED:
            out["exempt"].add(p)
            continue
        out["s" if r["sens"] == "S" else "ns"].add(p)
        out["flows"].setdefault(r["flow"], set()).add(p)
    return out


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log_rows(max_size=16))
def test_pipeline_matches_the_oracle(tmp_path_factory, rows):
    r = run(tmp_path_factory.mktemp("o"), rows)
    o = oracle(rows)
    assert r.totals.non_sensitive == len(o["ns"])
    assert r.totals.sensitive == len(o["s"])
    assert r.totals.any == len(o["ns"] | o["s"])
    assert r.exempt_totals.any == len(o["exempt"])
    assert {b.flow: b.persons.any for b in r.by_flow if b.persons.any} == {
        f: len(p) for f, p in o["flows"].items()
    }
