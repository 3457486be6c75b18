"""Keyed hashing: identifiers become HMAC-SHA256 values before anything is written or printed.

The key comes from the caller (the CLI reads `--key-file` or `FTZLIST_HASH_KEY`); it is never
stored with the data. With the same key, the same identifier gives the same hash across runs, so
evidence files from two runs can be compared; without the key a hash cannot be tested against a
guessed identifier (resident ID numbers are guessable, so an unkeyed hash would not protect them).

Inside the engine, right after normalisation, each identifier becomes a 128-bit digest
(the dialect's `digest`, MD5: fast, collisions about 1 in 10^24 for ten million values, and a
collision would be the only way hashing could merge two people). Digests never leave the process:
whatever is written or printed is HMAC-SHA256 under the user's key, of the digest
(`hmac_hex_sql`, `public_hash`), so it cannot be tested against a guessed identifier.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

BLOCK = 64
MIN_KEY_BYTES = 16


def check_key(key: bytes) -> bytes:
    from ftzlist.errors import InputError

    if len(key) < MIN_KEY_BYTES:
        raise InputError(f"the hash key must be at least {MIN_KEY_BYTES} bytes, got {len(key)}")
    return key


def pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC inner and outer padded keys (RFC 2104)."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def hmac_hex(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def hmac_hex_sql(d: Any, message_sql: str, pads_table: str = "ftz_key") -> str:
    """SQL (dialect `d`) for the hex HMAC-SHA256 of a text expression, with the pads read from a
    one-row table (`ipad`, `opad` binary) so the key never appears in query text."""
    inner = f"unhex({d.sha256_hex(f'(SELECT ipad FROM {pads_table}) || {d.utf8(message_sql)}')})"
    return d.sha256_hex(f"(SELECT opad FROM {pads_table}) || {inner}")


def public_hash(key: bytes, digest_hex: str) -> str:
    """What people see for an identifier: `h:` + 16 hex digits of HMAC(key, digest), the digest
    written as the 32 hex digits of its MD5 (the dialect's `digest_hex`, equal on every engine)."""
    return "h:" + hmac_hex(key, digest_hex.lower())[:16]
