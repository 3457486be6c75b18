"""`ftzlist assess DECLARATION --logs LOG --mapping MAPPING`: persons filled from the logs and cited."""

from __future__ import annotations

import json

from tests.counting.conftest import rid, row, write_csv
from typer.testing import CliRunner

from ftzlist.cli import app

DECL = """\
version: 1
handler: {name: Example Trading Co.}
flows:
  - id: f1
    recipient: {name: HQ, country: SG}
    purpose: customer service
    data:
      - {id: contact, category: contact}
      - {id: other, category: identity.name}
"""

MAP = """\
date: {column: date}
flow: {column: flow}
data_item: {column: item}
sensitivity: {column: sens, values: {S: sensitive, N: non_sensitive}}
identifiers:
  - {kind: resident_id, column: rid}
"""


def test_assess_fills_persons_from_logs_and_cites_the_count(tmp_path, monkeypatch):
    monkeypatch.setenv("FTZLIST_HASH_KEY", "a-test-key-of-enough-length")
    (tmp_path / "decl.yaml").write_text(DECL)
    (tmp_path / "map.yaml").write_text(MAP)
    secret = rid(1)
    write_csv(tmp_path / "log.csv", [row(rid=secret), row(rid=rid(2)), row(rid=rid(2)), row(rid=rid(3))])
    args = ["assess", str(tmp_path / "decl.yaml"), "--as-of", "2025-06-30", "--format", "json"]
    res = CliRunner().invoke(
        app, [*args, "--logs", str(tmp_path / "log.csv"), "--mapping", str(tmp_path / "map.yaml")]
    )
    assert res.exit_code in (0, 1), res.output
    out = json.loads(res.stdout)
    flow = out["flows"][0]
    assert {i["data_item"]: i["persons"] for i in flow["items"]}.get("f1/contact") == 3
    assert any("ftzlist count count-" in w and "(3)" in w for w in flow["warnings"])
    assert secret not in res.output
    res = CliRunner().invoke(app, [*args, "--logs", str(tmp_path / "log.csv")])
    assert "needs --mapping" in str(res.exception)
