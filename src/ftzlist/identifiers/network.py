"""IP addresses (IPv4 dotted quad, IPv6): device and network identifiers, personal information when
they can be tied to a subscriber."""

from __future__ import annotations

import ipaddress
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.identifiers.fixed_width import byte_table, contains_any, count_bytes

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"^{_OCTET}(?:\.{_OCTET}){{3}}$"
IPV6_CANDIDATE = r"^[0-9A-Fa-f:.]{2,45}$"
_IPV4 = re.compile(IPV4)
_DOT = byte_table(b".")
_NOT_V4 = ~byte_table(b"0123456789.")


def is_ipv4(value: str) -> bool:
    return bool(_IPV4.match(value.strip()))


def is_ipv6(value: str) -> bool:
    v = value.strip()
    if ":" not in v:
        return False
    try:
        ipaddress.IPv6Address(v)
    except ValueError:
        return False
    return True


def is_ip_address(value: str) -> bool:
    return is_ipv4(value) or is_ipv6(value)


def valid_ip_addresses(values: pa.Array) -> np.ndarray:
    """IPv4 by an exact regex over the whole column; IPv6 candidates (hex and colons, at least two
    colons) through the standard library, one candidate at a time: they are rare in practice."""
    out = np.zeros(len(values), dtype=bool)
    # IPv4 candidates: exactly three dots and nothing but digits and dots (counted in numpy)
    dotted = np.flatnonzero((count_bytes(values, _DOT) == 3) & (count_bytes(values, _NOT_V4) == 0))
    if dotted.size:
        sub = values.take(pa.array(dotted))
        out[dotted] = np.asarray(pc.fill_null(pc.match_substring_regex(sub, IPV4), False))
    colon = np.flatnonzero(contains_any(values, (b":",)) & ~out)
    if colon.size:
        sub = values.take(pa.array(colon))
        v6 = np.asarray(pc.fill_null(pc.match_substring_regex(sub, IPV6_CANDIDATE), False)) & np.asarray(
            pc.fill_null(pc.greater_equal(pc.count_substring(sub, ":"), 2), False)
        )
        for j in np.flatnonzero(v6):
            out[colon[j]] = is_ipv6(sub[int(j)].as_py())
    return out


__all__ = ["IPV4", "is_ip_address", "is_ipv4", "is_ipv6", "valid_ip_addresses"]
