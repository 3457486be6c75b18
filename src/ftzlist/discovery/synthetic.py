"""Synthetic tables with known answers, for tests, the benchmark and demos. Every value is generated
(valid check characters computed, never copied from real people); `near_miss=True` gives values of
the same shape that must *not* be detected (a wrong check character, an impossible date).

Vectorised (numpy + Arrow), so the benchmark's 10-million-row table takes seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.identifiers import resident_id

_CHECKS = np.frombuffer(resident_id.CHECK_CHARS.encode(), dtype=np.uint8)
_W = np.array(resident_id.WEIGHTS, dtype=np.int64)
_AREAS = ("110101", "310104", "440305", "350203", "510107", "330106", "420102", "320102")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅"
_PROV = "京沪粤浙苏闽川鄂"
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_VIN_ALPHA = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def _to_strings(matrix: np.ndarray) -> pa.Array:
    n, w = matrix.shape
    offsets = pa.py_buffer(np.arange(0, (n + 1) * w, w, dtype=np.int32).tobytes())
    return pa.Array.from_buffers(
        pa.string(), n, [None, offsets, pa.py_buffer(np.ascontiguousarray(matrix).tobytes())]
    )


def _digits(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.integers(48, 58, size=(n, k), dtype=np.uint8)


def _pick(rng: np.random.Generator, choices: list[str], n: int) -> pa.Array:
    return pa.array(choices).take(pa.array(rng.integers(0, len(choices), n)))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def birth_dates(rng: np.random.Generator, n: int, start: dt.date, end: dt.date) -> np.ndarray:
    """Dates as YYYYMMDD integers, uniform between start and end."""
    days = rng.integers(0, (end - start).days + 1, n)
    base = np.datetime64(start.isoformat())
    d = (base + days.astype("timedelta64[D]")).astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(int) + 1970
    m = d.astype("datetime64[M]").astype(int) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(int) + 1
    return y * 10000 + m * 100 + day


def resident_ids(
    rng: np.random.Generator,
    n: int,
    *,
    born: tuple[dt.date, dt.date] = (dt.date(1950, 1, 1), dt.date(2020, 12, 31)),
    area: str | None = None,
    near_miss: bool = False,
) -> pa.Array:
    """18-digit numbers with valid area, birth date and check character; near misses have a wrong check."""
    m = np.zeros((n, 18), dtype=np.uint8)
    areas = np.array([list(a.encode()) for a in ((area,) if area else _AREAS)], dtype=np.uint8)
    m[:, :6] = areas[rng.integers(0, len(areas), n)]
    b = birth_dates(rng, n, *born)
    for i, p in enumerate((10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1)):
        m[:, 6 + i] = 48 + (b // p) % 10
    m[:, 14:17] = _digits(rng, n, 3)
    s = ((m[:, :17].astype(np.int64) - 48) @ _W) % 11
    if near_miss:  # any other check character: shift the sum by 1..10
        s = (s + rng.integers(1, 11, n)) % 11
    m[:, 17] = _CHECKS[s]
    return _to_strings(m)


def legacy_ids(rng: np.random.Generator, n: int) -> pa.Array:
    """15-digit pre-1999 numbers (area, YYMMDD, sequence), born 1940-1998."""
    ids = resident_ids(rng, n, born=(dt.date(1940, 1, 1), dt.date(1998, 12, 31)))
    return _join(pc.utf8_slice_codeunits(ids, 0, 6), pc.utf8_slice_codeunits(ids, 8, 17))


def hmt_permits(rng: np.random.Generator, n: int) -> pa.Array:
    return resident_ids(rng, n, area="810000")


def foreign_pr_2023(rng: np.random.Generator, n: int) -> pa.Array:
    ids = resident_ids(rng, n, area="931840")  # 9, province 31, country 840
    return ids


def mobiles(rng: np.random.Generator, n: int) -> pa.Array:
    m = _digits(rng, n, 11)
    m[:, 0] = ord("1")
    m[:, 1] = rng.integers(ord("3"), ord("9") + 1, n)
    return _to_strings(m)


def emails(rng: np.random.Generator, n: int) -> pa.Array:
    user = _pick(rng, ["li.wei", "zhang", "wang.fang", "chen88", "liu_yang", "j.smith"], n)
    num = pc.cast(pa.array(rng.integers(0, 100_000, n)), pa.string())
    dom = _pick(rng, ["example.com", "example.cn", "mail.example.org"], n)
    return _join(user, num, "@", dom)


def bank_cards(rng: np.random.Generator, n: int, *, near_miss: bool = False) -> pa.Array:
    """16-digit UnionPay-style numbers (62...) with a valid Luhn digit; near misses fail Luhn."""
    m = _digits(rng, n, 16)
    m[:, 0], m[:, 1] = ord("6"), ord("2")
    d = m[:, :15].astype(np.int64) - 48
    rev = d[:, ::-1].copy()
    dbl = rev[:, 0::2] * 2
    rev[:, 0::2] = np.where(dbl > 9, dbl - 9, dbl)
    check = (10 - rev.sum(axis=1) % 10) % 10
    if near_miss:
        check = (check + 1 + rng.integers(0, 9, n)) % 10
    m[:, 15] = 48 + check
    return _to_strings(m)


def usccs(rng: np.random.Generator, n: int) -> pa.Array:
    alpha = np.frombuffer(b"0123456789ABCDEFGHJKLMNPQRTUWXY", dtype=np.uint8)
    w = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
    idx = np.zeros((n, 18), dtype=np.int64)
    idx[:, 0] = 9
    idx[:, 1] = 1
    areas = np.array([[int(c) for c in a] for a in _AREAS], dtype=np.int64)
    idx[:, 2:8] = areas[rng.integers(0, len(areas), n)]
    idx[:, 8:17] = rng.integers(0, 31, (n, 9))
    idx[:, 17] = (31 - (idx[:, :17] @ w) % 31) % 31
    return _to_strings(alpha[idx])


def vins(rng: np.random.Generator, n: int, *, near_miss: bool = False) -> pa.Array:
    from ftzlist.identifiers.vehicle import TRANSLITERATION, VIN_WEIGHTS

    alpha = np.frombuffer(_VIN_ALPHA.encode(), dtype=np.uint8)
    m = alpha[rng.integers(0, len(alpha), (n, 17))]
    m[:, 0:3] = np.frombuffer(b"LSV", dtype=np.uint8)
    total = (TRANSLITERATION[m] * VIN_WEIGHTS).sum(axis=1) % 11
    if near_miss:
        total = (total + 1) % 11
    m[:, 8] = np.frombuffer(b"0123456789X", dtype=np.uint8)[total]
    return _to_strings(m)


def plates(rng: np.random.Generator, n: int) -> pa.Array:
    prov = _pick(rng, list(_PROV), n)
    letter = _pick(rng, list(_LETTERS), n)
    alpha = np.frombuffer(b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", dtype=np.uint8)
    tail = _to_strings(alpha[rng.integers(0, 10, (n, 5))])
    return _join(prov, letter, tail)


def ipv4s(rng: np.random.Generator, n: int) -> pa.Array:
    o = [pc.cast(pa.array(rng.integers(1, 255, n)), pa.string()) for _ in range(4)]
    return _join(o[0], ".", o[1], ".", o[2], ".", o[3])


def coordinates(rng: np.random.Generator, n: int, decimals: int = 6) -> pa.Array:
    lat = np.round(rng.uniform(18, 53, n), decimals)
    lon = np.round(rng.uniform(73, 135, n), decimals)
    fmt = f"%.{decimals}f"
    return _join(
        pa.array(np.char.mod(fmt, lat).astype(str)), ",", pa.array(np.char.mod(fmt, lon).astype(str))
    )


def iso_dates(rng: np.random.Generator, n: int, start: dt.date, end: dt.date) -> pa.Array:
    b = birth_dates(rng, n, start, end)
    s = pc.cast(pa.array(b), pa.string())
    return _join(
        pc.utf8_slice_codeunits(s, 0, 4),
        "-",
        pc.utf8_slice_codeunits(s, 4, 6),
        "-",
        pc.utf8_slice_codeunits(s, 6, 8),
    )


def chinese_names(rng: np.random.Generator, n: int) -> pa.Array:
    s = _pick(rng, list(_SURNAMES), n)
    g1 = _pick(rng, list(_GIVEN), n)
    g2 = _pick(rng, [*list(_GIVEN), ""], n)
    return _join(s, g1, g2)


def addresses(rng: np.random.Generator, n: int) -> pa.Array:
    city = _pick(rng, ["上海市浦东新区", "北京市朝阳区", "广东省深圳市南山区", "福建省厦门市思明区"], n)
    road = _pick(rng, ["世纪大道", "建国路", "科技园路", "湖滨南路"], n)
    num = pc.cast(pa.array(rng.integers(1, 999, n)), pa.string())
    return _join(city, road, num, "号")


def remarks(rng: np.random.Generator, n: int, embed_every: int = 100) -> pa.Array:
    """Free text; one row in `embed_every` mentions a mobile number."""
    base = _pick(
        rng,
        ["客户要求尽快发货，请联系确认", "Delivered to front desk, signed by guard", "退货原因：尺码不合适"],
        n,
    )
    phones = mobiles(rng, n)
    with_phone = _join(pa.array(["请致电 "] * n), phones, " 联系收货")
    pick = pa.array(np.arange(n) % embed_every == 0)
    return pc.if_else(pick, with_phone, base)


def amounts(rng: np.random.Generator, n: int) -> pa.Array:
    return pa.array(np.char.mod("%.2f", rng.uniform(1, 10_000, n)).astype(str))


def order_ids(rng: np.random.Generator, n: int) -> pa.Array:
    return _join("SO", pc.cast(pa.array(rng.integers(10**9, 10**10, n)), pa.string()))


def benchmark_table(n: int, seed: int = 7) -> pa.Table:
    """Twelve columns, the mix an export log holds: identifiers, contact, location, free text, noise."""
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "order_id": order_ids(rng, n),
            "customer_name": chinese_names(rng, n),
            "身份证号": resident_ids(rng, n),
            "mobile": mobiles(rng, n),
            "email": emails(rng, n),
            "card_no": bank_cards(rng, n),
            "plate": plates(rng, n),
            "client_ip": ipv4s(rng, n),
            "gps": coordinates(rng, n),
            "收货地址": addresses(rng, n),
            "remark": remarks(rng, n),
            "amount": amounts(rng, n),
        }
    )


__all__ = [
    "addresses",
    "amounts",
    "bank_cards",
    "benchmark_table",
    "birth_dates",
    "chinese_names",
    "coordinates",
    "emails",
    "foreign_pr_2023",
    "hmt_permits",
    "ipv4s",
    "iso_dates",
    "legacy_ids",
    "mobiles",
    "order_ids",
    "plates",
    "remarks",
    "resident_ids",
    "usccs",
    "vins",
]
