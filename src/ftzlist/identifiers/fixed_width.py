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


def _offsets_data(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    bufs = arr.buffers()
    large = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    off = np.frombuffer(bufs[1], dtype=np.int64 if large else np.int32)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return off.astype(np.int64), data


def contains_any(values: pa.Array, needles: tuple[bytes, ...]) -> np.ndarray:
    """Per value: does it contain one of the byte strings? One pass of numpy over the data buffer per
    needle, instead of a string kernel per value. Nulls give False."""
    n = len(values)
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    off, data = _offsets_data(values)
    lo, hi = int(off[0]), int(off[-1])
    window = data[lo:hi]
    for needle in needles:
        k = len(needle)
        pos = np.flatnonzero(window == needle[0]) + lo
        for j in range(1, k):
            pos = pos[pos + j < hi]
            pos = pos[data[pos + j] == needle[j]]
        if pos.size == 0:
            continue
        row = np.searchsorted(off, pos, side="right") - 1
        inside = pos + k <= off[row + 1]
        out[row[inside]] = True
    if values.null_count:
        out &= np.asarray(values.is_valid())
    return out


def contains_byte(values: pa.Array, table: np.ndarray) -> np.ndarray:
    """Per value: does any byte b have `table[b]` true (a 256-entry boolean lookup table)?"""
    n = len(values)
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    off, data = _offsets_data(values)
    lo, hi = int(off[0]), int(off[-1])
    pos = np.flatnonzero(table[data[lo:hi]]) + lo
    if pos.size:
        out[np.searchsorted(off, pos, side="right") - 1] = True
    return out


def count_bytes(values: pa.Array, table: np.ndarray) -> np.ndarray:
    """Per value: how many of its bytes b have `table[b]` true."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    off, data = _offsets_data(values)
    lo, hi = int(off[0]), int(off[-1])
    pos = np.flatnonzero(table[data[lo:hi]]) + lo
    return np.bincount(np.searchsorted(off, pos, side="right") - 1, minlength=n)[:n]


def byte_table(chars: bytes, *, non_ascii: bool = False) -> np.ndarray:
    """A 256-entry lookup table, true for the given bytes (and for every non-ASCII byte if asked)."""
    t = np.zeros(256, dtype=bool)
    t[list(chars)] = True
    if non_ascii:
        t[128:] = True
    return t


__all__ = ["byte_matrix", "byte_table", "contains_any", "contains_byte", "count_bytes", "digits"]
