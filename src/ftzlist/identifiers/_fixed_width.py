"""Turn a column of equal-length ASCII strings into a 2-D byte matrix, so a checksum over millions of
values is a handful of numpy operations instead of a Python loop.

Used by the vectorised validators in this package; callers filter candidates to one length first.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def byte_matrix(values: pa.Array, width: int) -> np.ndarray:
    """An (n, width) uint8 matrix of `values`, which must all be `width` bytes long and non-null."""
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    n = len(arr)
    if n == 0:
        return np.zeros((0, width), dtype=np.uint8)
    if pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type):
        off_type = np.int64
    else:
        off_type = np.int32
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=off_type)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    start = int(offsets[0])
    if int(offsets[-1]) - start != n * width or not np.all(np.diff(offsets) == width):
        raise ValueError(f"byte_matrix: values are not all {width} bytes long")
    return data[start : start + n * width].reshape(n, width)


def digits(matrix: np.ndarray) -> np.ndarray:
    """ASCII digit bytes to small integers (other bytes give values outside 0..9)."""
    return matrix.astype(np.int16) - 48


__all__ = ["byte_matrix", "digits"]
