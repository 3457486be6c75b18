"""Issue 11, discovery: a name column whose alphabetically first values repeat is still a name
column. The example pool used to take the 12 smallest values without removing duplicates, so a
column whose smallest name appears 57 times looked like "one repeated value" and was dropped (to a
column-name hint at confidence 0.3, or to nothing under a neutral header)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ftzlist.discovery import synthetic as sy
from ftzlist.discovery.readers import open_source
from ftzlist.discovery.scanner import ScanOptions, scan

from .conftest import AS_OF

N = 20_000


def common_names(repeats: int, seed: int = 5) -> list[str]:
    """20,000 common Chinese names; the alphabetically smallest one appears `repeats` times."""
    rng = np.random.default_rng(seed)
    names = sy.chinese_names(rng, N).to_pylist()
    smallest = min(names)
    names = [n for n in names if n != smallest]
    names = [smallest] * repeats + names[: N - repeats]
    rng.shuffle(names)
    return names


@pytest.mark.parametrize("header", ["姓名", "customer_name", "col_7", "field"])
@pytest.mark.parametrize("repeats", [57, 12, 2000])
def test_repeated_smallest_name_keeps_the_column(tmp_path, vocab, header, repeats):
    path = tmp_path / "names.parquet"
    names = common_names(repeats)
    assert names.count(min(names)) == repeats
    pq.write_table(pa.table({header: names, "amount": [str(i) for i in range(N)]}), path)
    with open_source(str(path)) as src:
        report = scan(src, ScanOptions(as_of=AS_OF, batch_rows=4096), vocab)
    (col,) = [c for c in report.columns if c.name == header]
    found = {f.kind: f for f in col.findings}
    assert "chinese_name" in found, col.findings
    f = found["chinese_name"]
    assert f.evidence[0].detector != "column-name" and f.evidence[0].matched == N
    assert f.confidence >= 0.5
    assert len(f.evidence[0].examples) >= 2  # distinct examples, masked
    assert all(set(e[1:]) == {"*"} for e in f.evidence[0].examples)


def test_one_repeated_value_is_still_not_a_name_column(tmp_path, vocab):
    path = tmp_path / "diag.parquet"
    pq.write_table(pa.table({"诊断": ["高血压"] * 500, "col": ["王小明"] * 500}), path)
    with open_source(str(path)) as src:
        report = scan(src, ScanOptions(as_of=AS_OF), vocab)
    col = {c.name: c for c in report.columns}
    assert "chinese_name" not in [f.kind for f in col["col"].findings]
    assert "chinese_name" not in [f.kind for f in col["诊断"].findings]
